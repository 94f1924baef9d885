import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import type { Dimension } from '../src/metrics/domain/metric-filters.js';
import { backfillFacts } from '../src/metrics/facts/backfill-facts.js';
import { STATEMENTS } from '../src/metrics/metric-statements.js';
import { markEveryMonth, refreshRollups } from '../src/metrics/rollups/refresh-rollups.js';
import { markedMonths } from '../src/metrics/rollups/rollups.js';
import { dashboardOf } from '../src/metrics/use-cases/compute-dashboard.js';
import { call, type Json, seedOrg, type TestOrg } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { type ScheduledApp, scheduledApp } from './support/scheduled-app.js';
import { DIALECTS } from './support/stores.js';

const PS_PACKET = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']! as Json;

const HOUR = 3600;

// Issue 15: the facts the metrics read are written by subscribers to the domain events, in the
// transaction of the change. A history driven through the real API, then each fact checked
// against what happened, worked out by hand.
describe.each(DIALECTS)('the metrics facts follow the handoffs, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let orgId: string;
  let engagementId: string | undefined;
  let drain: () => Promise<void>;
  let close: ScheduledApp['close'];

  beforeAll(async () => {
    // Tuesday 31 March 2026, 12:00 UTC: already 1 April, 01:00, in Auckland (UTC+13).
    ({ app, deps, clock, drain, close } = await scheduledApp(dialect, '2026-03-31T12:00:00.000Z'));
    org = await seedOrg(deps, 'Acme Facts');
    const row = await deps.store.db
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', org.slug)
      .executeTakeFirstOrThrow();
    orgId = row.id;
    await deps.store.db
      .updateTable('organisations')
      .set({ time_zone: 'Pacific/Auckland' })
      .where('id', '=', orgId)
      .execute();
    const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    accountId = account.body.id;
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Close automation',
      contract_signed_at: '2026-03-30T09:00:00.000Z',
    });
    expect(engagement.status, JSON.stringify(engagement.body)).toBe(201);
    engagementId = engagement.body.id;
  });
  afterAll(async () => close());

  /** Every metric by every dimension, and the dashboard, as the organisation's figures read now. */
  const everyFigure = async () => {
    const filters = { from: null, to: null, team: null, sender: null, playbook: null };
    const out: Record<string, unknown> = { dashboard: await dashboardOf(deps.store, orgId, filters) };
    const marked = await markedMonths(deps.store.db, orgId, filters);
    for (const [key, statement] of Object.entries(STATEMENTS))
      for (const by of ['none', 'period', 'team', 'sender', 'playbook'] as Dimension[])
        out[`${key} by ${by}`] = await statement(deps.store.db, { orgId, filters, by, marked });
    return out;
  };

  // After every step: what the metrics read (months rolled up at the last step, and the months
  // this step's writers marked) equals the figures read from the facts alone (every month
  // marked), and those from the roll-ups alone (all rolled up again). A writer that forgot to
  // mark a month it changed would leave a stale roll-up read here.
  afterEach(async () => {
    if (!orgId) return;
    const now = await everyFigure();
    await markEveryMonth(deps.store.db, orgId);
    expect(await everyFigure()).toEqual(now);
    const rolled = await refreshRollups(deps.store, { orgId });
    expect(rolled.marks).toBeGreaterThan(0);
    const left = await deps.store.db
      .selectFrom('metric_rollup_marks')
      .select('id')
      .where('org_id', '=', orgId)
      .execute();
    expect(left).toEqual([]);
    expect(await everyFigure()).toEqual(now);
  });

  const sales = () => call(app, org.sales);
  const ops = () => call(app, org.operations);
  const facts = (handoffId: string) =>
    deps.store.db
      .selectFrom('handoff_facts')
      .selectAll()
      .where('handoff_id', '=', handoffId)
      .executeTakeFirst();
  const checkpointFacts = (handoffId: string) =>
    deps.store.db
      .selectFrom('checkpoint_facts')
      .selectAll()
      .where('handoff_id', '=', handoffId)
      .orderBy('def_key')
      .execute();
  const checkpointOf = async (handoffId: string, key: string): Promise<Json> =>
    (
      (await call(app, org.admin)('GET', `/api/v1/checkpoints?handoff_id=${handoffId}&limit=200`)).body
        .items as Json[]
    ).find((c) => c.key === key)!;
  let accountId: string;
  const open = async (): Promise<string> => {
    if (engagementId === undefined) {
      const engagement = await sales()('POST', '/api/v1/engagements', {
        account_id: accountId,
        name: 'Next phase',
      });
      engagementId = engagement.body.id;
    }
    const created = await sales()('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet: PS_PACKET,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    engagementId = undefined;
    return created.body.id;
  };
  const ask = async (id: string, body: string) => {
    const asked = await ops()('POST', `/api/v1/handoffs/${id}/questions`, { body, path: null });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const answered = await sales()('POST', `/api/v1/questions/${asked.body.id}/answer`, { answer: 'Done.' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
  };

  let first: string;
  let firstEngagement: string;

  it('drafted: one row, in the local month, the drafter as sender, no clocks yet', async () => {
    firstEngagement = engagementId!;
    first = await open();
    const f = await facts(first);
    expect(f).toMatchObject({
      org_id: orgId,
      engagement_id: firstEngagement,
      playbook_key: 'professional-services',
      transition_key: 'sales-to-delivery',
      state: 'draft',
      created_period: '2026-04', // 31 March 12:00 UTC is 1 April 01:00 in Auckland
      period: null,
      contract_signed_at: '2026-03-30T09:00:00.000Z',
      first_submitted_at: null,
      first_pass: null,
    });
    expect(Number(f!.submissions)).toBe(0);
  });

  it('submitted, questioned in two rounds, rejected once, resubmitted and accepted: counted as it went', async () => {
    clock.set('2026-03-31T13:00:00.000Z');
    expect((await sales()('POST', `/api/v1/handoffs/${first}/submit`)).status).toBe(200);
    let f = await facts(first);
    expect(f).toMatchObject({
      state: 'submitted',
      period: '2026-04',
      first_submitted_at: '2026-03-31T13:00:00.000Z',
    });
    // Contract signed 30 March 09:00, submitted 31 March 13:00: 28 hours.
    expect(Number(f!.signed_to_submitted_s)).toBe(28 * HOUR);

    // Two questions on revision 1: one round.
    await ask(first, 'Which ledger?');
    await ask(first, 'Which entities?');
    clock.set('2026-03-31T14:00:00.000Z');
    const rejected = await ops()('POST', `/api/v1/handoffs/${first}/reject`, {
      reason_code: 'goal_vague',
      explanation: 'The goal is ours, not the client’s.',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    f = await facts(first);
    expect(f).toMatchObject({ state: 'rejected', first_pass: 0 });
    expect([f!.rejections, f!.questions, f!.question_rounds].map(Number)).toEqual([1, 2, 1]);
    const rejections = await deps.store.db
      .selectFrom('handoff_rejection_facts')
      .selectAll()
      .where('handoff_id', '=', first)
      .execute();
    expect(rejections).toEqual([
      expect.objectContaining({
        reason: 'goal_vague',
        revision: 1,
        period: '2026-04',
        sender_user_id: org.userIds.sales,
        at: '2026-03-31T14:00:00.000Z',
      }),
    ]);

    const edited = await sales()('PATCH', `/api/v1/handoffs/${first}`, {
      packet: { ...PS_PACKET, goal: { ...PS_PACKET.goal, client_goal: '“We close in five days.”' } },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    clock.set('2026-03-31T15:00:00.000Z');
    expect((await sales()('POST', `/api/v1/handoffs/${first}/submit`)).status).toBe(200);
    // A question on revision 2: a second round.
    await ask(first, 'Who signs off?');
    clock.set('2026-04-01T13:00:00.000Z');
    expect((await ops()('POST', `/api/v1/handoffs/${first}/accept`)).status).toBe(200);
    f = await facts(first);
    expect(f).toMatchObject({
      state: 'accepted',
      accepted_at: '2026-04-01T13:00:00.000Z',
      first_submitted_at: '2026-03-31T13:00:00.000Z',
      first_pass: 0,
    });
    expect([f!.submissions, f!.rejections, f!.questions, f!.question_rounds].map(Number)).toEqual([
      2, 1, 3, 2,
    ]);
    // From the first submission, not the second: 24 hours.
    expect(Number(f!.submitted_to_accepted_s)).toBe(24 * HOUR);
  });

  it('checkpoints: the acceptance review settled in time, the kickoff starts its clock, the review counts its gaps', async () => {
    const review = (await checkpointFacts(first)).find((c) => c.def_key === 'acceptance_review');
    expect(review).toMatchObject({
      kind: 'task',
      state: 'done',
      on_time: 1,
      required: 1,
      sender_user_id: org.userIds.sales,
    });

    const kickoff = await checkpointOf(first, 'joint_kickoff');
    clock.set('2026-04-03T16:00:00.000Z');
    const held = await ops()('POST', `/api/v1/checkpoints/${kickoff.id}/complete`, {
      outcome: {
        held_at: '2026-04-03T14:00:00.000Z',
        attendees: [
          { role: 'delivery_lead', name: 'Olive Ops' },
          { role: 'seller', name: 'Sam Seller' },
        ],
      },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    const f = await facts(first);
    expect(f!.kickoff_at).toBe('2026-04-03T14:00:00.000Z');
    // Accepted 1 April 13:00, kickoff held 3 April 14:00: 49 hours.
    expect(Number(f!.accepted_to_kickoff_s)).toBe(49 * HOUR);

    const followUp = await checkpointOf(first, 'follow_up_review');
    clock.set('2026-04-05T15:00:00.000Z');
    const done = await ops()('POST', `/api/v1/checkpoints/${followUp.id}/complete`, {
      outcome: {
        comparisons: [
          { field: 'goal.client_goal', experienced: 'As described', gap: false },
          { field: 'goal.success_metric', experienced: 'As described', gap: false },
          { field: 'scope.in_scope', experienced: 'Also wanted payroll', gap: true, category: 'incomplete' },
          { field: 'scope.out_of_scope', experienced: 'Payroll disputed', gap: true, category: 'inaccurate' },
          { field: 'promises.promises', experienced: 'Weekly call happening', gap: false },
        ],
      },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const gaps = await deps.store.db
      .selectFrom('review_gap_facts')
      .select(['field', 'gap', 'category', 'period', 'playbook_key', 'sender_user_id'])
      .where('handoff_id', '=', first)
      .orderBy('field')
      .execute();
    expect(gaps.map((g) => [g.field, Number(g.gap), g.category])).toEqual([
      ['goal.client_goal', 0, null],
      ['goal.success_metric', 0, null],
      ['promises.promises', 0, null],
      ['scope.in_scope', 1, 'incomplete'],
      ['scope.out_of_scope', 1, 'inaccurate'],
    ]);
    expect(gaps.every((g) => g.period === '2026-04' && g.sender_user_id === org.userIds.sales)).toBe(true);
    const byKey = Object.fromEntries((await checkpointFacts(first)).map((c) => [c.def_key, c]));
    expect(byKey.follow_up_review).toMatchObject({ state: 'done', gaps: 2, on_time: 1 });
    expect(byKey.joint_kickoff).toMatchObject({ state: 'done', kind: 'meeting', on_time: 1 });
    expect(byKey.thirty_day_check).toMatchObject({ state: 'open', on_time: null, required: 0 });
  });

  it('a checkpoint that went overdue stays late once done; a 30-day rating is kept', async () => {
    const check = await checkpointOf(first, 'thirty_day_check');
    clock.set(new Date(Date.parse(check.due_at) + 60_000).toISOString());
    await drain();
    expect((await checkpointFacts(first)).find((c) => c.def_key === 'thirty_day_check')).toMatchObject({
      on_time: 0,
      state: 'open',
    });
    const rated = await ops()('POST', `/api/v1/checkpoints/${check.id}/complete`, { outcome: { rating: 4 } });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect((await checkpointFacts(first)).find((c) => c.def_key === 'thirty_day_check')).toMatchObject({
      state: 'done',
      on_time: 0,
      rating: 4,
    });
  });

  it('promises: recorded from the packet with the handoff’s dimensions, their status followed', async () => {
    const promises = await deps.store.db
      .selectFrom('promise_facts')
      .selectAll()
      .where('handoff_id', '=', first)
      .execute();
    expect(promises).toHaveLength((PS_PACKET.promises.promises as unknown[]).length);
    expect(promises[0]).toMatchObject({
      status: 'open',
      period: '2026-04',
      sender_user_id: org.userIds.sales,
    });
    const kept = await sales()('PATCH', `/api/v1/promises/${promises[0]!.promise_id}`, { status: 'kept' });
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    const after = await deps.store.db
      .selectFrom('promise_facts')
      .select('status')
      .where('promise_id', '=', promises[0]!.promise_id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('kept');
  });

  it('accepted at the first submission is a first pass; a withdrawn draft only moves its state', async () => {
    const clean = await open();
    expect((await sales()('POST', `/api/v1/handoffs/${clean}/submit`)).status).toBe(200);
    expect((await ops()('POST', `/api/v1/handoffs/${clean}/accept`)).status).toBe(200);
    expect(await facts(clean)).toMatchObject({ state: 'accepted', first_pass: 1 });

    const dropped = await open();
    const withdrawn = await sales()('POST', `/api/v1/handoffs/${dropped}/withdraw`, { note: 'Deal lost' });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(await facts(dropped)).toMatchObject({ state: 'withdrawn', period: null, first_pass: null });
  });
});

// Handoffs drafted before facts were kept get theirs from the live tables and the audit log: the
// same rows as the subscribers wrote for the same history.
describe.each(DIALECTS)('facts backfilled from the history, on %s', (dialect) => {
  it('writes for a history the rows the subscribers wrote, and nothing twice', async () => {
    const { app, deps, clock, drain, close } = await scheduledApp(dialect, '2026-05-04T12:00:00.000Z');
    try {
      const org = await seedOrg(deps, 'Acme Backfill');
      const sales = call(app, org.sales);
      const ops = call(app, org.operations);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
      const handoffs: string[] = [];
      for (let i = 0; i < 3; i++) {
        const engagement = await sales('POST', '/api/v1/engagements', {
          account_id: account.body.id,
          name: `Phase ${i}`,
          contract_signed_at: '2026-05-01T09:00:00.000Z',
        });
        const created = await sales('POST', '/api/v1/handoffs', {
          engagement_id: engagement.body.id,
          playbook: 'professional-services',
          transition: 'sales-to-delivery',
          packet: PS_PACKET,
        });
        handoffs.push(created.body.id);
      }
      const [a, b] = handoffs as [string, string, string];
      clock.advance(3_600_000);
      await sales('POST', `/api/v1/handoffs/${a}/submit`);
      await sales('POST', `/api/v1/handoffs/${b}/submit`);
      const asked = await ops('POST', `/api/v1/handoffs/${a}/questions`, {
        body: 'Which ledger?',
        path: null,
      });
      await sales('POST', `/api/v1/questions/${asked.body.id}/answer`, { answer: 'Sage.' });
      clock.advance(3_600_000);
      await ops('POST', `/api/v1/handoffs/${a}/reject`, {
        reason_code: 'metric_missing',
        explanation: 'No metric.',
      });
      await sales('POST', `/api/v1/handoffs/${a}/submit`);
      clock.advance(3_600_000);
      expect((await ops('POST', `/api/v1/handoffs/${a}/accept`)).status).toBe(200);
      expect((await ops('POST', `/api/v1/handoffs/${b}/accept`)).status).toBe(200);
      // b's acceptance review is done; its kickoff goes overdue and is waived.
      clock.advance(10 * 24 * 3_600_000);
      await drain();
      const kickoff = (
        (await call(app, org.admin)('GET', `/api/v1/checkpoints?handoff_id=${b}`)).body.items as Json[]
      ).find((c) => c.key === 'joint_kickoff')!;
      expect(
        (await ops('POST', `/api/v1/checkpoints/${kickoff.id}/waive`, { reason: 'Held off-line' })).status,
      ).toBe(200);

      // a's kickoff was held (late) five days ago; its follow-up review finds one gap.
      const checkpointsOf = async (id: string) =>
        (await call(app, org.admin)('GET', `/api/v1/checkpoints?handoff_id=${id}`)).body.items as Json[];
      const aKickoff = (await checkpointsOf(a)).find((c) => c.key === 'joint_kickoff')!;
      const heldAt = new Date(clock.now().getTime() - 5 * 24 * 3_600_000).toISOString();
      const held = await ops('POST', `/api/v1/checkpoints/${aKickoff.id}/complete`, {
        outcome: {
          held_at: heldAt,
          attendees: [
            { role: 'delivery_lead', name: 'Olive Ops' },
            { role: 'seller', name: 'Sam Seller' },
          ],
        },
      });
      expect(held.status, JSON.stringify(held.body)).toBe(200);
      const review = (await checkpointsOf(a)).find((c) => c.key === 'follow_up_review')!;
      const reviewed = await ops('POST', `/api/v1/checkpoints/${review.id}/complete`, {
        outcome: {
          comparisons: [
            { field: 'goal.client_goal', experienced: 'As described', gap: false },
            { field: 'goal.success_metric', experienced: 'As described', gap: false },
            { field: 'scope.in_scope', experienced: 'Also payroll', gap: true, category: 'incomplete' },
            { field: 'scope.out_of_scope', experienced: 'As described', gap: false },
            { field: 'promises.promises', experienced: 'As described', gap: false },
          ],
        },
      });
      expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);

      const orgId = (await deps.store.db
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', org.slug)
        .executeTakeFirstOrThrow())!.id;
      const snapshot = async () => ({
        handoffs: (
          await deps.store.db
            .selectFrom('handoff_facts')
            .selectAll()
            .where('org_id', '=', orgId)
            .orderBy('handoff_id')
            .execute()
        ).map(({ updated_at, ...rest }) => normalise(rest)),
        rejections: (
          await deps.store.db
            .selectFrom('handoff_rejection_facts')
            .selectAll()
            .where('org_id', '=', orgId)
            .orderBy('at')
            .execute()
        ).map(({ id, ...rest }) => normalise(rest)),
        checkpoints: (
          await deps.store.db
            .selectFrom('checkpoint_facts')
            .selectAll()
            .where('org_id', '=', orgId)
            .orderBy('checkpoint_id')
            .execute()
        ).map(normalise),
        gaps: (
          await deps.store.db
            .selectFrom('review_gap_facts')
            .selectAll()
            .where('org_id', '=', orgId)
            .orderBy('id')
            .execute()
        ).map(normalise),
        promises: (
          await deps.store.db
            .selectFrom('promise_facts')
            .selectAll()
            .where('org_id', '=', orgId)
            .orderBy('promise_id')
            .execute()
        ).map(({ updated_at, ...rest }) => normalise(rest)),
      });
      const written = await snapshot();
      expect(written.handoffs).toHaveLength(3);
      expect(written.rejections).toHaveLength(1);
      expect(written.gaps.map((g) => g.gap)).toEqual([0, 0, 1, 0, 0]);
      expect(written.handoffs.find((h) => h.handoff_id === a)).toMatchObject({
        kickoff_at: heldAt,
        first_pass: 0,
      });
      expect(written.checkpoints.length).toBeGreaterThan(3);
      expect(written.checkpoints.some((c) => c.state === 'waived' && c.on_time === 0)).toBe(true);

      for (const table of [
        'handoff_facts',
        'handoff_rejection_facts',
        'checkpoint_facts',
        'review_gap_facts',
        'promise_facts',
      ] as const)
        await deps.store.db.deleteFrom(table).where('org_id', '=', orgId).execute();
      expect(await backfillFacts(deps.store.db)).toBe(3);
      expect(await snapshot()).toEqual(written);
      // Nothing is written twice.
      expect(await backfillFacts(deps.store.db)).toBe(0);
      expect(await snapshot()).toEqual(written);
    } finally {
      await close();
    }
  });
});

/** A row with its numbers as numbers (PostgreSQL answers bigint as text). */
function normalise<T extends Record<string, unknown>>(row: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'string' && /^\d+$/.test(v) && k.endsWith('_s') ? Number(v) : v,
    ]),
  );
}
