import { type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../kernel/context.js';
import type { Dimension, MetricFilters } from './domain/metric-filters.js';

/**
 * Every metric of docs/metrics.md as ONE SQL statement over the fact tables, written once with
 * Kysely and run alike on SQLite and PostgreSQL: always of one organisation, filtered by period
 * (`YYYY-MM`, inclusive), team (sending or receiving), sender and playbook, grouped by the
 * dimension asked. Percentiles are nearest-rank (the value at rank ceil(p·n) of the ordered
 * values), read with row_number() over a window, which both databases have; the rank test is in
 * integers (`rn·den ≥ num·n`), so no rounding of p·n differs between them.
 *
 * Each answers rows whose first column, unless grouped by `none`, is the group: `period`,
 * `team`, `sender` or `playbook` (an id). Rates are fractions 0–1, null when nothing was counted.
 */
export interface MetricAsk {
  orgId: string;
  filters: MetricFilters;
  by: Dimension;
}

export type MetricRow = Record<string, string | number | null>;

// biome-ignore lint/suspicious/noExplicitAny: the fact tables share the columns the scope names
type AnyQuery = SelectQueryBuilder<any, any, any>;

/** A fact table as the scope reads it: the month column a row is counted in. */
interface Source {
  period: 'period' | 'created_period';
}

/** The two sides of a handoff, so grouping by team counts it under each of its teams. */
const SIDES = sql<{ side: number }>`(select 1 as side union all select 2 as side)`.as('sides');

const ref = (column: string) => sql.ref(`f.${column}`);

/** The group a fact row falls in, for the dimension asked (null when not grouped). */
function groupKey(by: Dimension, source: Source): RawBuilder<string | null> {
  switch (by) {
    case 'period':
      return sql<string>`${ref(source.period)}`;
    case 'sender':
      return sql<string>`${ref('sender_user_id')}`;
    case 'playbook':
      return sql<string>`${ref('playbook_id')}`;
    case 'team':
      return sql<string>`case when sides.side = 1 then f.sending_team_id else f.receiving_team_id end`;
    case 'none':
      return sql<null>`null`;
  }
}

/** The organisation, months and records a fact row must match (alias `f`). */
function scope(ask: MetricAsk, source: Source): Expression<SqlBool> {
  const { filters: f, orgId, by } = ask;
  const period = ref(source.period);
  const parts: RawBuilder<unknown>[] = [sql`${ref('org_id')} = ${orgId}`, sql`${period} is not null`];
  if (f.from) parts.push(sql`${period} >= ${f.from}`);
  if (f.to) parts.push(sql`${period} <= ${f.to}`);
  if (f.sender) parts.push(sql`${ref('sender_user_id')} = ${f.sender}`);
  if (f.playbook) parts.push(sql`${ref('playbook_id')} = ${f.playbook}`);
  if (by === 'team') {
    // Its receiving team too, unless that is the team that sent it.
    parts.push(sql`(sides.side = 1 or f.receiving_team_id <> f.sending_team_id)`);
    if (f.team) parts.push(sql`${groupKey('team', source)} = ${f.team}`);
  } else if (f.team) {
    parts.push(sql`(f.sending_team_id = ${f.team} or f.receiving_team_id = ${f.team})`);
  }
  return sql<SqlBool>`${sql.join(parts, sql` and `)}`;
}

/** The fact rows of the ask, `f`, joined to the sides of a handoff when grouped by team. */
function scoped<Q extends AnyQuery>(query: Q, ask: MetricAsk, source: Source): Q {
  const joined = ask.by === 'team' ? (query.innerJoin(SIDES, (j) => j.onTrue()) as Q) : query;
  return joined.where(scope(ask, source)) as Q;
}

/**
 * The group of a row: `select` names it (null when not grouped), `group` is what rows are grouped
 * and ordered by (the organisation when not grouped: PostgreSQL refuses to group by a constant,
 * and no GROUP BY at all would answer a row of zeros for an empty period).
 */
function keyed(
  ask: MetricAsk,
  source: Source,
): { select: RawBuilder<string | null>; group: RawBuilder<string> } {
  const key = groupKey(ask.by, source);
  return { select: key, group: ask.by === 'none' ? sql<string>`f.org_id` : (key as RawBuilder<string>) };
}

const rate = (numerator: RawBuilder<unknown>, denominator: RawBuilder<unknown>) =>
  sql<
    number | null
  >`case when ${denominator} = 0 then null else cast(${numerator} as double precision) / ${denominator} end`;
const count = (expression: RawBuilder<unknown> = sql`*`) => sql<number>`count(${expression})`;
const total = (expression: RawBuilder<unknown>) => sql<number>`coalesce(sum(${expression}), 0)`;
const when = (condition: RawBuilder<unknown>) =>
  sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

/** Handoffs first submitted in the period: their month is `period`, null until then. */
const SUBMITTED: Source = { period: 'period' };
/** Handoffs drafted in the period. */
const DRAFTED: Source = { period: 'created_period' };
/** Every other fact table: the month it is counted in is `period`. */
const FACT: Source = { period: 'period' };

/** Runs a statement and answers its rows with every number a number (PostgreSQL sends numeric as text). */
async function rowsOf(query: { execute(): Promise<unknown[]> }, ask: MetricAsk): Promise<MetricRow[]> {
  const rows = (await query.execute()) as Record<string, unknown>[];
  return rows.map((row) => {
    const out: MetricRow = {};
    for (const [name, value] of Object.entries(row)) {
      if (name === 'k') {
        if (ask.by !== 'none') out[ask.by] = value as string | null;
        continue;
      }
      out[name] =
        value === null || value === undefined
          ? null
          : typeof value === 'string' && !/^-?[0-9.e+-]+$/i.test(value)
            ? value
            : typeof value === 'string' || typeof value === 'bigint'
              ? Number(value)
              : (value as number);
    }
    return out;
  });
}

type Statement = (db: Db, ask: MetricAsk) => Promise<MetricRow[]>;

/** first_pass_rate: of handoffs first submitted in the period, accepted with no rejection ÷ decided. */
const firstPassRate: Statement = (db, ask) => {
  const k = keyed(ask, SUBMITTED);
  const query = scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
    .select([
      k.select.as('k'),
      count().as('submitted'),
      count(ref('accepted_at')).as('accepted'),
      count(ref('first_pass')).as('decided'),
      total(ref('first_pass')).as('first_pass'),
      rate(sql`sum(f.first_pass)`, count(ref('first_pass'))).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

const CYCLE_STAGES = sql<{
  ord: number;
  stage: string;
}>`(select 1 as ord, ${sql.lit('signed_to_submitted')} as stage union all select 2, ${sql.lit('submitted_to_accepted')} union all select 3, ${sql.lit('accepted_to_kickoff')})`.as(
  'stages',
);

/**
 * cycle_times: for each stage, over handoffs first submitted in the period with both ends of the
 * stage, how many, and the nearest-rank median and 90th percentile of the stage's hours.
 */
const cycleTimes: Statement = (db, ask) => {
  const k = keyed(ask, SUBMITTED);
  const seconds = sql<number>`case stages.stage when ${sql.lit('signed_to_submitted')} then f.signed_to_submitted_s when ${sql.lit('submitted_to_accepted')} then f.submitted_to_accepted_s else f.accepted_to_kickoff_s end`;
  const query = db
    .with('stage_values', () =>
      scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
        .innerJoin(CYCLE_STAGES, (j) => j.onTrue())
        .select([k.select.as('k'), 'stages.ord', 'stages.stage', seconds.as('x')]),
    )
    .with('ranked', (w) =>
      w
        .selectFrom('stage_values')
        .where('x', 'is not', null)
        .select([
          'k',
          'ord',
          'stage',
          'x',
          sql<number>`row_number() over (partition by k, stage order by x)`.as('rn'),
          sql<number>`count(*) over (partition by k, stage)`.as('n'),
        ]),
    )
    .selectFrom('ranked')
    .select([
      'k',
      'stage',
      sql<number>`max(n)`.as('count'),
      sql<number>`min(case when rn * 2 >= n then x end) / 3600.0`.as('median_hours'),
      sql<number>`min(case when rn * 10 >= n * 9 then x end) / 3600.0`.as('p90_hours'),
    ])
    .groupBy(['k', 'ord', 'stage'])
    .orderBy('k')
    .orderBy('ord');
  return rowsOf(query, ask);
};

/** rejections_by_reason: rejections made in the period, by reason, most frequent first. */
const rejectionsByReason: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(db.selectFrom('handoff_rejection_facts as f'), ask, FACT)
    .select([k.select.as('k'), 'f.reason', count().as('count')])
    .groupBy([k.group, 'f.reason'])
    .orderBy(k.group)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('f.reason');
  return rowsOf(query, ask);
};

/** question_rounds: handoffs first submitted in the period, their clarification rounds, the mean. */
const questionRounds: Statement = (db, ask) => {
  const k = keyed(ask, SUBMITTED);
  const query = scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
    .select([
      k.select.as('k'),
      count().as('handoffs'),
      total(ref('question_rounds')).as('rounds'),
      rate(sql`sum(f.question_rounds)`, count()).as('mean_rounds'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** question_rounds_distribution: how many handoffs first submitted in the period took each number of rounds. */
const questionRoundsDistribution: Statement = (db, ask) => {
  const k = keyed(ask, SUBMITTED);
  const query = scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
    .select([k.select.as('k'), 'f.question_rounds as rounds', count().as('handoffs')])
    .groupBy([k.group, 'f.question_rounds'])
    .orderBy(k.group)
    .orderBy('f.question_rounds');
  return rowsOf(query, ask);
};

/** sla_compliance: checkpoints due in the period settled on time ÷ on time or late. */
const slaCompliance: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(db.selectFrom('checkpoint_facts as f'), ask, FACT)
    .where('f.on_time', 'is not', null)
    .select([
      k.select.as('k'),
      total(ref('on_time')).as('on_time'),
      sql<number>`count(*) - sum(f.on_time)`.as('late'),
      rate(sql`sum(f.on_time)`, count()).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/**
 * on_time_completion: of handoffs first submitted in the period and since closed, those none of
 * whose required checkpoints was late (on_time = 0) ÷ those closed.
 */
const onTimeCompletion: Statement = (db, ask) => {
  const k = keyed(ask, SUBMITTED);
  const late = sql`exists (select 1 from checkpoint_facts c where c.handoff_id = f.handoff_id and c.org_id = f.org_id and c.required = 1 and c.on_time = 0)`;
  const query = scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
    .where('f.closed_at', 'is not', null)
    .select([
      k.select.as('k'),
      count().as('closed'),
      when(sql`not ${late}`).as('on_time'),
      rate(sql`sum(case when not ${late} then 1 else 0 end)`, count()).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** review_gaps: comparisons of follow-up reviews made in the period, by playbook and field, worst first. */
const reviewGaps: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(db.selectFrom('review_gap_facts as f'), ask, FACT)
    .select([
      k.select.as('k'),
      'f.playbook_id',
      'f.playbook_key',
      'f.field',
      count().as('reviews'),
      total(ref('gap')).as('gaps'),
      rate(sql`sum(f.gap)`, count()).as('gap_rate'),
    ])
    .groupBy([k.group, 'f.playbook_id', 'f.playbook_key', 'f.field'])
    .orderBy(k.group)
    .orderBy(sql`cast(sum(f.gap) as double precision) / count(*)`, 'desc')
    .orderBy(sql`sum(f.gap)`, 'desc')
    .orderBy('f.playbook_key')
    .orderBy('f.field');
  return rowsOf(query, ask);
};

/** confirmation_change_rate: confirmation calls due in the period and done, those that changed something ÷ all. */
const confirmationChangeRate: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(db.selectFrom('checkpoint_facts as f'), ask, FACT)
    .where('f.kind', '=', 'confirmation_call')
    .where('f.state', '=', 'done')
    .select([
      k.select.as('k'),
      count().as('calls'),
      when(sql`f.changed = 1`).as('changed'),
      rate(sql`sum(case when f.changed = 1 then 1 else 0 end)`, count()).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** promise_kept_rate: promises made in the period, kept ÷ (kept + broken + renegotiated). */
const promiseKeptRate: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const settled = sql`sum(case when f.status in (${sql.lit('kept')}, ${sql.lit('broken')}, ${sql.lit('renegotiated')}) then 1 else 0 end)`;
  const query = scoped(db.selectFrom('promise_facts as f'), ask, FACT)
    .select([
      k.select.as('k'),
      when(sql`f.status = ${sql.lit('kept')}`).as('kept'),
      when(sql`f.status = ${sql.lit('broken')}`).as('broken'),
      when(sql`f.status = ${sql.lit('renegotiated')}`).as('renegotiated'),
      when(sql`f.status = ${sql.lit('open')}`).as('open'),
      rate(sql`sum(case when f.status = ${sql.lit('kept')} then 1 else 0 end)`, settled).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/**
 * csat_nps: surveys answered in the period: mean CSAT, and NPS = % promoters (9–10) − % detractors
 * (0–6). Surveys carry no team, sender or playbook: those filters keep the surveys of engagements
 * with a handoff that matches them.
 */
const csatNps: Statement = (db, ask) => {
  const { filters: f, orgId } = ask;
  const k = keyed({ ...ask, by: ask.by === 'period' ? 'period' : 'none' }, FACT);
  const conditions: RawBuilder<unknown>[] = [];
  if (f.team) conditions.push(sql`(h.sending_team_id = ${f.team} or h.receiving_team_id = ${f.team})`);
  if (f.sender) conditions.push(sql`h.sender_user_id = ${f.sender}`);
  if (f.playbook) conditions.push(sql`h.playbook_id = ${f.playbook}`);
  let query = db
    .selectFrom('survey_facts as f')
    .where('f.org_id', '=', orgId)
    .select([
      k.select.as('k'),
      count().as('responses'),
      rate(sql`sum(f.csat)`, count()).as('csat'),
      when(sql`f.nps >= 9`).as('promoters'),
      when(sql`f.nps between 7 and 8`).as('passives'),
      when(sql`f.nps <= 6`).as('detractors'),
      sql<number>`100.0 * (sum(case when f.nps >= 9 then 1 else 0 end) - sum(case when f.nps <= 6 then 1 else 0 end)) / count(*)`.as(
        'nps',
      ),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  if (f.from) query = query.where('f.period', '>=', f.from);
  if (f.to) query = query.where('f.period', '<=', f.to);
  if (conditions.length)
    query = query.where(
      sql<SqlBool>`exists (select 1 from handoff_facts h where h.org_id = f.org_id and h.engagement_id = f.engagement_id and ${sql.join(conditions, sql` and `)})`,
    );
  return rowsOf(query, ask);
};

/**
 * sender_scorecards: per sender, handoffs first submitted in the period (first-pass rate,
 * questions raised on them), gaps the follow-up reviews of the period found in their handoffs,
 * and the mean 30-day rating of the satisfaction checks due in the period.
 */
const senderScorecards: Statement = (db, ask) => {
  const gaps = scoped(db.selectFrom('review_gap_facts as f'), ask, FACT)
    .select(['f.sender_user_id', total(ref('gap')).as('gaps')])
    .groupBy('f.sender_user_id')
    .as('g');
  const ratings = scoped(db.selectFrom('checkpoint_facts as f'), ask, FACT)
    .where('f.kind', '=', 'satisfaction_check')
    .where('f.rating', 'is not', null)
    .select(['f.sender_user_id', sql<number>`sum(f.rating)`.as('rating_sum'), count().as('ratings')])
    .groupBy('f.sender_user_id')
    .as('r');
  const query = scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
    .leftJoin('users as u', 'u.id', 'f.sender_user_id')
    .leftJoin(gaps, 'g.sender_user_id', 'f.sender_user_id')
    .leftJoin(ratings, 'r.sender_user_id', 'f.sender_user_id')
    .select([
      sql<string>`f.sender_user_id`.as('k'),
      sql<string>`coalesce(u.name, f.sender_user_id)`.as('name'),
      count().as('submitted'),
      count(ref('first_pass')).as('decided'),
      rate(sql`sum(f.first_pass)`, count(ref('first_pass'))).as('first_pass_rate'),
      total(ref('questions')).as('questions'),
      sql<number>`coalesce(g.gaps, 0)`.as('gaps'),
      sql<number>`coalesce(r.ratings, 0)`.as('ratings'),
      rate(sql`r.rating_sum`, sql`coalesce(r.ratings, 0)`).as('rating'),
    ])
    .groupBy(['f.sender_user_id', 'u.name', 'g.gaps', 'r.rating_sum', 'r.ratings'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('f.sender_user_id');
  return rowsOf(query, ask);
};

/** funnel: handoffs drafted in the period, and how many of them were submitted, accepted, kicked off, closed. */
const funnel: Statement = (db, ask) => {
  const k = keyed(ask, DRAFTED);
  const query = scoped(db.selectFrom('handoff_facts as f'), ask, DRAFTED)
    .select([
      k.select.as('k'),
      count().as('drafted'),
      count(ref('first_submitted_at')).as('submitted'),
      count(ref('accepted_at')).as('accepted'),
      count(ref('kickoff_at')).as('kicked_off'),
      count(ref('closed_at')).as('closed'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/**
 * retention_by_quality: the accounts with revenue records in the window, by whether every one of
 * their decided handoffs (matching the team, sender and playbook filters) was clean (accepted
 * with no rejection, and no review comparison found a gap in it), per currency: starting revenue
 * (the `starting` records of the window's first month: `from`, else the first month with a
 * record), expansion, contraction and churn (every month of the window), NRR and GRR.
 */
const retentionByQuality: Statement = (db, ask) => {
  const { filters: f, orgId } = ask;
  const handoffs: RawBuilder<unknown>[] = [sql`f.org_id = ${orgId}`, sql`f.first_pass is not null`];
  if (f.team) handoffs.push(sql`(f.sending_team_id = ${f.team} or f.receiving_team_id = ${f.team})`);
  if (f.sender) handoffs.push(sql`f.sender_user_id = ${f.sender}`);
  if (f.playbook) handoffs.push(sql`f.playbook_id = ${f.playbook}`);
  const gap = sql`exists (select 1 from review_gap_facts g where g.handoff_id = f.handoff_id and g.org_id = f.org_id and g.gap = 1)`;
  const inWindow = (column: RawBuilder<unknown>) =>
    sql.join(
      [
        sql`${column} >= w.first_month`,
        ...(f.from ? [sql`${column} >= ${f.from}`] : []),
        ...(f.to ? [sql`${column} <= ${f.to}`] : []),
      ],
      sql` and `,
    );
  const amount = (kind: string, firstMonthOnly = false) =>
    sql<number>`coalesce(sum(case when r.kind = ${sql.lit(kind)}${firstMonthOnly ? sql` and r.period = w.first_month` : sql``} then r.amount_minor else 0 end), 0)`;
  const starting = sql`sum(case when r.kind = ${sql.lit('starting')} and r.period = w.first_month then r.amount_minor else 0 end)`;
  const moved = (kind: string) =>
    sql`sum(case when r.kind = ${sql.lit(kind)} then r.amount_minor else 0 end)`;
  const query = db
    .with('quality', (w) =>
      w
        .selectFrom('handoff_facts as f')
        .where(sql<SqlBool>`${sql.join(handoffs, sql` and `)}`)
        .select([
          'f.account_id',
          sql<number>`min(case when f.first_pass = 1 and not ${gap} then 1 else 0 end)`.as('clean'),
        ])
        .groupBy('f.account_id'),
    )
    .with('w', (w) =>
      w
        .selectFrom('revenue_records as r')
        .where('r.org_id', '=', orgId)
        .$if(!!f.from, (q) => q.where('r.period', '>=', f.from!))
        .$if(!!f.to, (q) => q.where('r.period', '<=', f.to!))
        .select(sql<string>`min(r.period)`.as('first_month')),
    )
    .selectFrom('revenue_records as r')
    .innerJoin('quality as q', 'q.account_id', 'r.account_id')
    .innerJoin('w', (j) => j.onTrue())
    .where('r.org_id', '=', orgId)
    .where(sql<SqlBool>`${inWindow(sql`r.period`)}`)
    .select([
      sql<string | null>`null`.as('k'),
      sql<string>`case when q.clean = 1 then ${sql.lit('clean')} else ${sql.lit('not_clean')} end`.as(
        'quality',
      ),
      'r.currency',
      sql<number>`count(distinct r.account_id)`.as('accounts'),
      amount('starting', true).as('starting_minor'),
      amount('expansion').as('expansion_minor'),
      amount('contraction').as('contraction_minor'),
      amount('churn').as('churn_minor'),
      rate(
        sql`${starting} + ${moved('expansion')} - ${moved('contraction')} - ${moved('churn')}`,
        sql`${starting}`,
      ).as('nrr'),
      rate(sql`${starting} - ${moved('contraction')} - ${moved('churn')}`, sql`${starting}`).as('grr'),
    ])
    .groupBy([
      sql`case when q.clean = 1 then ${sql.lit('clean')} else ${sql.lit('not_clean')} end`,
      'r.currency',
    ])
    .orderBy(sql`case when q.clean = 1 then ${sql.lit('clean')} else ${sql.lit('not_clean')} end`)
    .orderBy('r.currency');
  return rowsOf(query, { ...ask, by: 'none' });
};

/** The statement of each metric, by key (the catalogue, domain/metric-catalogue.ts, defines them). */
export const STATEMENTS = {
  cycle_times: cycleTimes,
  first_pass_rate: firstPassRate,
  rejections_by_reason: rejectionsByReason,
  question_rounds: questionRounds,
  question_rounds_distribution: questionRoundsDistribution,
  sla_compliance: slaCompliance,
  on_time_completion: onTimeCompletion,
  review_gaps: reviewGaps,
  confirmation_change_rate: confirmationChangeRate,
  promise_kept_rate: promiseKeptRate,
  csat_nps: csatNps,
  sender_scorecards: senderScorecards,
  funnel,
  retention_by_quality: retentionByQuality,
} satisfies Record<string, Statement>;

export type MetricKey = keyof typeof STATEMENTS;
