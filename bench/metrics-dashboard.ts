/**
 * Benchmark: the whole metrics dashboard (GET /api/v1/dashboard, computed by the product's own
 * `dashboardOf`) over a seeded history of 1,000,000 handoffs, against the same figures computed
 * by one hand-written SQL query per metric (the strings below, written apart from the metrics
 * code and run on the database's bare driver), in the same run, on SQLite and PostgreSQL. First
 * both must give the same numbers (the bench fails loudly if not); then each is timed, median of
 * RUNS, taking turns, after the checked run. Goal: within 1.5× of the hand-written SQL, and under a second.
 *
 * The history is `baton seed-demo`'s (src/demo/seed-history.ts) with `detail: 'facts'`: the fact
 * rows plus the accounts and people the dashboard reads, written by the fast paths of
 * bench/support/history-writers.ts, then ANALYZEd; the seeding time is printed.
 *
 * Alone: `npx tsx bench/metrics-dashboard.ts` (BENCH_DASHBOARD_HANDOFFS=50000 for a quick run);
 * it rewrites only its own section of bench/RESULTS.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { seedHistory } from '../src/demo/seed-history.js';
import { systemClock } from '../src/kernel/clock.js';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import type { Dashboard } from '../src/metrics/dashboard-schema.js';
import { refreshRollups } from '../src/metrics/rollups/refresh-rollups.js';
import { dashboardOf } from '../src/metrics/use-cases/compute-dashboard.js';
import { appDeps } from '../src/server/app-deps.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { tempSqlite } from './http-lifecycle.js';
import { type Figure, median } from './support/figure.js';
import { type HistoryWriter, postgresHistoryWriter, sqliteHistoryWriter } from './support/history-writers.js';

const HANDOFFS = Number(process.env.BENCH_DASHBOARD_HANDOFFS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 5);
const SEED = 15;
/** Both databases get the history up to the same moment, so the same rows. */
const NOW = new Date();

/** Runs one SQL text with `?` placeholders on the bare driver, answering its rows. */
type Run = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

// ---------------------------------------------------------------------------------------------
// The hand-written SQL: one query per metric, the same text on both databases.

