import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';

/** The stages of a handoff's cycle time (docs/metrics.md, "Cycle times"). */
export const CYCLE_STAGES = ['signed_to_submitted', 'submitted_to_accepted', 'accepted_to_kickoff'] as const;
export type CycleStage = (typeof CYCLE_STAGES)[number];

/** The stages of the lifecycle funnel (docs/metrics.md, "Lifecycle funnel"). */
export const FUNNEL_STAGES = ['drafted', 'submitted', 'accepted', 'kicked_off', 'closed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** Whether an account's handoffs were clean (docs/metrics.md, "Retention beside handoff quality"). */
export const HANDOFF_QUALITIES = ['clean', 'not_clean'] as const;

const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'A month, YYYY-MM' });
const Count = Type.Integer({ minimum: 0 });
const Rate = (description: string) =>
  Nullable(
    Type.Number({ minimum: 0, maximum: 1, description: `${description}; null when nothing was counted` }),
  );
const Hours = (description: string) =>
  Nullable(Type.Number({ minimum: 0, description: `${description}; null when nothing was counted` }));

export const DashboardFiltersSchema = Type.Object(
  {
    from: Nullable({ ...Month, description: 'First month counted (YYYY-MM, inclusive)' }),
    to: Nullable({ ...Month, description: 'Last month counted (YYYY-MM, inclusive)' }),
    team: Nullable(Type.String({ description: 'A team id: handoffs it sends or receives' })),
    playbook: Nullable(Type.String({ description: 'A playbook id' })),
  },
  { description: 'The filters the figures were computed with' },
);

export const DashboardTotalsSchema = Type.Object({
  drafted: Type.Integer({ minimum: 0, description: 'Handoffs drafted in the period' }),
  submitted: Type.Integer({ minimum: 0, description: 'Handoffs first submitted in the period' }),
  accepted: Type.Integer({ minimum: 0, description: 'Of those, how many were accepted' }),
  first_pass_rate: Rate('Accepted with no rejection ÷ decided'),
  sla_compliance: Rate('Checkpoints done on time ÷ done on time or late'),
  on_time_completion: Rate('Closed handoffs none of whose required checkpoints was late ÷ closed handoffs'),
  promise_kept_rate: Rate('Kept ÷ (kept + broken + renegotiated)'),
  confirmation_change_rate: Rate('Confirmation calls that changed something ÷ confirmation calls done'),
  mean_question_rounds: Nullable(
    Type.Number({
      minimum: 0,
      description: 'Mean clarification rounds per submitted handoff; null when none',
    }),
  ),
  csat: Nullable(Type.Number({ description: 'Mean CSAT of the surveys answered; null when none' })),
  nps: Nullable(
    Type.Number({
      minimum: -100,
      maximum: 100,
      description: '% promoters (9–10) − % detractors (0–6), −100 to 100; null when no survey',
    }),
  ),
});

export const CycleTimeSchema = Type.Object({
  stage: StringEnum(CYCLE_STAGES),
  count: Count,
  median_hours: Hours('Nearest-rank median, in whole hours (rounded down)'),
  p90_hours: Hours('Nearest-rank 90th percentile, in whole hours (rounded down)'),
});

export const TrendPointSchema = Type.Object({
  period: Month,
  submitted: Count,
  accepted: Count,
  first_pass_rate: Rate('Accepted with no rejection ÷ decided'),
  sla_compliance: Rate('Checkpoints due in the month done on time ÷ done on time or late'),
  median_accept_hours: Hours('Nearest-rank median whole hours from first submission to acceptance'),
});

export const RejectionsByReasonSchema = Type.Object({ reason: Type.String(), count: Count });

export const FunnelStepSchema = Type.Object({ stage: StringEnum(FUNNEL_STAGES), count: Count });

export const ReviewGapRowSchema = Type.Object({
  playbook_id: Type.String(),
  playbook_key: Type.String(),
  field: Type.String({ description: 'The packet field compared, `section.field`' }),
  reviews: Type.Integer({ minimum: 1, description: 'Comparisons of the field in follow-up reviews' }),
  gaps: Count,
  gap_rate: Type.Number({ minimum: 0, maximum: 1, description: 'gaps ÷ reviews' }),
});

