import { type AliasedRawBuilder, type RawBuilder, sql } from 'kysely';
import type { Db } from '../../kernel/context.js';
import type {
  CheckpointRollupsTable,
  CycleRollupsTable,
  DraftRollupsTable,
  HandoffRollupsTable,
  PromiseRollupsTable,
  RejectionRollupsTable,
  ReviewGapRollupsTable,
  SurveyRollupsTable,
} from '../../kernel/db/schema.js';

/**
 * The monthly roll-ups of the metrics' facts (docs/design-metrics.md, "Monthly roll-ups"), each
 * defined once as SQL over its fact table (alias `f`): the refresher inserts these sums for the
 * months it rolls up, and the metrics read the same sums from the facts for the months not yet
 * rolled up (`rollupSource`), so both paths count alike by construction.
 */
export interface Rollup<Row> {
  table: RollupTable;
  /** The fact table it sums, aliased `f` (and whose months `markEveryMonth` marks). */
  facts: FactTable;
  /** What else the facts are joined to, if anything. */
  join?: RawBuilder<unknown>;
  /** The fact column holding the month a fact row is counted in. */
  period: 'period' | 'created_period';
  /** Conditions on the facts beyond the organisation and the month (none: every row). */
  where: RawBuilder<unknown>[];
  /** Key columns beside `org_id` and `period`: name → expression over `f`. */
  keys: Record<string, RawBuilder<unknown>>;
  /** Summed columns: name → aggregate over `f`. */
  sums: Record<string, RawBuilder<unknown>>;
  /** Only to carry the row type. */
  row?: Row;
}

export type FactTable =
  | 'handoff_facts'
  | 'handoff_rejection_facts'
  | 'checkpoint_facts'
  | 'review_gap_facts'
  | 'promise_facts'
  | 'survey_facts';

export type RollupTable =
  | 'handoff_rollups'
  | 'draft_rollups'
  | 'rejection_rollups'
  | 'checkpoint_rollups'
  | 'review_gap_rollups'
  | 'promise_rollups'
  | 'cycle_rollups'
  | 'survey_rollups';

