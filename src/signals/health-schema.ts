import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { HEALTH_BANDS, HEALTH_COMPONENTS } from './domain/health-score.js';

const Weight = (what: string) =>
  Type.Number({ minimum: 0, maximum: 1000, description: `The weight of ${what} (0 leaves it out)` });
const Threshold = (band: string) =>
  Type.Number({ minimum: 0, maximum: 100, description: `The lowest score that is \`${band}\`` });

/** How the organisation scores its accounts' health. */
export const HealthSettingsSchema = Type.Object(
  {
    window_days: Type.Integer({
      minimum: 1,
      maximum: 365,
      description:
        'The window, in days back from the moment of scoring, the components look at (usage compares it with the window before)',
    }),
    weights: Type.Object(
      {
        usage: Weight('usage (this window against the one before)'),
        support: Weight('support satisfaction (mean CSAT of the window)'),
        adoption: Weight('adoption (share of the named features used in the window)'),
        escalations: Weight('open escalations (fewer is better)'),
      },
      { additionalProperties: false, description: 'At least one above 0' },
    ),
    features: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
      maxItems: 100,
      description:
        'The named features whose adoption counts, each once (compared without regard to case); none leaves adoption out',
    }),
    bands: Type.Object(
      { healthy: Threshold('healthy'), watch: Threshold('watch') },
      {
        additionalProperties: false,
        description: '`watch` below `healthy`; a score below `watch` is `at_risk`',
      },
    ),
  },
  { additionalProperties: false, $id: 'HealthSettings' },
);
export type HealthSettings = Static<typeof HealthSettingsSchema>;

export const HealthComponentSchema = Type.Object({
  component: StringEnum(HEALTH_COMPONENTS),
  score: Nullable(
    Type.Number({ minimum: 0, maximum: 100, description: '0–100, or null when there is no data for it' }),
  ),
  weight: Type.Number({ minimum: 0 }),
  detail: Type.String({ description: 'What it was computed from' }),
});
export type HealthComponentView = Static<typeof HealthComponentSchema>;

/** One day of an account's health history. */
export const HealthHistoryRowSchema = Type.Object({
  scored_on: Type.String({ format: 'date', description: "The organisation's local date" }),
  score: Type.Number({ minimum: 0, maximum: 100 }),
  band: StringEnum(HEALTH_BANDS),
  components: Type.Array(HealthComponentSchema),
  computed_at: Type.String({ format: 'date-time' }),
});
export type HealthHistoryRow = Static<typeof HealthHistoryRowSchema>;

/** An account's health now, computed from its signals, with its daily history. */
export const AccountHealthSchema = Type.Object(
  {
    account_id: Type.String(),
    as_of: Type.String({ format: 'date-time' }),
    window_days: Type.Integer(),
    score: Nullable(
      Type.Number({ minimum: 0, maximum: 100, description: 'Null when no component has data' }),
    ),
    band: Nullable(StringEnum(HEALTH_BANDS)),
    components: Type.Array(HealthComponentSchema),
    items: Type.Array(HealthHistoryRowSchema, { description: 'The daily scores, newest first' }),
  },
  { $id: 'AccountHealth' },
);
export type AccountHealth = Static<typeof AccountHealthSchema>;

/** One account's latest score, in the distribution. */
export const HealthReportRowSchema = Type.Object({
  account_id: Type.String(),
  account_name: Type.String(),
  scored_on: Type.String({ format: 'date' }),
  score: Type.Number({ minimum: 0, maximum: 100 }),
  band: StringEnum(HEALTH_BANDS),
});
export type HealthReportRow = Static<typeof HealthReportRowSchema>;

/** The health distribution: each account's latest daily score, counted by band and by 10 points. */
export const HealthReportSchema = Type.Object(
  {
    accounts: Type.Integer({ minimum: 0, description: 'Accounts with a score (of the band asked for)' }),
    bands: Type.Array(Type.Object({ band: StringEnum(HEALTH_BANDS), count: Type.Integer({ minimum: 0 }) })),
    buckets: Type.Array(
      Type.Object({
        from: Type.Integer({ description: 'Lowest score of the bucket' }),
        to: Type.Integer({ description: 'Scores below this (the last bucket includes 100)' }),
        count: Type.Integer({ minimum: 0 }),
      }),
    ),
    items: Type.Array(HealthReportRowSchema, { description: 'The accounts, lowest score first' }),
  },
  { $id: 'HealthReport' },
);
export type HealthReport = Static<typeof HealthReportSchema>;
