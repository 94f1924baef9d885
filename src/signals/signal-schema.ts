import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';

/** What a signal says about an account. */
export const SIGNAL_KINDS = ['usage', 'support', 'adoption', 'escalation'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** The most signals one request may carry. */
export const MAX_SIGNALS_PER_BATCH = 5000;

/** One event a product or support tool posts about an account. */
export const SignalInputSchema = Type.Object(
  {
    event_id: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "The sender's id of the event: a second post of the same id is a duplicate, not a new signal",
    }),
    account_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "The account's Baton id" }),
    ),
    account_external_id: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 300,
        description:
          "The account's id in another system, as `system:id` (e.g. `salesforce:001A0000`); give this or `account_id`",
      }),
    ),
    kind: StringEnum(SIGNAL_KINDS),
    at: Type.String({ format: 'date-time', description: 'When it happened' }),
    value: Type.Optional(Type.Number({ description: 'A measure of it: active users, minutes, tickets…' })),
    feature: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The feature used or adopted' }),
    ),
    csat: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 5, description: 'A support satisfaction rating, 1–5' }),
    ),
  },
  { additionalProperties: false },
);
export type SignalInput = Static<typeof SignalInputSchema>;

export const SignalBatchSchema = Type.Object(
  { signals: Type.Array(SignalInputSchema, { minItems: 1, maxItems: MAX_SIGNALS_PER_BATCH }) },
  { additionalProperties: false },
);

/** What became of a batch: all of it was taken, each signal new or a duplicate of one already stored. */
export const SignalBatchResultSchema = Type.Object({
  accepted: Type.Integer({ minimum: 0, description: 'Signals stored by this request' }),
  duplicates: Type.Integer({
    minimum: 0,
    description: 'Signals whose `event_id` was stored before (or repeated in the batch): left as they were',
  }),
});
export type SignalBatchResult = Static<typeof SignalBatchResultSchema>;

/** A stored signal. */
export const SignalSchema = Type.Object(
  {
    id: Type.String(),
    event_id: Type.String(),
    account_id: Type.String(),
    kind: StringEnum(SIGNAL_KINDS),
    at: Type.String({ format: 'date-time' }),
    value: Nullable(Type.Number()),
    feature: Nullable(Type.String()),
    csat: Nullable(Type.Integer()),
    received_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Signal', description: 'A usage, support, adoption or escalation event about an account' },
);
export type Signal = Static<typeof SignalSchema>;

/** The organisation's signal settings. */
export const SignalSettingsSchema = Type.Object(
  {
    quiet_days: Type.Integer({
      minimum: 1,
      maximum: 365,
      description:
        'Days without a usage signal, after go-live, before an account is quiet and its owner told',
    }),
  },
  { additionalProperties: false },
);
export type SignalSettings = Static<typeof SignalSettingsSchema>;