const Q = {
  /** First submissions, acceptances and first-pass by the month of first submission. */
  firstPass: `select period, count(*) as submitted, count(accepted_at) as accepted,
       count(first_pass) as decided, coalesce(sum(first_pass), 0) as first_pass
     from handoff_facts where org_id = ? and period is not null
     group by period order by period`,
  /** Checkpoints settled on time or late (or gone overdue), by the month they were due. */
  sla: `select period, sum(on_time) as on_time, count(*) as counted
     from checkpoint_facts where org_id = ? and on_time is not null
     group by period order by period`,
  /** The three cycle-time stages: count, nearest-rank median and 90th percentile, in whole hours (rounded down). */
  cycles: `with v as (
       select 1 as ord, signed_to_submitted_s as x from handoff_facts
         where org_id = ? and period is not null and signed_to_submitted_s is not null
       union all
       select 2, submitted_to_accepted_s from handoff_facts
         where org_id = ? and period is not null and submitted_to_accepted_s is not null
       union all
       select 3, accepted_to_kickoff_s from handoff_facts
         where org_id = ? and period is not null and accepted_to_kickoff_s is not null),
     h as (select ord, case when x >= 0 then x / 3600 else -((3599 - x) / 3600) end as x from v),
     r as (select ord, x, row_number() over (partition by ord order by x) as rn,
             count(*) over (partition by ord) as n from h)
     select ord, max(n) as n,
       max(case when rn = (n + 1) / 2 then x end) as median_hours,
       max(case when rn = (9 * n + 9) / 10 then x end) as p90_hours
     from r group by ord order by ord`,
  /** The median whole hours from first submission to acceptance, by the month of first submission. */
  acceptByPeriod: `with h as (
       select period, case when submitted_to_accepted_s >= 0 then submitted_to_accepted_s / 3600
           else -((3599 - submitted_to_accepted_s) / 3600) end as x
       from handoff_facts
       where org_id = ? and period is not null and submitted_to_accepted_s is not null),
     r as (select period, x, row_number() over (partition by period order by x) as rn,
         count(*) over (partition by period) as n from h)
     select period, max(case when rn = (n + 1) / 2 then x end) as median_hours
     from r group by period order by period`,
  rejections: `select reason, count(*) as n from handoff_rejection_facts
     where org_id = ? group by reason order by n desc, reason`,
  funnel: `select count(*) as drafted, count(first_submitted_at) as submitted,
       count(accepted_at) as accepted, count(kickoff_at) as kicked_off, count(closed_at) as closed
     from handoff_facts where org_id = ?`,
  reviewGaps: `select playbook_id, playbook_key, field, count(*) as reviews, sum(gap) as gaps
     from review_gap_facts where org_id = ?
     group by playbook_id, playbook_key, field`,
  senders: `select h.sender_user_id, coalesce(u.name, h.sender_user_id) as name, h.submitted,
       h.decided, h.first_pass, h.questions, coalesce(g.gaps, 0) as gaps, r.rating_sum, r.ratings
     from (select sender_user_id, count(*) as submitted, count(first_pass) as decided,
             sum(first_pass) as first_pass, sum(questions) as questions
           from handoff_facts where org_id = ? and period is not null
           group by sender_user_id) h
     left join users u on u.id = h.sender_user_id
     left join (select sender_user_id, sum(gap) as gaps from review_gap_facts
                where org_id = ? group by sender_user_id) g on g.sender_user_id = h.sender_user_id
     left join (select sender_user_id, sum(rating) as rating_sum, count(*) as ratings
                from checkpoint_facts
                where org_id = ? and kind = 'satisfaction_check' and rating is not null
                group by sender_user_id) r on r.sender_user_id = h.sender_user_id`,
  onTime: `select count(*) as closed, coalesce(sum(case when late.handoff_id is null then 1 else 0 end), 0) as on_time
     from handoff_facts f
     left join (select distinct handoff_id from checkpoint_facts
                where org_id = ? and required = 1 and on_time = 0) late
       on late.handoff_id = f.handoff_id
     where f.org_id = ? and f.period is not null and f.closed_at is not null`,
  promises: `select coalesce(sum(case when status = 'kept' then 1 else 0 end), 0) as kept,
       coalesce(sum(case when status in ('kept', 'broken', 'renegotiated') then 1 else 0 end), 0) as settled
     from promise_facts where org_id = ?`,
  calls: `select count(*) as calls, coalesce(sum(case when changed = 1 then 1 else 0 end), 0) as changed
     from checkpoint_facts where org_id = ? and kind = 'confirmation_call' and state = 'done'`,
  rounds: `select count(*) as handoffs, coalesce(sum(question_rounds), 0) as rounds
     from handoff_facts where org_id = ? and period is not null`,
  surveys: `select count(*) as n, coalesce(sum(csat), 0) as csat_sum,
       coalesce(sum(case when nps >= 9 then 1 else 0 end), 0) as promoters,
       coalesce(sum(case when nps <= 6 then 1 else 0 end), 0) as detractors
     from survey_facts where org_id = ?`,
};

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const div = (a: number, b: number) => (b === 0 ? null : a / b);
const STAGES = ['signed_to_submitted', 'submitted_to_accepted', 'accepted_to_kickoff'] as const;

/**
 * The figures of the dashboard the hand-written queries compute: all but the health distribution
 * and retention beside handoff quality (read from health scores and revenue records, which the
 * bench does not seed). The product's dashboard is timed whole, those two included, so its ratio
 * is if anything too high.
 */
type HandFigures = Omit<Dashboard, 'filters' | 'health' | 'retention_by_quality'>;

