import { type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../kernel/context.js';
import type { Dimension, MetricFilters } from './domain/metric-filters.js';
import {
  CHECKPOINTS,
  CYCLE_STAGE_NAMES,
  CYCLES,
  DRAFTS,
  HANDOFFS,
  PROMISES,
  REJECTIONS,
  REVIEW_GAPS,
  type Rollup,
  rollupSource,
  SURVEYS,
  wholeHours,
} from './rollups/rollups.js';

/**
 * Every metric of docs/metrics.md as ONE SQL statement, written once with Kysely and run alike on
 * SQLite and PostgreSQL: always of one organisation, filtered by period (`YYYY-MM`, inclusive),
 * team (sending or receiving), sender and playbook, grouped by the dimension asked. They read the
 * monthly roll-ups of the facts (src/metrics/rollups/rollups.ts: roll-up rows of months rolled
 * up, the same sums from the facts of months marked since), so they sum sums. Percentiles are
 * nearest-rank (the value at rank ceil(p·n) of the ordered values) over whole hours, read from
 * running counts per hour (of the hour histogram, or, filtered or grouped by what the histogram
 * does not keep, of the facts counted by hour); the rank test is in integers (`count·den ≥
 * num·n`), so no rounding of p·n differs between the databases.
 *
 * Each answers rows whose first column, unless grouped by `none`, is the group: `period`,
 * `team`, `sender` or `playbook` (an id). Rates are fractions 0–1, null when nothing was counted.
 */
export interface MetricAsk {
  orgId: string;
  filters: MetricFilters;
  by: Dimension;
  /** The months with marks (`markedMonths`, read in the same snapshot): read from the facts. */
  marked: readonly string[];
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
  >`case when (${denominator}) = 0 then null else cast(${numerator} as double precision) / (${denominator}) end`;
const count = (expression: RawBuilder<unknown> = sql`*`) => sql<number>`count(${expression})`;
const when = (condition: RawBuilder<unknown>) =>
  sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`;

/** Handoffs first submitted in the period (in `handoff_facts`): their month is `period`, null until then. */
const SUBMITTED: Source = { period: 'period' };
/** A roll-up (or a fact table): the month it is counted in is `period`. */
const FACT: Source = { period: 'period' };

/** What a statement reads for a roll-up, aliased `f`: its rows of the asked months. */
const from = <Row>(db: Db, rollup: Rollup<Row>, ask: MetricAsk) =>
  db.selectFrom(rollupSource(rollup, ask.orgId, ask.filters, ask.marked));

/** A sum of a roll-up column, zero over no rows. */
const added = (column: string) => sql<number>`coalesce(sum(${ref(column)}), 0)`;

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
  const k = keyed(ask, FACT);
  const query = scoped(from(db, HANDOFFS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('handoffs').as('submitted'),
      added('accepted').as('accepted'),
      added('decided').as('decided'),
      added('first_pass').as('first_pass'),
      rate(sql`sum(f.first_pass)`, sql`sum(f.decided)`).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** The cycle-time stages as rows, numbered as `cycle_rollups.stage`. */
const STAGE_ROWS = sql<{ stage: number }>`(select 1 as stage union all select 2 union all select 3)`.as(
  'stages',
);

/**
 * cycle_times: for each stage, over handoffs first submitted in the period with both ends of the
 * stage, how many, and the nearest-rank median and 90th percentile of the stage's whole hours,
 * read from how many handoffs took each hour: the hour histogram (`cycle_rollups`, kept for the
 * whole organisation by month) or, filtered or grouped by team, sender or playbook, which the
 * histogram does not keep, the facts counted by hour in the statement. Either way the running
 * count picks the percentile, so both paths answer alike.
 */
const cycleTimes: Statement = (db, ask) => {
  const { filters: f, by } = ask;
  const histogram = !f.team && !f.sender && !f.playbook && (by === 'none' || by === 'period');
  const k = keyed(ask, FACT);
  const seconds = sql<number>`case stages.stage when 1 then f.signed_to_submitted_s when 2 then f.submitted_to_accepted_s else f.accepted_to_kickoff_s end`;
  const name = sql<string>`case f.stage when 1 then ${sql.lit(CYCLE_STAGE_NAMES[0])} when 2 then ${sql.lit(CYCLE_STAGE_NAMES[1])} else ${sql.lit(CYCLE_STAGE_NAMES[2])} end`;
  const query = db
    .with('counts', () =>
      histogram
        ? scoped(from(db, CYCLES, ask), ask, FACT)
            .select([k.select.as('k'), 'f.stage', 'f.hours', added('handoffs').as('c')])
            .groupBy([k.group, 'f.stage', 'f.hours'])
        : scoped(db.selectFrom('handoff_facts as f'), ask, SUBMITTED)
            .innerJoin(STAGE_ROWS, (j) => j.onTrue())
            .where(seconds, 'is not', null)
            .select([k.select.as('k'), 'stages.stage', wholeHours(seconds).as('hours'), count().as('c')])
            .groupBy([k.group, 'stages.stage', wholeHours(seconds)]),
    )
    .with('running', (w) =>
      w
        .selectFrom('counts')
        .select([
          'k',
          'stage',
          'hours',
          sql<number>`sum(c) over (partition by k, stage order by hours rows between unbounded preceding and current row)`.as(
            'cum',
          ),
          sql<number>`sum(c) over (partition by k, stage)`.as('n'),
        ]),
    )
    .selectFrom('running as f')
    .select([
      'f.k',
      name.as('stage'),
      sql<number>`max(f.n)`.as('count'),
      sql<number>`min(case when f.cum * 2 >= f.n then f.hours end)`.as('median_hours'),
      sql<number>`min(case when f.cum * 10 >= f.n * 9 then f.hours end)`.as('p90_hours'),
    ])
    .groupBy(['f.k', 'f.stage'])
    .orderBy('f.k')
    .orderBy('f.stage');
  return rowsOf(query, ask);
};

/** rejections_by_reason: rejections made in the period, by reason, most frequent first. */
const rejectionsByReason: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, REJECTIONS, ask), ask, FACT)
    .select([k.select.as('k'), 'f.reason', added('rejections').as('count')])
    .groupBy([k.group, 'f.reason'])
    .orderBy(k.group)
    .orderBy(sql`sum(f.rejections)`, 'desc')
    .orderBy('f.reason');
  return rowsOf(query, ask);
};

/** question_rounds: handoffs first submitted in the period, their clarification rounds, the mean. */
const questionRounds: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, HANDOFFS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('handoffs').as('handoffs'),
      sql<number>`coalesce(sum(f.question_rounds * f.handoffs), 0)`.as('rounds'),
      rate(sql`sum(f.question_rounds * f.handoffs)`, sql`sum(f.handoffs)`).as('mean_rounds'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** question_rounds_distribution: how many handoffs first submitted in the period took each number of rounds. */
const questionRoundsDistribution: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, HANDOFFS, ask), ask, FACT)
    .select([k.select.as('k'), 'f.question_rounds as rounds', added('handoffs').as('handoffs')])
    .groupBy([k.group, 'f.question_rounds'])
    .orderBy(k.group)
    .orderBy('f.question_rounds');
  return rowsOf(query, ask);
};

/** sla_compliance: checkpoints due in the period settled on time ÷ on time or late. */
const slaCompliance: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, CHECKPOINTS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('on_time').as('on_time'),
      sql<number>`sum(f.settled) - sum(f.on_time)`.as('late'),
      rate(sql`sum(f.on_time)`, sql`sum(f.settled)`).as('rate'),
    ])
    .groupBy(k.group)
    .having(sql<SqlBool>`sum(f.settled) > 0`)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/**
 * on_time_completion: of handoffs first submitted in the period and since closed, those none of
 * whose required checkpoints was late (on_time = 0) ÷ those closed.
 */
const onTimeCompletion: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, HANDOFFS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('closed').as('closed'),
      added('closed_on_time').as('on_time'),
      rate(sql`sum(f.closed_on_time)`, sql`sum(f.closed)`).as('rate'),
    ])
    .groupBy(k.group)
    .having(sql<SqlBool>`sum(f.closed) > 0`)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** review_gaps: comparisons of follow-up reviews made in the period, by playbook and field, worst first. */
const reviewGaps: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, REVIEW_GAPS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      'f.playbook_id',
      'f.playbook_key',
      'f.field',
      added('reviews').as('reviews'),
      added('gaps').as('gaps'),
      rate(sql`sum(f.gaps)`, sql`sum(f.reviews)`).as('gap_rate'),
    ])
    .groupBy([k.group, 'f.playbook_id', 'f.playbook_key', 'f.field'])
    .orderBy(k.group)
    .orderBy(sql`cast(sum(f.gaps) as double precision) / sum(f.reviews)`, 'desc')
    .orderBy(sql`sum(f.gaps)`, 'desc')
    .orderBy('f.playbook_key')
    .orderBy('f.field');
  return rowsOf(query, ask);
};

/** confirmation_change_rate: confirmation calls due in the period and done, those that changed something ÷ all. */
const confirmationChangeRate: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, CHECKPOINTS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('calls').as('calls'),
      added('calls_changed').as('changed'),
      rate(sql`sum(f.calls_changed)`, sql`sum(f.calls)`).as('rate'),
    ])
    .groupBy(k.group)
    .having(sql<SqlBool>`sum(f.calls) > 0`)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** promise_kept_rate: promises made in the period, kept ÷ (kept + broken + renegotiated). */
const promiseKeptRate: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, PROMISES, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('kept').as('kept'),
      added('broken').as('broken'),
      added('renegotiated').as('renegotiated'),
      added('open').as('open'),
      rate(sql`sum(f.kept)`, sql`sum(f.kept) + sum(f.broken) + sum(f.renegotiated)`).as('rate'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/**
 * csat_nps: surveys answered in the period: mean CSAT, and NPS = % promoters (9–10) − % detractors
 * (0–6). Surveys carry no team, sender or playbook: those filters keep the surveys of engagements
 * with a handoff that matches them, read from the facts; unfiltered, from the month's roll-up.
 */
const csatNps: Statement = (db, ask) => {
  const { filters: f } = ask;
  if (f.team || f.sender || f.playbook) return csatNpsFromFacts(db, ask);
  const by = ask.by === 'period' ? 'period' : 'none';
  const k = keyed({ ...ask, by }, FACT);
  const query = scoped(from(db, SURVEYS, ask), { ...ask, by }, FACT)
    .select([
      k.select.as('k'),
      added('responses').as('responses'),
      rate(sql`sum(f.csat_sum)`, sql`sum(f.responses)`).as('csat'),
      added('promoters').as('promoters'),
      added('passives').as('passives'),
      added('detractors').as('detractors'),
      sql<number>`100.0 * (sum(f.promoters) - sum(f.detractors)) / sum(f.responses)`.as('nps'),
    ])
    .groupBy(k.group)
    .orderBy(k.group);
  return rowsOf(query, ask);
};

/** csat_nps filtered by team, sender or playbook: the surveys of engagements with a matching handoff. */
const csatNpsFromFacts: Statement = (db, ask) => {
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
  const gaps = scoped(from(db, REVIEW_GAPS, ask), ask, FACT)
    .select(['f.sender_user_id', added('gaps').as('gaps')])
    .groupBy('f.sender_user_id')
    .as('g');
  const ratings = scoped(from(db, CHECKPOINTS, ask), ask, FACT)
    .select(['f.sender_user_id', added('rating_sum').as('rating_sum'), added('ratings').as('ratings')])
    .groupBy('f.sender_user_id')
    .as('r');
  const query = scoped(from(db, HANDOFFS, ask), ask, FACT)
    .leftJoin('users as u', 'u.id', 'f.sender_user_id')
    .leftJoin(gaps, 'g.sender_user_id', 'f.sender_user_id')
    .leftJoin(ratings, 'r.sender_user_id', 'f.sender_user_id')
    .select([
      sql<string>`f.sender_user_id`.as('k'),
      sql<string>`coalesce(u.name, f.sender_user_id)`.as('name'),
      added('handoffs').as('submitted'),
      added('decided').as('decided'),
      rate(sql`sum(f.first_pass)`, sql`sum(f.decided)`).as('first_pass_rate'),
      added('questions').as('questions'),
      sql<number>`coalesce(g.gaps, 0)`.as('gaps'),
      sql<number>`coalesce(r.ratings, 0)`.as('ratings'),
      rate(sql`r.rating_sum`, sql`coalesce(r.ratings, 0)`).as('rating'),
    ])
    .groupBy(['f.sender_user_id', 'u.name', 'g.gaps', 'r.rating_sum', 'r.ratings'])
    .orderBy(sql`sum(f.handoffs)`, 'desc')
    .orderBy('f.sender_user_id');
  return rowsOf(query, ask);
};

/** funnel: handoffs drafted in the period, and how many of them were submitted, accepted, kicked off, closed. */
const funnel: Statement = (db, ask) => {
  const k = keyed(ask, FACT);
  const query = scoped(from(db, DRAFTS, ask), ask, FACT)
    .select([
      k.select.as('k'),
      added('drafted').as('drafted'),
      added('submitted').as('submitted'),
      added('accepted').as('accepted'),
      added('kicked_off').as('kicked_off'),
      added('closed').as('closed'),
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
  // Only the accounts with revenue in the window are judged, each by an index lookup of its handoffs.
  const clean = sql<
    number | null
  >`(select min(case when f.first_pass = 1 and not ${gap} then 1 else 0 end) from handoff_facts f where ${sql.join(handoffs, sql` and `)} and f.account_id = a.account_id)`;
  const query = db
    .with('w', (w) =>
      w
        .selectFrom('revenue_records as r')
        .where('r.org_id', '=', orgId)
        .$if(!!f.from, (q) => q.where('r.period', '>=', f.from!))
        .$if(!!f.to, (q) => q.where('r.period', '<=', f.to!))
        .select(sql<string>`min(r.period)`.as('first_month')),
    )
    .with('revenue_accounts', (w) =>
      w
        .selectFrom('revenue_records as r')
        .where('r.org_id', '=', orgId)
        .$if(!!f.from, (q) => q.where('r.period', '>=', f.from!))
        .$if(!!f.to, (q) => q.where('r.period', '<=', f.to!))
        .select('r.account_id')
        .distinct(),
    )
    .with('judged', (w) => w.selectFrom('revenue_accounts as a').select(['a.account_id', clean.as('clean')]))
    .with('quality', (w) =>
      w.selectFrom('judged').where('clean', 'is not', null).select(['account_id', 'clean']),
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
