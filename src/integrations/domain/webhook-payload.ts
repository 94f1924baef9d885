import { type Static, Type } from 'typebox';

/**
 * What an outbound webhook's body is (`{ type, timestamp, data }`), by TypeBox schema: the
 * server's delivery log answers it and the web UI types it from here. Which events fill it, and
 * how, is `webhook-events.ts`.
 */

/** The test message's type. */
export const PING = 'ping';

const Text = Type.String();
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableText = Type.Union([Text, Type.Null()]);

/** A handoff as a webhook shows it: its state and where it stands, never its packet. */
export const WebhookHandoffSchema = Type.Object(
  {
    id: Text,
    engagement_id: Text,
    playbook: Text,
    transition: Text,
    title: Text,
    state: Text,
    revision: Type.Integer(),
    sending_team_id: Text,
    receiving_team_id: Text,
    submitted_at: NullableTime,
    decided_at: NullableTime,
    updated_at: Time,
  },
  { additionalProperties: false },
);

export const WebhookQuestionSchema = Type.Object(
  { id: Text, path: NullableText, body: Text, answer: NullableText, revision: Type.Integer() },
  { additionalProperties: false },
);

export const WebhookCheckpointSchema = Type.Object(
  {
    id: Text,
    handoff_id: Text,
    engagement_id: Text,
    key: Text,
    name: Text,
    kind: Text,
    state: Text,
    due_at: Time,
    owner_team_id: Text,
    completed_at: NullableTime,
    waive_reason: NullableText,
  },
  { additionalProperties: false },
);

export const WebhookEngagementSchema = Type.Object(
  {
    id: Text,
    account_id: Text,
    name: Text,
    stage: NullableText,
    service_lead_user_id: NullableText,
    closed_out_at: NullableTime,
  },
  { additionalProperties: false },
);

/** What an event's `data` holds: the resource it is about, and what the event adds. */
export const WebhookDataSchema = Type.Object(
  {
    handoff: Type.Optional(WebhookHandoffSchema),
    question: Type.Optional(WebhookQuestionSchema),
    /** The state the handoff or checkpoint was in before. */
    from: Type.Optional(Text),
    note: Type.Optional(NullableText),
    reason_code: Type.Optional(Text),
    explanation: Type.Optional(Text),
    checkpoint: Type.Optional(WebhookCheckpointSchema),
    milestone: Type.Optional(Type.Object({ key: Text, at: Time, previous_at: NullableTime })),
    engagement: Type.Optional(WebhookEngagementSchema),
    engagement_id: Type.Optional(Text),
    signoff: Type.Optional(
      Type.Object({ id: Text, contact_id: Text, signer_name: Text, package_sha256: Text, signed_at: Time }),
    ),
    survey: Type.Optional(
      Type.Object({
        id: Text,
        contact_id: Text,
        csat: Type.Integer(),
        nps: Type.Integer(),
        answered_at: Time,
      }),
    ),
    confirmation: Type.Optional(
      Type.Object({ id: Text, contact_id: Text, differences: Type.Integer(), confirmed_at: Time }),
    ),
    /** A test ping's message. */
    message: Type.Optional(Text),
  },
  { additionalProperties: false },
);
export type WebhookData = Static<typeof WebhookDataSchema>;

export const WebhookPayloadSchema = Type.Object(
  { type: Text, timestamp: Time, data: WebhookDataSchema },
  { additionalProperties: false },
);
export type WebhookPayload = Static<typeof WebhookPayloadSchema>;
