import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';

export const INQUIRY_OUTCOMES = ['routed', 'unmatched', 'refused'] as const;

/** What the inquiry endpoint answers the provider: what became of the message. */
export const InquiryReceiptSchema = Type.Object(
  {
    inquiry_id: Type.String(),
    duplicate: Type.Boolean({
      description: 'True when the message (by its Message-ID) was received before: nothing was done again',
    }),
    outcome: StringEnum(['routed', 'unmatched'] as const),
    reason: Nullable(
      Type.String({
        description:
          'Why it was not routed: `no_lead_addressed`, `sender_not_of_account`, `no_rule`, `not_closed_out`, `no_service_owner`',
      }),
    ),
    why: Type.String({ description: 'The same, in words; or to whom it was routed' }),
    engagement_id: Nullable(Type.String()),
    assignee_user_id: Nullable(Type.String({ description: 'Whose task it became' })),
    replied: Type.Boolean({
      description: 'Whether the client was sent the reply introducing the service owner',
    }),
  },
  { $id: 'InquiryReceipt', description: 'What became of an inquiry e-mail' },
);
export type InquiryReceipt = Static<typeof InquiryReceiptSchema>;

/** An inquiry as the admins' list shows it. Never the source's secret or the signature sent. */
export const InquirySchema = Type.Object(
  {
    id: Type.String(),
    source_id: Type.String(),
    received_at: Type.String({ format: 'date-time' }),
    outcome: StringEnum(INQUIRY_OUTCOMES),
    reason: Nullable(Type.String()),
    why: Type.String(),
    message_id: Nullable(Type.String()),
    sender_email: Nullable(Type.String()),
    sender_name: Nullable(Type.String()),
    recipients: Type.Array(Type.String()),
    subject: Nullable(Type.String()),
    engagement_id: Nullable(Type.String()),
    handoff_id: Nullable(Type.String()),
    assignee_user_id: Nullable(Type.String()),
    replied_to: Nullable(Type.String({ description: 'Where the reply introducing the service owner went' })),
    reply_skipped: Nullable(Type.String({ description: 'Why a routed inquiry got no reply' })),
  },
  { $id: 'Inquiry', description: 'An e-mail an inbound-parse source forwarded, and what became of it' },
);
export type Inquiry = Static<typeof InquirySchema>;

/** The form fields the endpoint reads, for the OpenAPI document (the rest are ignored). */
export const InquiryFormSchema = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'The sender: `Name <address>`' })),
    to: Type.Optional(Type.String({ description: 'SendGrid: the recipients' })),
    cc: Type.Optional(Type.String()),
    subject: Type.Optional(Type.String()),
    text: Type.Optional(Type.String({ description: 'SendGrid: the plain text' })),
    headers: Type.Optional(
      Type.String({ description: 'SendGrid: the raw header block (Message-ID is read here)' }),
    ),
    envelope: Type.Optional(Type.String({ description: 'SendGrid: JSON `{ to: [], from }`' })),
    recipient: Type.Optional(Type.String({ description: 'Mailgun: the envelope recipient' })),
    sender: Type.Optional(Type.String({ description: 'Mailgun: the envelope sender' })),
    'body-plain': Type.Optional(Type.String()),
    'stripped-text': Type.Optional(Type.String()),
    'Message-Id': Type.Optional(Type.String()),
    'message-headers': Type.Optional(Type.String({ description: 'Mailgun: JSON list of `[name, value]`' })),
    timestamp: Type.Optional(Type.String({ description: 'Mailgun: signed with `token`' })),
    token: Type.Optional(Type.String()),
    signature: Type.Optional(
      Type.String({ description: 'Mailgun: hex HMAC-SHA256 of timestamp + token with the signing key' }),
    ),
  },
  { description: "The provider's inbound-parse form fields (SendGrid Inbound Parse, Mailgun route forward)" },
);