const f = (column: string) => sql.ref(`f.${column}`);
const count = (column?: string) => (column ? sql`count(${f(column)})` : sql`count(*)`);
const total = (expression: RawBuilder<unknown>) => sql`coalesce(sum(${expression}), 0)`;
const when = (condition: RawBuilder<unknown>) =>
  sql`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

/** The dimensions every roll-up but the cycle histogram keeps, as the facts name them. */
const DIMENSIONS = {
  playbook_id: f('playbook_id'),
  sending_team_id: f('sending_team_id'),
  receiving_team_id: f('receiving_team_id'),
  sender_user_id: f('sender_user_id'),
};

/** A required checkpoint of the handoff went late (on-time completion counts the closed without one). */
const LATE = sql`exists (select 1 from checkpoint_facts c where c.handoff_id = f.handoff_id and c.org_id = f.org_id and c.required = 1 and c.on_time = 0)`;

/** A duration in whole hours, rounded down (also for the odd negative one). */
export const wholeHours = (seconds: RawBuilder<unknown>) =>
  sql<number>`case when ${seconds} >= 0 then ${seconds} / 3600 else -((3599 - ${seconds}) / 3600) end`;

/** The cycle-time stages, by number (cycle_rollups.stage) and name. */
export const CYCLE_STAGE_NAMES = [
  'signed_to_submitted',
  'submitted_to_accepted',
  'accepted_to_kickoff',
] as const;

const STAGES = sql`(select 1 as stage union all select 2 union all select 3) stages`;
const STAGE_SECONDS = sql`case stages.stage when 1 then f.signed_to_submitted_s when 2 then f.submitted_to_accepted_s else f.accepted_to_kickoff_s end`;

export const HANDOFFS: Rollup<HandoffRollupsTable> = {
  table: 'handoff_rollups',
  facts: 'handoff_facts',
  period: 'period',
  where: [],
  keys: { ...DIMENSIONS, question_rounds: f('question_rounds') },
  sums: {
    handoffs: count(),
    accepted: count('accepted_at'),
    decided: count('first_pass'),
    first_pass: total(f('first_pass')),
    questions: total(f('questions')),
    closed: count('closed_at'),
    closed_on_time: when(sql`f.closed_at is not null and not ${LATE}`),
    signed_n: count('signed_to_submitted_s'),
    accept_n: count('submitted_to_accepted_s'),
    kickoff_n: count('accepted_to_kickoff_s'),
  },
};

export const DRAFTS: Rollup<DraftRollupsTable> = {
  table: 'draft_rollups',
  facts: 'handoff_facts',
  period: 'created_period',
  where: [],
  keys: DIMENSIONS,
  sums: {
    drafted: count(),
    submitted: count('first_submitted_at'),
    accepted: count('accepted_at'),
    kicked_off: count('kickoff_at'),
    closed: count('closed_at'),
  },
};

export const REJECTIONS: Rollup<RejectionRollupsTable> = {
  table: 'rejection_rollups',
  facts: 'handoff_rejection_facts',
  period: 'period',
  where: [],
  keys: { ...DIMENSIONS, reason: f('reason') },
  sums: { rejections: count() },
};

const CALL_DONE = sql`f.kind = ${sql.lit('confirmation_call')} and f.state = ${sql.lit('done')}`;
const RATED = sql`f.kind = ${sql.lit('satisfaction_check')} and f.rating is not null`;

export const CHECKPOINTS: Rollup<CheckpointRollupsTable> = {
  table: 'checkpoint_rollups',
  facts: 'checkpoint_facts',
  period: 'period',
  where: [],
  keys: DIMENSIONS,
  sums: {
    settled: count('on_time'),
    on_time: total(f('on_time')),
    calls: when(CALL_DONE),
    calls_changed: when(sql`${CALL_DONE} and f.changed = 1`),
    ratings: when(RATED),
    rating_sum: total(sql`case when ${RATED} then f.rating else 0 end`),
  },
};

export const REVIEW_GAPS: Rollup<ReviewGapRollupsTable> = {
  table: 'review_gap_rollups',
  facts: 'review_gap_facts',
  period: 'period',
  where: [],
  keys: { ...DIMENSIONS, playbook_key: f('playbook_key'), field: f('field') },
  sums: { reviews: count(), gaps: total(f('gap')) },
};

export const PROMISES: Rollup<PromiseRollupsTable> = {
  table: 'promise_rollups',
  facts: 'promise_facts',
  period: 'period',
  where: [],
  keys: DIMENSIONS,
  sums: {
    kept: when(sql`f.status = ${sql.lit('kept')}`),
    broken: when(sql`f.status = ${sql.lit('broken')}`),
    renegotiated: when(sql`f.status = ${sql.lit('renegotiated')}`),
    open: when(sql`f.status = ${sql.lit('open')}`),
  },
};

export const CYCLES: Rollup<CycleRollupsTable> = {
  table: 'cycle_rollups',
  facts: 'handoff_facts',
  join: sql`cross join ${STAGES}`,
  period: 'period',
  where: [sql`${STAGE_SECONDS} is not null`],
  keys: { stage: sql`stages.stage`, hours: wholeHours(STAGE_SECONDS) },
  sums: { handoffs: count() },
};

export const SURVEYS: Rollup<SurveyRollupsTable> = {
  table: 'survey_rollups',
  facts: 'survey_facts',
  period: 'period',
  where: [],
  keys: {},
  sums: {
    responses: count(),
    csat_sum: total(f('csat')),
    promoters: when(sql`f.nps >= 9`),
    passives: when(sql`f.nps between 7 and 8`),
    detractors: when(sql`f.nps <= 6`),
  },
};

export const ROLLUPS = [
  HANDOFFS,
  DRAFTS,
  REJECTIONS,
  CHECKPOINTS,
  REVIEW_GAPS,
  PROMISES,
  CYCLES,
  SURVEYS,
] as const;

/** Every column of a roll-up's rows, in order: organisation, month, keys, sums. */
export function columnsOf(rollup: Rollup<unknown>): string[] {
  return ['org_id', 'period', ...Object.keys(rollup.keys), ...Object.keys(rollup.sums)];
}

/**
 * The roll-up's rows computed from the facts of one organisation's months that `months` admits
 * (a condition on `f.<period>`), in the columns of `columnsOf`.
 */
export function rolledUpFacts(
  rollup: Rollup<unknown>,
  orgId: string,
  months: (period: RawBuilder<unknown>) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const period = f(rollup.period);
  const keys = Object.entries(rollup.keys);
  const conditions = [sql`f.org_id = ${orgId}`, sql`${period} is not null`, months(period), ...rollup.where];
  return sql`select f.org_id, ${period} as period, ${sql.join([
    ...keys.map(([name, expression]) => sql`${expression} as ${sql.ref(name)}`),
    ...Object.entries(rollup.sums).map(([name, expression]) => sql`${expression} as ${sql.ref(name)}`),
  ])} from ${sql.table(rollup.facts)} f ${rollup.join ?? sql``} where ${sql.join(conditions, sql` and `)} group by ${sql.join(
    [sql`f.org_id`, period, ...keys.map(([, expression]) => expression)],
  )}`;
}

/** Bounds on the months read, so each side of the union reads only those. */
export interface MonthBounds {
  from: string | null;
  to: string | null;
}

const within = (period: RawBuilder<unknown>, bounds: MonthBounds) => [
  ...(bounds.from ? [sql`${period} >= ${bounds.from}`] : []),
  ...(bounds.to ? [sql`${period} <= ${bounds.to}`] : []),
];

/**
 * The organisation's months (within the bounds) that have marks: read once, in the snapshot the
 * metrics then read in, so each statement knows which months to read from the facts.
 */
export async function markedMonths(db: Db, orgId: string, bounds: MonthBounds): Promise<string[]> {
  let query = db.selectFrom('metric_rollup_marks').select('period').distinct().where('org_id', '=', orgId);
  if (bounds.from) query = query.where('period', '>=', bounds.from);
  if (bounds.to) query = query.where('period', '<=', bounds.to);
  return (await query.orderBy('period').execute()).map((row) => row.period);
}

/**
 * What the metrics read instead of a fact table: the organisation's roll-up rows of the months
 * not marked, and the same sums computed from the facts of the marked months (`marked`, read in
 * the same snapshot by `markedMonths`), an index range of the facts per marked month
 * (docs/design-metrics.md, "Reading"). Aliased `f`, in the roll-up's columns.
 */
export function rollupSource<Row>(
  rollup: Rollup<Row>,
  orgId: string,
  bounds: MonthBounds,
  marked: readonly string[],
): AliasedRawBuilder<Row, 'f'> {
  const columns = sql.join(columnsOf(rollup).map((c) => sql.ref(`r.${c}`)));
  const rolled = [
    sql`r.org_id = ${orgId}`,
    ...within(sql.ref('r.period'), bounds),
    ...(marked.length > 0 ? [sql`r.period not in (${sql.join(marked)})`] : []),
  ];
  const rows = sql`select ${columns} from ${sql.table(rollup.table)} r where ${sql.join(rolled, sql` and `)}`;
  if (marked.length === 0) return sql<Row>`(${rows})`.as('f');
  const live = rolledUpFacts(rollup, orgId, (period) => sql`${period} in (${sql.join(marked)})`);
  return sql<Row>`(${rows} union all ${live})`.as('f');
}
