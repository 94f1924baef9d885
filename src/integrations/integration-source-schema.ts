import { type Static, Type } from 'typebox';
import { AnyObject, ErrorDetailSchema, Nullable, StringEnum } from '../kernel/http/schemas.js';
import { SOURCE_KIND_NAMES } from './domain/inbound-kinds.js';

export const SourceKindSchema = StringEnum(SOURCE_KIND_NAMES, {
  description: 'Which system calls: hubspot, salesforce, pipedrive (CRM deals), clickup, procore (statuses)',
});

/** A source as listed: its secret masked (shown in clear only on creation and rotation). */
export const IntegrationSourceSchema = Type.Object(
  {
    id: Type.String({ description: 'Also the {source} of its inbound URL' }),
    name: Type.String(),
    kind: SourceKindSchema,
    purpose: StringEnum(['crm', 'status', 'inquiry'] as const),
    /** Where the sender posts. */
    inbound_path: Type.String({ description: 'The path the sender posts to, e.g. /api/v1/inbound/crm/{id}' }),
    config: AnyObject,
    enabled: Type.Boolean(),
    secret: Type.Object({
      origin: StringEnum(['generated', 'given', 'none'] as const, {
        description:
          'generated: Baton made it, configure the sender with it; given: the vendor made it; none: the sender proves itself otherwise',
      }),
      masked: Nullable(Type.String({ description: 'Never the secret: dots when one is set' })),
      updated_at: Nullable(Type.String({ format: 'date-time' })),
    }),
    last_event_at: Nullable(Type.String({ format: 'date-time' })),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'IntegrationSource' },
);

/** A source just created or given a new secret: the one time its secret is shown. */
export const IntegrationSourceWithSecretSchema = Type.Object(
  {
    source: IntegrationSourceSchema,
    secret: Nullable(Type.String({ description: 'Shown this once; store it in the sender now' })),
  },
  { $id: 'IntegrationSourceWithSecret' },
);

export const CreateIntegrationSourceBody = Type.Object(
  {
    kind: SourceKindSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    config: AnyObject,
    secret: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 500,
        description: "The vendor's secret, for kinds whose vendor makes it",
      }),
    ),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateIntegrationSourceBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    config: Type.Optional(AnyObject),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RotateSecretBody = Type.Object(
  {
    secret: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 500,
        description: "The vendor's new secret (for given secrets)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const InboundEventSchema = Type.Object(
  {
    id: Type.String(),
    source_id: Type.String(),
    external_id: Nullable(Type.String()),
    received_at: Type.String({ format: 'date-time' }),
    outcome: StringEnum(['created', 'recorded', 'refused'] as const),
    summary: Type.String(),
    problems: Type.Array(ErrorDetailSchema, { description: 'Why it was refused, or what was left out' }),
    result: AnyObject,
    handoff_id: Nullable(Type.String()),
  },
  { $id: 'InboundEvent' },
);

export const EngagementMilestoneSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    milestone: Type.String(),
    status: Type.String({ description: 'The status as the tool sent it' }),
    source_id: Type.String(),
    reached_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'EngagementMilestone' },
);

const DealOutcomeSchema = Type.Object({
  external_id: Type.String({ description: "The sender's event id" }),
  outcome: StringEnum(['created', 'duplicate', 'ignored'] as const),
  account_id: Nullable(Type.String()),
  engagement_id: Nullable(Type.String()),
  contact_id: Nullable(Type.String()),
  handoff_id: Nullable(Type.String({ description: 'The draft handoff opened' })),
  problems: Type.Array(ErrorDetailSchema),
});

export const CrmAnswerSchema = Type.Object(
  {
    kind: StringEnum(['hubspot', 'salesforce', 'pipedrive'] as const),
    source_id: Type.String(),
    deals: Type.Array(DealOutcomeSchema),
  },
  { $id: 'InboundCrmAnswer' },
);

export const StatusAnswerSchema = Type.Object(
  {
    events: Type.Array(
      Type.Object({
        external_id: Type.String(),
        outcome: StringEnum(['recorded', 'duplicate', 'refused'] as const),
        engagement_id: Nullable(Type.String()),
        milestone: Nullable(Type.String()),
        problems: Type.Array(ErrorDetailSchema),
      }),
    ),
  },
  { $id: 'InboundStatusAnswer' },
);

export type IntegrationSource = Static<typeof IntegrationSourceSchema>;
export type IntegrationSourceWithSecret = Static<typeof IntegrationSourceWithSecretSchema>;
export type InboundEvent = Static<typeof InboundEventSchema>;
export type EngagementMilestone = Static<typeof EngagementMilestoneSchema>;
