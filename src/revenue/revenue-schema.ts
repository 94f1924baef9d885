import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import {
  CURRENCY_PATTERN,
  MAX_AMOUNT_MINOR,
  PERIOD_PATTERN,
  REVENUE_KINDS,
} from './domain/revenue-record.js';

/** The most records one request may carry. */
export const MAX_REVENUE_RECORDS_PER_BATCH = 5000;

export const RevenueKindSchema = StringEnum(REVENUE_KINDS, {
  $id: 'RevenueKind',
  description:
    "`starting`: the account's recurring revenue at the start of the month; `expansion`, `contraction`, `churn`: a movement during it. Amounts are never negative: the kind carries the sign.",
});
const Period = Type.String({ pattern: PERIOD_PATTERN, description: 'A month, `YYYY-MM`' });
const Amount = Type.Integer({
  minimum: 0,
  maximum: MAX_AMOUNT_MINOR,
  description: 'Integer minor units of the currency (cents for USD), never negative',
});
const Currency = Type.String({ pattern: CURRENCY_PATTERN, description: 'ISO 4217 code, e.g. USD' });

/** One record as posted: its account by Baton id or by an id of another system. */
export const RevenueRecordInputSchema = Type.Object(
  {
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
    period: Period,
    kind: RevenueKindSchema,
    amount_minor: Amount,
    currency: Currency,
    external_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "The sender's id of the record: a second post of the same id is a duplicate and changes nothing",
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type RevenueRecordInput = Static<typeof RevenueRecordInputSchema>;

export const RevenueBatchSchema = Type.Object(
  { records: Type.Array(RevenueRecordInputSchema, { minItems: 1, maxItems: MAX_REVENUE_RECORDS_PER_BATCH }) },
  { additionalProperties: false },
);

/** What became of a batch: all of it was taken, each record new or a duplicate of one stored. */
export const RevenueBatchResultSchema = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'Records stored by this request' }),
    duplicates: Type.Integer({
      minimum: 0,
      description:
        'Records whose `external_id` was stored before (or repeated in the batch): left as they were',
    }),
  },
  { $id: 'RevenueBatchResult' },
);
export type RevenueBatchResult = Static<typeof RevenueBatchResultSchema>;

/** A stored record. */
export const RevenueRecordSchema = Type.Object(
  {
    id: Type.String(),
    account_id: Type.String(),
    period: Period,
    kind: RevenueKindSchema,
    amount_minor: Amount,
    currency: Currency,
    external_id: Nullable(Type.String()),
    note: Nullable(Type.String()),
    created_by: Type.String({ description: 'The user who recorded it' }),
    created_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'RevenueRecord', description: "One movement of an account's recurring revenue in a month" },
);
export type RevenueRecord = Static<typeof RevenueRecordSchema>;

export const RevenueListQuery = Type.Object(
  {
    account_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    from: Type.Optional(Type.String({ pattern: PERIOD_PATTERN, description: 'First month, inclusive' })),
    to: Type.Optional(Type.String({ pattern: PERIOD_PATTERN, description: 'Last month, inclusive' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type RevenueListFilter = Static<typeof RevenueListQuery>;

/** An account's records of one period and currency, added up. */
export const RevenuePeriodSchema = Type.Object(
  {
    period: Period,
    currency: Currency,
    starting_minor: Type.Integer(),
    expansion_minor: Type.Integer(),
    contraction_minor: Type.Integer(),
    churn_minor: Type.Integer(),
    ending_minor: Type.Integer({ description: 'starting + expansion − contraction − churn' }),
  },
  { $id: 'RevenuePeriod' },
);

/** An account's recurring revenue: totals per period and currency, and the records behind them. */
export const AccountRevenueSchema = Type.Object(
  {
    account_id: Type.String(),
    periods: Type.Array(RevenuePeriodSchema, { description: 'Oldest first; never added across currencies' }),
    records: Type.Array(RevenueRecordSchema, { description: 'Oldest period first' }),
  },
  { $id: 'AccountRevenue' },
);
export type AccountRevenue = Static<typeof AccountRevenueSchema>;

export const RetentionQuerySchema = Type.Object(
  {
    from: Type.String({ pattern: PERIOD_PATTERN, description: 'First month, `YYYY-MM`, inclusive' }),
    to: Type.String({ pattern: PERIOD_PATTERN, description: 'Last month, `YYYY-MM`, inclusive' }),
    by: Type.Optional(
      StringEnum(['period', 'cohort'] as const, {
        default: 'period',
        description:
          '`cohort`: one row per go-live quarter of the accounts (`none`: not live yet) and window',
      }),
    ),
    grain: Type.Optional(
      StringEnum(['month', 'quarter'] as const, {
        default: 'month',
        description: '`quarter`: `from` and `to` widen to whole quarters',
      }),
    ),
  },
  { additionalProperties: false },
);

/** NRR and GRR of one window, currency and (by cohort) cohort: what the dashboard charts. */
export const RetentionRowSchema = Type.Object(
  {
    period: Type.String({ description: 'The window: `YYYY-MM` by month, `YYYY-Qn` by quarter' }),
    cohort: Type.Optional(
      Type.String({ description: 'By cohort: the go-live quarter `YYYY-Qn` of its accounts, or `none`' }),
    ),
    currency: Currency,
    starting_minor: Type.Integer({ description: "Σ starting records of the window's first month" }),
    expansion_minor: Type.Integer({ description: 'Σ expansion records of the window' }),
    contraction_minor: Type.Integer({ description: 'Σ contraction records of the window' }),
    churn_minor: Type.Integer({ description: 'Σ churn records of the window' }),
    nrr: Nullable(
      Type.Number({
        description: '(starting + expansion − contraction − churn) ÷ starting; null when starting is 0',
      }),
    ),
    grr: Nullable(
      Type.Number({ description: '(starting − contraction − churn) ÷ starting; null when starting is 0' }),
    ),
  },
  { $id: 'RetentionRow' },
);
export type RetentionRow = Static<typeof RetentionRowSchema>;

/** The retention report: its query as read (months widened by quarter) and its rows. */
export const RetentionReportSchema = Type.Object(
  {
    from: Period,
    to: Period,
    by: StringEnum(['period', 'cohort'] as const),
    grain: StringEnum(['month', 'quarter'] as const),
    rows: Type.Array(RetentionRowSchema, {
      description:
        'One per window, currency (and cohort) with any record, by cohort, window, currency; amounts are never added across currencies',
    }),
  },
  { $id: 'RetentionReport', description: 'Net and gross revenue retention (docs/metrics.md)' },
);
export type RetentionReport = Static<typeof RetentionReportSchema>;

/** What an import of a CSV file of revenue records did. */
export const RevenueImportSchema = Type.Object(
  {
    rows: Type.Integer({ description: 'Rows read from the file' }),
    accepted: Type.Integer({ description: 'Records stored' }),
    duplicates: Type.Integer({ description: 'Rows whose External ID was stored before: left as they were' }),
  },
  { $id: 'RevenueImport' },
);
export type RevenueImport = Static<typeof RevenueImportSchema>;