/** The dashboard's figures from the hand-written queries, in the product's answer shape. */
async function handDashboard(run: Run, orgId: string): Promise<HandFigures> {
  const firstPass = await run(Q.firstPass, [orgId]);
  const sla = await run(Q.sla, [orgId]);
  const cycles = await run(Q.cycles, [orgId, orgId, orgId]);
  const accept = await run(Q.acceptByPeriod, [orgId]);
  const rejections = await run(Q.rejections, [orgId]);
  const [funnel] = await run(Q.funnel, [orgId]);
  const gaps = await run(Q.reviewGaps, [orgId]);
  const senders = await run(Q.senders, [orgId, orgId, orgId]);
  const [onTime] = await run(Q.onTime, [orgId, orgId]);
  const [promises] = await run(Q.promises, [orgId]);
  const [calls] = await run(Q.calls, [orgId]);
  const [rounds] = await run(Q.rounds, [orgId]);
  const [surveys] = await run(Q.surveys, [orgId]);
  const total = (rows: Record<string, unknown>[], c: string) => rows.reduce((s, r) => s + num(r[c]), 0);
  const periods = [...new Set([...firstPass, ...sla].map((r) => String(r.period)))].sort();
  const slaOnTime = total(sla, 'on_time');
  const surveyCount = num(surveys?.n);
  return {
    totals: {
      drafted: num(funnel?.drafted),
      submitted: total(firstPass, 'submitted'),
      accepted: total(firstPass, 'accepted'),
      first_pass_rate: div(total(firstPass, 'first_pass'), total(firstPass, 'decided')),
      sla_compliance: div(slaOnTime, total(sla, 'counted')),
      on_time_completion: div(num(onTime?.on_time), num(onTime?.closed)),
      promise_kept_rate: div(num(promises?.kept), num(promises?.settled)),
      confirmation_change_rate: div(num(calls?.changed), num(calls?.calls)),
      mean_question_rounds: div(num(rounds?.rounds), num(rounds?.handoffs)),
      csat: div(num(surveys?.csat_sum), surveyCount),
      nps:
        surveyCount === 0 ? null : (100 * (num(surveys?.promoters) - num(surveys?.detractors))) / surveyCount,
    },
    cycle_times: STAGES.map((stage, i) => {
      const row = cycles.find((r) => num(r.ord) === i + 1);
      return {
        stage,
        count: num(row?.n),
        median_hours: numOrNull(row?.median_hours),
        p90_hours: numOrNull(row?.p90_hours),
      };
    }),
    trend: periods.map((period) => {
      const fp = firstPass.find((r) => r.period === period);
      const s = sla.find((r) => r.period === period);
      return {
        period,
        submitted: num(fp?.submitted),
        accepted: num(fp?.accepted),
        first_pass_rate: fp ? div(num(fp.first_pass), num(fp.decided)) : null,
        sla_compliance: s ? div(num(s.on_time), num(s.counted)) : null,
        median_accept_hours: numOrNull(accept.find((r) => r.period === period)?.median_hours),
      };
    }),
    rejections_by_reason: rejections.map((r) => ({ reason: String(r.reason), count: num(r.n) })),
    funnel: (['drafted', 'submitted', 'accepted', 'kicked_off', 'closed'] as const).map((stage) => ({
      stage,
      count: num(funnel?.[stage]),
    })),
    review_gaps: gaps.map((r) => ({
      playbook_id: String(r.playbook_id),
      playbook_key: String(r.playbook_key),
      field: String(r.field),
      reviews: num(r.reviews),
      gaps: num(r.gaps),
      gap_rate: num(r.gaps) / num(r.reviews),
    })),
    senders: senders.map((r) => ({
      user_id: String(r.sender_user_id),
      name: String(r.name),
      submitted: num(r.submitted),
      first_pass_rate: div(num(r.first_pass), num(r.decided)),
      questions: num(r.questions),
      gaps: num(r.gaps),
      rating: div(num(r.rating_sum), num(r.ratings)),
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Comparing the two answers.

/** Every difference between the product's figures and the hand-written ones (empty: the same). */
export function differences(product: HandFigures, hand: HandFigures): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown) =>
    typeof a === 'number' && typeof b === 'number'
      ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
      : a === b;
  const compare = (
    path: string,
    a: Record<string, unknown> | undefined,
    b: Record<string, unknown> | undefined,
  ) => {
    if (!a || !b) {
      out.push(`${path}: ${a ? 'missing by hand' : 'missing in the product'}`);
      return;
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (!same(a[key], b[key]))
        out.push(`${path}.${key}: product ${String(a[key])}, by hand ${String(b[key])}`);
  };
  const byKey = <T>(name: string, a: T[], b: T[], key: (row: T) => string) => {
    const mine = new Map(b.map((r) => [key(r), r]));
    if (a.length !== b.length) out.push(`${name}: product ${a.length} rows, by hand ${b.length}`);
    for (const row of a)
      compare(`${name}[${key(row)}]`, row as Record<string, unknown>, mine.get(key(row)) as never);
  };
  compare('totals', product.totals, hand.totals);
  byKey('cycle_times', product.cycle_times, hand.cycle_times, (r) => r.stage);
  byKey('trend', product.trend, hand.trend, (r) => r.period);
  byKey('rejections_by_reason', product.rejections_by_reason, hand.rejections_by_reason, (r) => r.reason);
  byKey('funnel', product.funnel, hand.funnel, (r) => r.stage);
  byKey('review_gaps', product.review_gaps, hand.review_gaps, (r) => `${r.playbook_id}/${r.field}`);
  byKey('senders', product.senders, hand.senders, (r) => r.user_id);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeding and timing.

interface Target {
  label: string;
  url: string;
  writer: (url: string) => Promise<HistoryWriter>;
  hand: (url: string) => Promise<{ run: Run; close: () => Promise<void> }>;
}

interface Measured {
  label: string;
  seedMs: number;
  rows: number;
  /** The first roll-up of the seeded months (all marked by the seeding). */
  rollup: { ms: number; months: number };
  /** The dashboard with the latest month marked, and one refresher round of that month. */
  marked: { month: string; handoffs: number; times: number[]; roundMs: number };
  /**
   * The longest the process's thread went without running a timer: while the marked dashboard is
   * read in a snapshot, while the same is read on the writer connection (SQLite only: as before
   * reader threads), and during the refresher round.
   */
  stalls: { snapshot: number; writer?: number; round: number };
  product: number[];
  hand: number[];
}

async function measure(target: Target): Promise<Measured> {
  const store = openStore(target.url);
  try {
    await migrateToLatest(store.db);
    const made = await createOrganisation(appDeps({ store, clock: systemClock }), {
      name: 'Dashboard bench',
      slug: 'dashboard-bench',
      timeZone: 'Europe/London',
    });
    const orgId = made.organisation.id;
    const writer = await target.writer(target.url);
    let lastTenth = -1;
    const seeded = await seedHistory(store, {
      slug: 'dashboard-bench',
      handoffs: HANDOFFS,
      seed: SEED,
      detail: 'facts',
      now: NOW,
      write: (batch) => writer.write(batch),
      onProgress: (done, total) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth !== lastTenth)
          process.stderr.write(
            `  seeding ${target.label}: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}\n`,
          );
        lastTenth = tenth;
      },
    });
    const analyse = performance.now();
    await writer.finish();
    const seedMs = seeded.ms + (performance.now() - analyse);
    const rows = Object.values(seeded.rows).reduce((s, n) => s + (n ?? 0), 0);
    process.stderr.write(
      `  seeded ${target.label}: ${rows.toLocaleString('en')} rows in ${(seedMs / 1000).toFixed(1)} s\n`,
    );
    // The seeding marked every month it wrote: the refresher's first round rolls them all up.
    const rollStarted = performance.now();
    const rolled = await refreshRollups(store);
    const rollup = { ms: performance.now() - rollStarted, months: rolled.months };
    process.stderr.write(
      `  rolled up ${target.label}: ${rolled.months} months in ${(rollup.ms / 1000).toFixed(1)} s\n`,
    );

    const filters = { from: null, to: null, team: null, sender: null, playbook: null };
    const { run, close } = await target.hand(target.url);
    try {
      const { filters: _, ...product } = await dashboardOf(store, orgId, filters);
      const hand = await handDashboard(run, orgId);
      const diff = differences(product, hand);
      if (diff.length)
        throw new Error(
          `The dashboard and the hand-written SQL disagree on ${target.label} (${diff.length} differences):\n  ${diff.slice(0, 30).join('\n  ')}`,
        );
      if (product.totals.submitted === 0) throw new Error(`Nothing was seeded on ${target.label}`);
      // The checked runs above warmed both up; then they take turns, so neither has the cache to itself.
      const productTimes: number[] = [];
      const handTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        let t = performance.now();
        await dashboardOf(store, orgId, filters);
        productTimes.push(performance.now() - t);
        t = performance.now();
        await handDashboard(run, orgId);
        handTimes.push(performance.now() - t);
      }
      // While handoffs keep moving, a month is marked between two refresher rounds and the
      // dashboard reads it from the facts: the busiest month, the worst case. Timed too, with one
      // refresher round of that month.
      const busiest = await store.db
        .selectFrom('handoff_facts')
        .select(['period', (eb) => eb.fn.countAll().as('n')])
        .where('org_id', '=', orgId)
        .where('period', 'is not', null)
        .groupBy('period')
        .orderBy(sql`count(*)`, 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      const month = String(busiest.period);
      await store.db
        .insertInto('metric_rollup_marks')
        .values({ id: 'bench-latest', org_id: orgId, period: month })
        .execute();
      const markedTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await dashboardOf(store, orgId, filters);
        markedTimes.push(performance.now() - t);
      }
      const snapshot = await longestStall(() => dashboardOf(store, orgId, filters));
      const writer =
        store.dialect === 'sqlite'
          ? await longestStall(() => dashboardOf({ db: store.db, dialect: store.dialect }, orgId, filters))
          : undefined;
      const t = performance.now();
      const roundStall = await longestStall(() => refreshRollups(store, { orgId }));
      const round = performance.now() - t;
      return {
        label: target.label,
        seedMs,
        rows,
        rollup,
        product: productTimes,
        hand: handTimes,
        marked: { month, handoffs: Number(busiest.n), times: markedTimes, roundMs: round },
        stalls: { snapshot, ...(writer === undefined ? {} : { writer }), round: roundStall },
      };
    } finally {
      await close();
    }
  } finally {
    await store.close();
  }
}

/** The longest the thread went without running a 5 ms timer while `work` ran, in ms. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
    tick();
  }
  return longest;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`. */
const numbered = (text: string) => {
  let i = 0;
  return text.replace(/\?/g, () => `$${++i}`);
};

function sqliteTarget(): Target {
  return {
    label: 'SQLite',
    url: tempSqlite('dashboard'),
    writer: async (url) => sqliteHistoryWriter(url),
    hand: async (url) => {
      const db = new SQLite(url, { readonly: true });
      const statements = new Map<string, SQLite.Statement>();
      return {
        run: async (text, params) => {
          const s = statements.get(text) ?? db.prepare(text);
          statements.set(text, s);
          return s.all(...params) as Record<string, unknown>[];
        },
        close: async () => {
          db.close();
        },
      };
    },
  };
}

function postgresTarget(url: string): Target {
  return {
    label: 'PostgreSQL',
    url,
    writer: postgresHistoryWriter,
    hand: async (u) => {
      const client = new pg.Client({ connectionString: u });
      await client.connect();
      return {
        run: async (text, params) => (await client.query(numbered(text), params)).rows,
        close: () => client.end(),
      };
    },
  };
}

function figuresOf(m: Measured): Figure[] {
  const value = median(m.product);
  const baseline = median(m.hand);
  const marked = median(m.marked.times);
  return [
    {
      name: `metrics dashboard, ${HANDOFFS.toLocaleString('en')} handoffs (${m.label})`,
      value,
      unit: 'ms',
      baseline,
      ratio: value / baseline,
      goal: '≤ 1.5× hand-written SQL, < 1000 ms',
      note: `median of ${m.product.length}; baseline: one hand-written query per metric over the facts on the bare driver, same figures checked equal; seeded ${m.rows.toLocaleString('en')} rows in ${(m.seedMs / 1000).toFixed(0)} s, rolled up (${m.rollup.months} months) in ${(m.rollup.ms / 1000).toFixed(1)} s`,
    },
    {
      name: `metrics dashboard, ${HANDOFFS.toLocaleString('en')} handoffs, busiest month changed since its roll-up (${m.label})`,
      value: marked,
      unit: 'ms',
      baseline,
      ratio: marked / baseline,
      goal: '< 1000 ms',
      note: `median of ${m.marked.times.length}; ${m.marked.month} (${m.marked.handoffs.toLocaleString('en')} handoffs first submitted) marked, so read from its facts, as between two refresher rounds while handoffs move; one refresher round of that month took ${(m.marked.roundMs / 1000).toFixed(2)} s`,
    },
    ...(m.stalls.writer === undefined
      ? []
      : [
          {
            name: `longest stall of the server's thread while that dashboard is read (${m.label})`,
            value: m.stalls.snapshot,
            unit: 'ms',
            baseline: m.stalls.writer,
            ratio: m.stalls.snapshot / m.stalls.writer,
            goal: '< 50 ms',
            note: 'the longest gap between two runs of a 5 ms timer; baseline: the same dashboard read on the writer connection, as before reader threads',
          } satisfies Figure,
        ]),
    {
      name: `longest stall of the server's thread during a refresher round of that month (${m.label})`,
      value: m.stalls.round,
      unit: 'ms',
      baseline: m.marked.roundMs,
      ratio: m.stalls.round / m.marked.roundMs,
      goal: '< 50 ms',
      note: "the longest gap between two runs of a 5 ms timer; baseline: the round's duration (the month summed in a read snapshot, then written)",
    },
  ];
}

/** Runs the bench on SQLite, and on PostgreSQL at `postgresUrl` (a new empty database). */
export async function benchMetricsDashboard(
  postgresUrl: string,
): Promise<{ figures: Figure[]; section: string }> {
  const measured = [await measure(sqliteTarget()), await measure(postgresTarget(postgresUrl))];
  const figures = measured.flatMap(figuresOf);
  return { figures, section: sectionOf(measured) };
}

const BEGIN = '<!-- metrics-dashboard: begin -->';
const END = '<!-- metrics-dashboard: end -->';

function sectionOf(measured: Measured[]): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  return `${BEGIN}
## Metrics dashboard over ${HANDOFFS.toLocaleString('en')} handoffs

\`npx tsx bench/metrics-dashboard.ts\` (${new Date().toISOString().slice(0, 10)}): the whole dashboard
(\`dashboardOf\`, every figure of GET /api/v1/dashboard, no filter: the whole history) against one
hand-written SQL query per metric run on the database's bare driver (better-sqlite3, \`pg\`), after
checking that both give the same numbers. Median of ${RUNS} runs each, taking turns, after that check.

| Database | Seeding (rows, time) | First roll-up | Dashboard | Hand-written SQL | Ratio | Goal | Busiest month marked | Its refresh round | Longest stall of the thread (that read / that round) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${measured
  .map((m) => {
    const product = median(m.product);
    const hand = median(m.hand);
    const stalls = `${m.stalls.writer === undefined ? '' : `${ms(m.stalls.snapshot)} (on the writer: ${ms(m.stalls.writer)}) / `}${ms(m.stalls.round)}`;
    return `| ${m.label} | ${m.rows.toLocaleString('en')} rows, ${(m.seedMs / 1000).toFixed(0)} s | ${m.rollup.months} months, ${(m.rollup.ms / 1000).toFixed(1)} s | ${ms(product)} | ${ms(hand)} | ${(product / hand).toFixed(2)}× | ≤ 1.5×, < 1000 ms | ${ms(median(m.marked.times))} (${m.marked.month}, ${m.marked.handoffs.toLocaleString('en')} handoffs) | ${(m.marked.roundMs / 1000).toFixed(2)} s | ${stalls} |`;
  })
  .join('\n')}

The history is \`baton seed-demo\`'s generator (seed ${SEED}) with only the fact rows, accounts and
people written (facts reference only their organisation), through the fast writers of
bench/support/history-writers.ts, then ANALYZEd. The seeding marks every month it wrote; the
refresher's first round (timed apart, "First roll-up") rolls them up, and the dashboard then reads
the monthly roll-ups (docs/design-metrics.md, "Monthly roll-ups"), while the hand-written queries
read the facts, as one would write them against the fact tables. "Busiest month marked": the
same dashboard with the month of most first submissions marked, as while handoffs keep moving
between two refresher rounds (that month read from its facts), and one refresher round of it.
"Longest stall": the longest gap between two runs of a 5 ms timer while that read, or that round,
ran: on SQLite both run on reader threads (docs/design-store.md); "on the writer" is the same read
on the writer connection, as before.
${END}`;
}

/** Puts the section into bench/RESULTS.md in place of the previous one (or at its end). */
export function writeSection(section: string): void {
  const file = join(import.meta.dirname, 'RESULTS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${text.slice(0, start)}${section}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database dashboard');
    await admin.end();
    const { figures, section } = await benchMetricsDashboard(server.url.replace(/\/postgres$/, '/dashboard'));
    for (const f of figures)
      process.stdout.write(
        `${f.name}: ${f.value.toFixed(0)} ${f.unit} vs ${f.baseline.toFixed(0)} ${f.unit} (${f.ratio.toFixed(2)}×) — ${f.note}\n`,
      );
    writeSection(section);
    process.stdout.write('Wrote its section of bench/RESULTS.md\n');
  } finally {
    await server.stop();
  }
}
