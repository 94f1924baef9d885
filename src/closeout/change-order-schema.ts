import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { CHANGE_ORDER_ACTIONS, CHANGE_ORDER_STATES } from './domain/change-order.js';

export const ChangeOrderStateSchema = StringEnum(CHANGE_ORDER_STATES, {
  $id: 'ChangeOrderState',
  description: 'identified → quoted → approved → billed; or declined before it is billed',
});

const Instant = (description: string) => Nullable(Type.String({ format: 'date-time', description }));
const Amount = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Integer minor units of the currency (cents for USD)',
});
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. USD' });

/** Out-of-scope work asked for on an engagement, as a change order. */
export const ChangeOrderSchema = Type.Object(
  {
    id: Type.String(),
    engagement_id: Type.String(),
    request: Type.String({ description: 'What was asked' }),
    asked_by: Type.Object({
      contact_id: Nullable(Type.String({ description: "A contact of the engagement's account" })),
      name: Type.String(),
    }),
    scope_item: Nullable(
      Type.Object(
        { id: Type.String(), description: Type.String() },
        { description: "The engagement's explicit out-of-scope item the request matches" },
      ),
    ),
    amount_minor: Amount,
    currency: Currency,
    state: ChangeOrderStateSchema,
    logged_by: Type.String({ description: 'The user who logged it' }),
    identified_at: Type.String({ format: 'date-time' }),
    quoted_at: Instant('When it was quoted'),
    approved_at: Instant('When the client approved it'),
    billed_at: Instant('When it was billed'),
    declined_at: Instant('When it was declined'),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'ChangeOrder', description: 'Out-of-scope work and the change order it became' },
);
export type ChangeOrder = Static<typeof ChangeOrderSchema>;

export const NewChangeOrderBody = Type.Object(
  {
    request: Type.String({ maxLength: 2000, description: 'What was asked' }),
    asked_by_contact_id: Type.Optional(
      Type.String({ maxLength: 100, description: "Who asked, a contact of the engagement's account" }),
    ),
    asked_by_name: Type.Optional(
      Type.String({ maxLength: 200, description: 'Who asked, when not a contact on record' }),
    ),
    scope_item_id: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          "The engagement's explicit out-of-scope item it matches; when left out, the one item whose description matches the request, if exactly one does",
      }),
    ),
    amount_minor: Amount,
    currency: Type.String({ maxLength: 3, description: 'ISO 4217 code, e.g. USD' }),
  },
  { additionalProperties: false },
);

export const ChangeOrderActionParams = Type.Object({
  id: Type.String({ description: 'Record id' }),
  action: StringEnum(CHANGE_ORDER_ACTIONS, {
    description: 'quote (identified → quoted), approve, bill, or decline (before billing)',
  }),
});

export const ChangeOrderActionBody = Type.Object(
  {
    amount_minor: Type.Optional({
      ...Amount,
      description: 'Quoting only: the amount quoted, replacing the estimate',
    }),
  },
  { additionalProperties: false },
);

const Bucket = Type.Object({ count: Type.Integer(), amount_minor: Type.Integer() });
/** The capture report of one currency. */
export const ChangeOrderCurrencyReport = Type.Object({
  currency: Currency,
  identified: Bucket,
  quoted: Bucket,
  approved: Bucket,
  billed: Bucket,
  declined: Bucket,
  capture_rate: Type.Object({
    by_count: Nullable(Type.Number({ description: 'billed count ÷ identified count' })),
    by_amount: Nullable(Type.Number({ description: 'billed amount ÷ identified amount; null when 0' })),
  }),
});

export const ChangeOrderReportSchema = Type.Object(
  {
    from: Nullable(Type.String({ format: 'date' })),
    to: Nullable(Type.String({ format: 'date' })),
    engagement_id: Nullable(Type.String()),
    currencies: Type.Array(ChangeOrderCurrencyReport, {
      description: 'One entry per currency, alphabetical; amounts are never added across currencies',
    }),
  },
  {
    $id: 'ChangeOrderReport',
    description:
      'Change orders identified in the period (UTC days, inclusive), counted in every state each has reached',
  },
);
export type ChangeOrderReport = Static<typeof ChangeOrderReportSchema>;

export const ChangeOrderReportQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ maxLength: 10, description: 'First day identified (YYYY-MM-DD, UTC)' }),
    ),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'Last day identified (YYYY-MM-DD, UTC)' })),
    engagement_id: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
