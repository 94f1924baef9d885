import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/kernel/context.js';
import { inReadSnapshot, type Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { markEveryMonth, refreshRollups } from '../src/metrics/rollups/refresh-rollups.js';
import { dashboardOf } from '../src/metrics/use-cases/compute-dashboard.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { type FactOrg, factOrg, factWriter, writeHistory } from './support/metric-facts.js';
import { DIALECTS, openTestStore } from './support/stores.js';

/** A month marked again after it was rolled up, as a change to one of its facts would mark it. */
async function markMonthAgain(store: Store, orgId: string, period: string): Promise<void> {
  await store.db
    .insertInto('metric_rollup_marks')
    .values({ id: `again:${period}`, org_id: orgId, period })
    .execute();
  const rolled = await store.db
    .selectFrom('handoff_rollups')
    .select('period')
    .where('org_id', '=', orgId)
    .where('period', '=', period)
    .execute();
  // The roll-up rows stay and are no longer read: the month is read from the facts.
  if (rolled.length === 0) throw new Error(`nothing was rolled up for ${period}`);
}

/**
 * Every metric over a small hand-built history (test/support/metric-facts.ts `writeHistory`),
 * its answers worked out by hand from the facts listed here, on both databases, through the
 * real server:
 *
 * handoffs (created → first submitted; hours signed→submitted / submitted→accepted / accepted→kickoff)
 *   h1 Sam  S→O P1 01 → 01  10 / 2 / 24  first pass  closed          questions 0 rounds 0
 *   h2 Sam  S→O P1 01 → 01  20 / 4 / –   rejected ×1 (missing_info)   questions 3 rounds 2
 *   h3 Olive O→V P2 01 → 02  30 / 6 / 48  first pass  closed          questions 1 rounds 1
 *   h4 Olive O→V P2 02 → 02  40 / – / –   rejected ×2 (missing_info 02, wrong_scope 02) q 2 r 1
 *   h5 Sam  S→O P1 02 → 03  50 / 8 / –   first pass  closed          questions 0 rounds 0
 *   h6 Sam  S→O P1 03 draft
 * checkpoints (handoff kind required month state on_time extra)
 *   h1 kickoff meeting 1 01 on · h1 confirmation 1 01 on changed · h2 confirmation 0 01 late unchanged
 *   h3 review 1 02 late (gaps) · h3 satisfaction 0 03 on rating 4 · h5 satisfaction 0 03 on rating 5
 *   h5 review 1 03 on · h4 confirmation 1 02 open · h5 meeting 0 03 late · h1 satisfaction 0 02 on rating 2
 *   h1 review 0 02 on
 * review comparisons: P2 scope.deliverables gap, P2 contacts.primary gap, P2 schedule.start ok (02, h3);
 *   P1 scope.deliverables gap, P1 schedule.start ok (03, h5); P1 scope.deliverables ok (02, h1)
 * promises: h1 kept 01, h2 broken 01, h3 renegotiated 02, h3 kept 02, h5 open 03, (no handoff) kept 03
 * surveys (csat, nps): e1 5/10 01, e1 4/9 02, e2 2/3 02, e2 3/7 03
 */
/**
 * How the facts are read: every month marked (read from the facts), every month rolled up (read
 * from the roll-ups), or rolled up but for February, marked again (both, in one statement).
 */
const MODES = ['marked', 'rolled up', 'mixed'] as const;
const CASES = DIALECTS.flatMap((dialect) => MODES.map((mode) => [dialect, mode] as const));

describe.each(CASES)('metrics over the facts, on %s, months %s', (dialect, mode) => {
  let store: Store;
  let app: Api;
  let a: TestOrg;
  let b: TestOrg;
  let fa: FactOrg;
  let deps: Deps;
  let get: ReturnType<typeof call> extends (...a: never[]) => infer R ? (url: string) => R : never;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    deps = built.deps;
    a = await seedOrg(built.deps, 'Metrics A');
    b = await seedOrg(built.deps, 'Metrics B');
    fa = await factOrg(store, a);
    await writeHistory(store, fa);
    // Health: each account's latest daily score counts (the first one's 80 of March 1st does not).
    const accounts = await store.db
      .selectFrom('accounts')
      .select('id')
      .where('org_id', '=', a.id)
      .orderBy('name')
      .execute();
    const wa = factWriter(store, fa);
    await wa.healthScore(accounts[0]!.id, '2026-03-01', 80, 'healthy');
    await wa.healthScore(accounts[0]!.id, '2026-03-02', 35, 'at_risk');
    await wa.healthScore(accounts[1]!.id, '2026-03-02', 55, 'watch');
    // Another organisation's facts, in the same months: never counted for A.
    const fb = await factOrg(store, b);
    const w = factWriter(store, fb);
    const e = await w.engagement('Other Co');
    const h = await w.handoff({
      engagement: e,
      sender: fb.users.sam,
      sending: fb.teams.sales,
      receiving: fb.teams.operations,
      playbook: fb.playbooks[0],
      created: '2026-01',
      submitted: '2026-01',
      signedToSubmittedHours: 1000,
      submittedToAcceptedHours: 1000,
      firstPass: 0,
      rejections: 1,
    });
    await w.rejection(h, 'missing_info', '2026-01');
    await w.checkpoint(h, {
      kind: 'confirmation_call',
      required: 1,
      period: '2026-01',
      state: 'done',
      onTime: 0,
      changed: 1,
    });
    await w.promise(e, h, 'broken', '2026-01');
    await w.survey(e, 1, 0, '2026-01');
    // Written directly, so no writer marked their months: mark them, and roll up as the mode says.
    await markEveryMonth(store.db);
    if (mode !== 'marked') await refreshRollups(store);
    if (mode === 'mixed') await markMonthAgain(store, a.id, '2026-02');
    const viewer = call(app, a.viewer);
    get = (url) => viewer('GET', url);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const rows = async (key: string, query = '') => {
    const r = await get(`/api/v1/metrics/${key}${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.rows as Json[];
  };

  it('cycle times: nearest-rank median and p90 on an odd and an even count', async () => {
    // signed→submitted 10 20 30 40 50 (n 5): median rank ceil(2.5) = 3 → 30, p90 rank ceil(4.5) = 5 → 50
    // submitted→accepted 2 4 6 8 (n 4): median rank 2 → 4, p90 rank ceil(3.6) = 4 → 8
    // accepted→kickoff 24 48 (n 2): median rank 1 → 24, p90 rank ceil(1.8) = 2 → 48
    expect(await rows('cycle_times')).toEqual([
      { stage: 'signed_to_submitted', count: 5, median_hours: 30, p90_hours: 50 },
      { stage: 'submitted_to_accepted', count: 4, median_hours: 4, p90_hours: 8 },
      { stage: 'accepted_to_kickoff', count: 2, median_hours: 24, p90_hours: 48 },
    ]);
    const byPeriod = await rows('cycle_times', '?by=period');
    expect(byPeriod.filter((r) => r.stage === 'submitted_to_accepted')).toEqual([
      { period: '2026-01', stage: 'submitted_to_accepted', count: 2, median_hours: 2, p90_hours: 4 },
      { period: '2026-02', stage: 'submitted_to_accepted', count: 1, median_hours: 6, p90_hours: 6 },
      { period: '2026-03', stage: 'submitted_to_accepted', count: 1, median_hours: 8, p90_hours: 8 },
    ]);
    // Sam's: signed→submitted 10 20 50 (n 3): median rank 2 → 20, p90 rank ceil(2.7) = 3 → 50
    expect((await rows('cycle_times', `?sender=${fa.users.sam}`))[0]).toEqual({
      stage: 'signed_to_submitted',
      count: 3,
      median_hours: 20,
      p90_hours: 50,
    });
  });

  it('first-pass rate: accepted with no rejection ÷ decided, by the month of first submission', async () => {
    expect(await rows('first_pass_rate')).toEqual([
      { submitted: 5, accepted: 4, decided: 5, first_pass: 3, rate: 3 / 5 },
    ]);
    expect(await rows('first_pass_rate', '?by=period')).toEqual([
      { period: '2026-01', submitted: 2, accepted: 2, decided: 2, first_pass: 1, rate: 1 / 2 },
      { period: '2026-02', submitted: 2, accepted: 1, decided: 2, first_pass: 1, rate: 1 / 2 },
      { period: '2026-03', submitted: 1, accepted: 1, decided: 1, first_pass: 1, rate: 1 },
    ]);
    expect(await rows('first_pass_rate', '?from=2026-02&to=2026-03')).toEqual([
      { submitted: 3, accepted: 2, decided: 3, first_pass: 2, rate: 2 / 3 },
    ]);
  });

  it('filters and grouping: team matches the sending or receiving team; by team counts a handoff under both', async () => {
    const { sales, operations, service } = fa.teams;
    expect(await rows('first_pass_rate', `?team=${service}`)).toEqual([
      { submitted: 2, accepted: 1, decided: 2, first_pass: 1, rate: 1 / 2 },
    ]);
    // A team may be named by its key too.
    expect(await rows('first_pass_rate', '?team=service')).toEqual(
      await rows('first_pass_rate', `?team=${service}`),
    );
    const byTeam = await rows('first_pass_rate', '?by=team');
    const team = (id: string) => byTeam.find((r) => r.team === id);
    expect(byTeam).toHaveLength(3);
    expect(team(sales)).toEqual({
      team: sales,
      submitted: 3,
      accepted: 3,
      decided: 3,
      first_pass: 2,
      rate: 2 / 3,
    });
    expect(team(operations)).toEqual({
      team: operations,
      submitted: 5,
      accepted: 4,
      decided: 5,
      first_pass: 3,
      rate: 3 / 5,
    });
    expect(team(service)).toEqual({
      team: service,
      submitted: 2,
      accepted: 1,
      decided: 2,
      first_pass: 1,
      rate: 1 / 2,
    });
    // Grouped by team with a team filter: that team's row only.
    expect(await rows('first_pass_rate', `?by=team&team=${service}`)).toEqual([team(service)]);
    const [P1, P2] = fa.playbooks;
    expect(await rows('first_pass_rate', `?by=playbook&playbook=${P2.id}`)).toEqual([
      { playbook: P2.id, submitted: 2, accepted: 1, decided: 2, first_pass: 1, rate: 1 / 2 },
    ]);
    const bySender = await rows('first_pass_rate', '?by=sender');
    expect(bySender.find((r) => r.sender === fa.users.sam)).toMatchObject({ submitted: 3, first_pass: 2 });
    expect(bySender.find((r) => r.sender === fa.users.olive)).toMatchObject({ submitted: 2, first_pass: 1 });
    expect(await rows('first_pass_rate', `?sender=sam@${a.slug}.test&playbook=${P1.id}`)).toEqual([
      { submitted: 3, accepted: 3, decided: 3, first_pass: 2, rate: 2 / 3 },
    ]);
  });

  it('rejections by reason: made in the period, most frequent first', async () => {
    expect(await rows('rejections_by_reason')).toEqual([
      { reason: 'missing_info', count: 2 },
      { reason: 'wrong_scope', count: 1 },
    ]);
    expect(await rows('rejections_by_reason', '?from=2026-02&to=2026-02')).toEqual([
      { reason: 'missing_info', count: 1 },
      { reason: 'wrong_scope', count: 1 },
    ]);
    expect(await rows('rejections_by_reason', `?sender=${fa.users.sam}`)).toEqual([
      { reason: 'missing_info', count: 1 },
    ]);
  });

  it('clarification rounds: the mean per handoff and the distribution', async () => {
    // rounds 0 2 1 1 0 → 4 over 5 handoffs
    expect(await rows('question_rounds')).toEqual([{ handoffs: 5, rounds: 4, mean_rounds: 4 / 5 }]);
    expect(await rows('question_rounds_distribution')).toEqual([
      { rounds: 0, handoffs: 2 },
      { rounds: 1, handoffs: 2 },
      { rounds: 2, handoffs: 1 },
    ]);
    expect(await rows('question_rounds', '?from=2026-02&to=2026-02')).toEqual([
      { handoffs: 2, rounds: 2, mean_rounds: 1 },
    ]);
  });

  it('SLA compliance: on time ÷ (on time + late), by the month due; open and waived not counted', async () => {
    // on time: h1 kickoff, h1 call, h3 sat, h5 sat, h5 review, h1 sat, h1 review = 7; late: h2 call, h3 review, h5 meeting = 3
    expect(await rows('sla_compliance')).toEqual([{ on_time: 7, late: 3, rate: 7 / 10 }]);
    expect(await rows('sla_compliance', '?by=period')).toEqual([
      { period: '2026-01', on_time: 2, late: 1, rate: 2 / 3 },
      { period: '2026-02', on_time: 2, late: 1, rate: 2 / 3 },
      { period: '2026-03', on_time: 3, late: 1, rate: 3 / 4 },
    ]);
  });

  it('on-time completion: closed handoffs with no required checkpoint late ÷ closed', async () => {
    // closed: h1 (required all on time), h3 (its required review late), h5 (late meeting not required)
    expect(await rows('on_time_completion')).toEqual([{ closed: 3, on_time: 2, rate: 2 / 3 }]);
    expect(await rows('on_time_completion', '?by=period')).toEqual([
      { period: '2026-01', closed: 1, on_time: 1, rate: 1 },
      { period: '2026-02', closed: 1, on_time: 0, rate: 0 },
      { period: '2026-03', closed: 1, on_time: 1, rate: 1 },
    ]);
  });

  it('72-hour review gaps by playbook and field, worst first', async () => {
    const [P1, P2] = fa.playbooks;
    const row = (p: { id: string; key: string }, field: string, reviews: number, gaps: number) => ({
      playbook_id: p.id,
      playbook_key: p.key,
      field,
      reviews,
      gaps,
      gap_rate: gaps / reviews,
    });
    expect(await rows('review_gaps')).toEqual([
      row(P2, 'contacts.primary', 1, 1),
      row(P2, 'scope.deliverables', 1, 1),
      row(P1, 'scope.deliverables', 2, 1),
      row(P1, 'schedule.start', 1, 0),
      row(P2, 'schedule.start', 1, 0),
    ]);
    expect(await rows('review_gaps', '?from=2026-03')).toEqual([
      row(P1, 'scope.deliverables', 1, 1),
      row(P1, 'schedule.start', 1, 0),
    ]);
  });

  it('confirmation-call change rate: calls done that changed something ÷ calls done', async () => {
    expect(await rows('confirmation_change_rate')).toEqual([{ calls: 2, changed: 1, rate: 1 / 2 }]);
    // The open call of 2026-02 is not counted: no call done then, no row.
    expect(await rows('confirmation_change_rate', '?from=2026-02&to=2026-02')).toEqual([]);
  });

  it('promise-kept rate: kept ÷ (kept + broken + renegotiated); null when none settled', async () => {
    expect(await rows('promise_kept_rate')).toEqual([
      { kept: 3, broken: 1, renegotiated: 1, open: 1, rate: 3 / 5 },
    ]);
    // A team filter leaves out the promise made on no handoff.
    expect(await rows('promise_kept_rate', `?team=${fa.teams.operations}`)).toEqual([
      { kept: 2, broken: 1, renegotiated: 1, open: 1, rate: 2 / 4 },
    ]);
    expect(await rows('promise_kept_rate', `?team=${fa.teams.operations}&from=2026-03`)).toEqual([
      { kept: 0, broken: 0, renegotiated: 0, open: 1, rate: null },
    ]);
  });

  it('CSAT (mean) and NPS (% promoters 9–10 − % detractors 0–6)', async () => {
    expect(await rows('csat_nps')).toEqual([
      { responses: 4, csat: 3.5, promoters: 2, passives: 1, detractors: 1, nps: 25 },
    ]);
    expect(await rows('csat_nps', '?by=period')).toEqual([
      { period: '2026-01', responses: 1, csat: 5, promoters: 1, passives: 0, detractors: 0, nps: 100 },
      { period: '2026-02', responses: 2, csat: 3, promoters: 1, passives: 0, detractors: 1, nps: 0 },
      { period: '2026-03', responses: 1, csat: 3, promoters: 0, passives: 1, detractors: 0, nps: 0 },
    ]);
    // The service team received only e2's handoffs: its two surveys.
    expect(await rows('csat_nps', `?team=${fa.teams.service}`)).toEqual([
      { responses: 2, csat: 2.5, promoters: 0, passives: 1, detractors: 1, nps: -50 },
    ]);
  });

  it('sender scorecards: submitted, first-pass rate, questions, gaps found later, 30-day rating', async () => {
    expect(await rows('sender_scorecards')).toEqual([
      {
        sender: fa.users.sam,
        name: 'Sam Seller',
        submitted: 3,
        decided: 3,
        first_pass_rate: 2 / 3,
        questions: 3,
        gaps: 1,
        ratings: 2,
        rating: 3.5,
      },
      {
        sender: fa.users.olive,
        name: 'Olive Ops',
        submitted: 2,
        decided: 2,
        first_pass_rate: 1 / 2,
        questions: 3,
        gaps: 2,
        ratings: 1,
        rating: 4,
      },
    ]);
  });

  it('the lifecycle funnel: handoffs drafted in the period and how far they went', async () => {
    expect(await rows('funnel')).toEqual([
      { drafted: 6, submitted: 5, accepted: 4, kicked_off: 2, closed: 3 },
    ]);
    expect(await rows('funnel', '?by=period')).toEqual([
      { period: '2026-01', drafted: 3, submitted: 3, accepted: 3, kicked_off: 2, closed: 2 },
      { period: '2026-02', drafted: 2, submitted: 2, accepted: 1, kicked_off: 0, closed: 1 },
      { period: '2026-03', drafted: 1, submitted: 0, accepted: 0, kicked_off: 0, closed: 0 },
    ]);
  });

  it('retention beside handoff quality: NRR and GRR of clean and other accounts, per currency', async () => {
    const c = await seedOrg(deps, 'Metrics C');
    const fc = await factOrg(store, c);
    const w = factWriter(store, fc);
    const [clean, rough, noHandoff] = [
      await w.engagement('Clean'),
      await w.engagement('Rough'),
      await w.engagement('None'),
    ];
    const handoff = (engagement: string, firstPass: 0 | 1) =>
      w.handoff({
        engagement,
        sender: fc.users.sam,
        sending: fc.teams.sales,
        receiving: fc.teams.operations,
        playbook: fc.playbooks[0],
        created: '2026-01',
        submitted: '2026-01',
        firstPass,
      });
    await handoff(clean, 1);
    await handoff(rough, 0);
    await handoff(rough, 1);
    await w.revenue(clean, '2026-01', 'starting', 10_000, 'USD');
    await w.revenue(clean, '2026-02', 'expansion', 2_000, 'USD');
    await w.revenue(clean, '2026-03', 'contraction', 1_000, 'USD');
    await w.revenue(rough, '2026-01', 'starting', 20_000, 'USD');
    await w.revenue(rough, '2026-02', 'churn', 5_000, 'USD');
    await w.revenue(rough, '2026-03', 'contraction', 1_000, 'USD');
    await w.revenue(rough, '2026-01', 'starting', 5_000, 'EUR');
    await w.revenue(rough, '2026-03', 'churn', 5_000, 'EUR');
    // An account with no decided handoff has no quality: left out.
    await w.revenue(noHandoff, '2026-01', 'starting', 99_000, 'USD');
    const viewer = call(app, c.viewer);
    const metric = await viewer('GET', '/api/v1/metrics/retention_by_quality');
    expect(metric.status, JSON.stringify(metric.body)).toBe(200);
    const row = (quality: string, currency: string, m: number[], nrr: number | null, grr: number | null) => ({
      quality,
      currency,
      accounts: 1,
      starting_minor: m[0],
      expansion_minor: m[1],
      contraction_minor: m[2],
      churn_minor: m[3],
      nrr,
      grr,
    });
    // Clean USD: (10000 + 2000 − 1000) ÷ 10000 = 1.1, (10000 − 1000) ÷ 10000 = 0.9; rough USD:
    // (20000 − 1000 − 5000) ÷ 20000 = 0.7 both; rough EUR: (5000 − 5000) ÷ 5000 = 0.
    expect(metric.body.rows).toEqual([
      row('clean', 'USD', [10_000, 2_000, 1_000, 0], 1.1, 0.9),
      row('not_clean', 'EUR', [5_000, 0, 0, 5_000], 0, 0),
      row('not_clean', 'USD', [20_000, 0, 1_000, 5_000], 0.7, 0.7),
    ]);
    // From February there is no starting revenue in the window's first month: null, never NaN.
    const later = await viewer('GET', '/api/v1/metrics/retention_by_quality?from=2026-02');
    expect(later.body.rows.map((r: Json) => [r.quality, r.currency, r.nrr, r.grr])).toEqual([
      ['clean', 'USD', null, null],
      ['not_clean', 'EUR', null, null],
      ['not_clean', 'USD', null, null],
    ]);
    const dashboard = await viewer('GET', '/api/v1/dashboard');
    expect(dashboard.body.retention_by_quality).toEqual([
      { quality: 'clean', currency: 'USD', accounts: 1, nrr: 1.1, grr: 0.9 },
      { quality: 'not_clean', currency: 'EUR', accounts: 1, nrr: 0, grr: 0 },
      { quality: 'not_clean', currency: 'USD', accounts: 1, nrr: 0.7, grr: 0.7 },
    ]);
  });

  it('an empty period answers zero rows for every metric, and a dashboard of zeros and nulls, never NaN', async () => {
    const catalogue = await get('/api/v1/metrics');
    expect(catalogue.status).toBe(200);
    for (const { key } of catalogue.body.items)
      expect(await rows(key, '?from=2025-01&to=2025-12'), key).toEqual([]);
    const empty = await get('/api/v1/dashboard?from=2025-01&to=2025-12');
    expect(empty.status).toBe(200);
    expect(empty.body.totals).toEqual({
      drafted: 0,
      submitted: 0,
      accepted: 0,
      first_pass_rate: null,
      sla_compliance: null,
      on_time_completion: null,
      promise_kept_rate: null,
      confirmation_change_rate: null,
      mean_question_rounds: null,
      csat: null,
      nps: null,
    });
    expect(empty.body.cycle_times).toEqual([
      { stage: 'signed_to_submitted', count: 0, median_hours: null, p90_hours: null },
      { stage: 'submitted_to_accepted', count: 0, median_hours: null, p90_hours: null },
      { stage: 'accepted_to_kickoff', count: 0, median_hours: null, p90_hours: null },
    ]);
    expect(empty.body.funnel.map((s: Json) => s.count)).toEqual([0, 0, 0, 0, 0]);
    expect([
      empty.body.trend,
      empty.body.rejections_by_reason,
      empty.body.review_gaps,
      empty.body.senders,
    ]).toEqual([[], [], [], []]);
  });

  it('the dashboard answers every figure with the same numbers as the metrics', async () => {
    const r = await get('/api/v1/dashboard');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = r.body;
    expect(d.filters).toEqual({ from: null, to: null, team: null, playbook: null });
    expect(d.totals).toEqual({
      drafted: 6,
      submitted: 5,
      accepted: 4,
      first_pass_rate: 3 / 5,
      sla_compliance: 7 / 10,
      on_time_completion: 2 / 3,
      promise_kept_rate: 3 / 5,
      confirmation_change_rate: 1 / 2,
      mean_question_rounds: 4 / 5,
      csat: 3.5,
      nps: 25,
    });
    expect(d.trend).toEqual([
      {
        period: '2026-01',
        submitted: 2,
        accepted: 2,
        first_pass_rate: 1 / 2,
        sla_compliance: 2 / 3,
        median_accept_hours: 2,
      },
      {
        period: '2026-02',
        submitted: 2,
        accepted: 1,
        first_pass_rate: 1 / 2,
        sla_compliance: 2 / 3,
        median_accept_hours: 6,
      },
      {
        period: '2026-03',
        submitted: 1,
        accepted: 1,
        first_pass_rate: 1,
        sla_compliance: 3 / 4,
        median_accept_hours: 8,
      },
    ]);
    expect(d.cycle_times).toEqual((await rows('cycle_times')).map((c) => ({ ...c })));
    expect(d.rejections_by_reason).toEqual(await rows('rejections_by_reason'));
    expect(d.funnel).toEqual([
      { stage: 'drafted', count: 6 },
      { stage: 'submitted', count: 5 },
      { stage: 'accepted', count: 4 },
      { stage: 'kicked_off', count: 2 },
      { stage: 'closed', count: 3 },
    ]);
    expect(d.review_gaps).toEqual(await rows('review_gaps'));
    expect(d.senders).toEqual([
      {
        user_id: fa.users.sam,
        name: 'Sam Seller',
        submitted: 3,
        first_pass_rate: 2 / 3,
        questions: 3,
        gaps: 1,
        rating: 3.5,
      },
      {
        user_id: fa.users.olive,
        name: 'Olive Ops',
        submitted: 2,
        first_pass_rate: 1 / 2,
        questions: 3,
        gaps: 2,
        rating: 4,
      },
    ]);
    const bucket = (from: number, count: number) => ({ from, to: from + 10, count });
    expect(d.health).toEqual({
      bands: [
        { band: 'healthy', count: 0 },
        { band: 'watch', count: 1 },
        { band: 'at_risk', count: 1 },
      ],
      buckets: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90].map((from) =>
        bucket(from, from === 30 || from === 50 ? 1 : 0),
      ),
    });
    // Filtered by team and period, through the function the benchmark calls.
    const filtered = await get(`/api/v1/dashboard?from=2026-02&to=2026-03&team=service`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.filters).toEqual({
      from: '2026-02',
      to: '2026-03',
      team: fa.teams.service,
      playbook: null,
    });
    expect(filtered.body.totals).toMatchObject({
      drafted: 1,
      submitted: 2,
      accepted: 1,
      first_pass_rate: 1 / 2,
    });
    const direct = await dashboardOf(store, a.id, {
      from: '2026-02',
      to: '2026-03',
      team: fa.teams.service,
      sender: null,
      playbook: null,
    });
    expect(direct).toEqual(filtered.body);
  });

  it.runIf(dialect === 'postgres')(
    'the dashboard reads in one read-only snapshot on PostgreSQL',
    async () => {
      // The transaction the dashboard runs in refuses writes (even one that would change nothing).
      const write = inReadSnapshot(store, (trx) =>
        trx.updateTable('handoff_facts').set({ questions: 99 }).where('org_id', '=', 'nobody').execute(),
      );
      await expect(write).rejects.toThrow(/read-only transaction/);
      const level = await inReadSnapshot(store, async (trx) =>
        sql<{ transaction_isolation: string }>`show transaction_isolation`.execute(trx),
      );
      expect(level.rows[0]!.transaction_isolation).toBe('repeatable read');
    },
  );

  it('bad filters answer 400 naming each parameter; an unknown metric 404', async () => {
    const bad = await get(
      '/api/v1/metrics/first_pass_rate?from=2026-13&to=26-01&team=nope&sender=nobody&playbook=x&by=galaxy',
    );
    expect(bad.status).toBe(400);
    expect(bad.raw.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(
      ['/by', '/from', '/playbook', '/sender', '/team', '/to'].sort(),
    );
    const backwards = await get('/api/v1/dashboard?from=2026-03&to=2026-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ path: '/to', message: 'must not be before from' }]);
    // CSAT and NPS cannot be grouped by team (a survey has none).
    const noTeams = await get('/api/v1/metrics/csat_nps?by=team');
    expect(noTeams.status).toBe(400);
    expect(noTeams.body.errors).toEqual([{ path: '/by', message: 'must be one of none, period' }]);
    // Another organisation's team is no team of this one.
    const theirs = await get(`/api/v1/metrics/funnel?team=${(await factOrg(store, b)).teams.sales}`);
    expect(theirs.status).toBe(400);
    expect((await get('/api/v1/metrics/nothing_here')).status).toBe(404);
    expect((await get('/api/v1/metrics/nothing_here.csv')).status).toBe(404);
  });

  it('a metric as CSV: the same rows, the group column first', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/metrics/first_pass_rate.csv?by=period',
      headers: { authorization: `Bearer ${a.viewer}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toEqual([
      'period,submitted,accepted,decided,first_pass,rate',
      '2026-01,2,2,2,1,0.5',
      '2026-02,2,1,2,1,0.5',
      '2026-03,1,1,1,1,1',
    ]);
  });
});
