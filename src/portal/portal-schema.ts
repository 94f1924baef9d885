import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { PORTAL_PURPOSES } from './domain/portal-link.js';

const Instant = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });

export const PortalPurposeSchema = StringEnum(PORTAL_PURPOSES, {
  description: 'confirm: the goal, metric and scope; signoff: the closeout package; survey: CSAT and NPS',
});

/** A magic link as the team lists it: never its token. */
export const PortalLinkSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    contact_id: Type.String(),
    contact_name: Type.String(),
    purpose: PortalPurposeSchema,
    state: StringEnum(['active', 'used', 'revoked', 'expired'] as const),
    single_use: Type.Boolean(),
    created_by: Nullable(Type.String()),
    created_at: Instant(),
    expires_at: Instant(),
    used_at: Nullable(Instant()),
    revoked_at: Nullable(Instant()),
    opened_at: Nullable(Instant('When the client first opened it')),
  },
  { $id: 'PortalLink', additionalProperties: false },
);
export type PortalLink = Static<typeof PortalLinkSchema>;

export const CreatedPortalLinkSchema = Type.Object(
  {
    link: PortalLinkSchema,
    url: Type.String({ description: 'The link, shown this once; it is also mailed to the contact' }),
  },
  { additionalProperties: false },
);
export type CreatedPortalLink = Static<typeof CreatedPortalLinkSchema>;

export const DifferenceSchema = Type.Object(
  {
    about: StringEnum(['goal', 'metric', 'scope', 'other'] as const),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

const PackageItemSchema = Type.Object(
  {
    label: Type.String(),
    value: Nullable(Type.String()),
    detail: Type.Optional(Nullable(Type.String())),
    file: Type.Optional(
      Type.Object(
        { id: Type.String(), version: Type.Integer({ minimum: 1 }) },
        {
          additionalProperties: false,
          description:
            'The file version the line shows: downloadable at `/portal/{token}/files/{id}/versions/{version}`',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CloseoutPackageSchema = Type.Object(
  {
    engagement_id: Type.String(),
    sections: Type.Array(
      Type.Object(
        { key: Type.String(), title: Type.String(), items: Type.Array(PackageItemSchema) },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'CloseoutPackage', additionalProperties: false },
);

/** The client's page: what the link lets them see, and nothing of any other engagement. */
export const PortalPageSchema = Type.Object(
  {
    purpose: PortalPurposeSchema,
    expires_at: Instant(),
    organisation: Type.Object(
      {
        name: Type.String(),
        brand_color: Nullable(Type.String({ description: '#rrggbb' })),
        locale: Type.String(),
      },
      { additionalProperties: false },
    ),
    engagement: Type.Object({ name: Type.String(), account: Type.String() }, { additionalProperties: false }),
    contact: Type.Object({ name: Type.String() }, { additionalProperties: false }),
    owner: Nullable(
      Type.Object(
        { name: Type.String(), role: Type.String(), email: Type.String() },
        { additionalProperties: false, description: 'Who looks after the client from now on' },
      ),
    ),
    understanding: Nullable(
      Type.Object(
        {
          goal: Nullable(Type.String()),
          metric: Nullable(Type.String()),
          scope: Type.Array(
            Type.Object(
              { kind: StringEnum(['in', 'out'] as const), description: Type.String() },
              { additionalProperties: false },
            ),
          ),
          promises: Type.Array(
            Type.Object(
              { text: Type.String(), in_contract: Type.Boolean(), status: Type.String() },
              { additionalProperties: false },
            ),
          ),
          sha256: Type.String({ description: 'SHA-256 of the canonical JSON of what is shown' }),
          last_confirmed_at: Nullable(Instant()),
        },
        { additionalProperties: false },
      ),
    ),
    package: Nullable(
      Type.Object(
        {
          content: CloseoutPackageSchema,
          sha256: Type.String({ description: 'SHA-256 of the canonical JSON of `content`' }),
        },
        { additionalProperties: false },
      ),
    ),
    survey: Type.Boolean({ description: 'The link asks for the CSAT and NPS survey' }),
  },
  { $id: 'PortalPage', additionalProperties: false },
);
export type PortalPage = Static<typeof PortalPageSchema>;

export const PortalReceiptSchema = Type.Object(
  {
    at: Instant(),
    message: Type.String(),
    sha256: Type.Optional(Type.String()),
  },
  { $id: 'PortalReceipt', additionalProperties: false },
);
export type PortalReceipt = Static<typeof PortalReceiptSchema>;

/** What came back through the portal, for the team. */
export const PortalActivitySchema = Type.Object(
  {
    confirmations: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          contact_name: Type.String(),
          confirmed_at: Instant(),
          differences: Type.Array(
            Type.Object(
              {
                about: Type.String(),
                text: Type.String(),
                question_id: Nullable(Type.String()),
                handoff_id: Nullable(Type.String()),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    signoffs: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          contact_name: Type.String(),
          signer_name: Type.String(),
          signed_at: Instant(),
          package_sha256: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    survey_responses: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          contact_name: Type.String(),
          csat: Type.Integer(),
          nps: Type.Integer(),
          comment: Nullable(Type.String()),
          answered_at: Instant(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { $id: 'PortalActivity', additionalProperties: false },
);
export type PortalActivity = Static<typeof PortalActivitySchema>;