export const SenderScoreSchema = Type.Object({
  user_id: Type.String(),
  name: Type.String(),
  submitted: Count,
  first_pass_rate: Rate('Accepted with no rejection ÷ decided'),
  questions: Type.Integer({ minimum: 0, description: 'Questions the receivers raised on their handoffs' }),
  gaps: Type.Integer({ minimum: 0, description: 'Gaps the 72-hour reviews found later' }),
  rating: Nullable(Type.Number({ description: "Mean of the receivers' 30-day ratings; null when none" })),
});

export const HealthDistributionSchema = Type.Object(
  {
    bands: Type.Array(Type.Object({ band: Type.String(), count: Count })),
    buckets: Type.Array(
      Type.Object({
        from: Type.Number({ description: 'Lowest score of the bucket (inclusive)' }),
        to: Type.Number({ description: 'Highest score of the bucket (exclusive, but 100 is in the last)' }),
        count: Count,
      }),
    ),
  },
  {
    description:
      "The organisation's accounts by their latest health score's band and 10-point bucket (GET /reports/health), whatever the filters",
  },
);

export const RetentionByQualitySchema = Type.Object({
  quality: StringEnum(HANDOFF_QUALITIES),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  accounts: Count,
  nrr: Nullable(Type.Number({ description: '(starting + expansion − contraction − churn) ÷ starting' })),
  grr: Nullable(Type.Number({ description: '(starting − contraction − churn) ÷ starting' })),
});

/** Every figure of the dashboard at once: GET /api/v1/dashboard (docs/design-metrics.md). */
export const DashboardSchema = Type.Object(
  {
    filters: DashboardFiltersSchema,
    totals: DashboardTotalsSchema,
    cycle_times: Type.Array(CycleTimeSchema, { description: 'One entry per stage, in order' }),
    trend: Type.Array(TrendPointSchema, {
      description:
        'One entry per month in which a handoff was first submitted or a checkpoint due was settled, in order',
    }),
    rejections_by_reason: Type.Array(RejectionsByReasonSchema, { description: 'Most frequent first' }),
    funnel: Type.Array(FunnelStepSchema, { description: 'One entry per stage, in order' }),
    review_gaps: Type.Array(ReviewGapRowSchema, { description: 'Worst gap rate first' }),
    senders: Type.Array(SenderScoreSchema, { description: 'Most handoffs submitted first' }),
    health: HealthDistributionSchema,
    retention_by_quality: Type.Array(RetentionByQualitySchema, {
      description: 'Accounts whose handoffs were all clean beside the others, per currency',
    }),
  },
  {
    $id: 'Dashboard',
    description:
      'Every figure of the metrics dashboard for the filters; rates are fractions 0–1 or null when nothing was counted, never NaN',
  },
);
export type Dashboard = Static<typeof DashboardSchema>;
export type DashboardTotals = Static<typeof DashboardTotalsSchema>;
export type CycleTime = Static<typeof CycleTimeSchema>;
export type TrendPoint = Static<typeof TrendPointSchema>;
export type FunnelStep = Static<typeof FunnelStepSchema>;
export type ReviewGapRow = Static<typeof ReviewGapRowSchema>;
export type SenderScore = Static<typeof SenderScoreSchema>;
export type HealthDistribution = Static<typeof HealthDistributionSchema>;
export type RetentionByQuality = Static<typeof RetentionByQualitySchema>;

export const DashboardQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 7, description: 'First month (YYYY-MM, inclusive)' })),
    to: Type.Optional(Type.String({ maxLength: 7, description: 'Last month (YYYY-MM, inclusive)' })),
    team: Type.Optional(
      Type.String({ maxLength: 100, description: 'A team id: handoffs it sends or receives' }),
    ),
    playbook: Type.Optional(Type.String({ maxLength: 100, description: 'A playbook id' })),
  },
  { additionalProperties: false },
);
