import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
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
