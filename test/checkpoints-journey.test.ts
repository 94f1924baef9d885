import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import { CLOSED_REASON, CLOSED_WHILE_OPEN_REASON } from '../src/checkpoints/domain/settle-checkpoints.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg } from './support/app.js';
import { playbookWithCheckpoints } from './support/checkpoint-playbook.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { type ScheduledApp, scheduledApp } from './support/scheduled-app.js';
import { DIALECTS } from './support/stores.js';

/**
 * Checkpoints along a whole journey: they settle with the handoff's moves, open with the ones they
 * are due before, name their owners, and move the engagement along its stages.
 */
describe.each(DIALECTS)('checkpoints along the journey on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let smtp: ScheduledApp['smtp'];
  let drain: () => Promise<void>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // Tuesday 3 March 2026, 10:00 in New York; the US changes to summer time on Sunday the 8th.
    ({ app, deps, clock, smtp, drain, close } = await scheduledApp(dialect, '2026-03-03T15:00:00.000Z'));
    org = await seedOrg(deps, 'Journey Integrators');
    const calendar = await call(app, org.admin)('PUT', '/api/v1/calendar', {
      time_zone: 'America/New_York',
      working_days: [1, 2, 3, 4, 5],
      day_start: '09:00',
      day_end: '17:00',
      holidays: [],
    });
    expect(calendar.status).toBe(200);
  });
  afterAll(async () => close());

  const as = (token: string) => call(app, token);
  const checkpointsOf = async (handoffId: string): Promise<Json[]> =>
    (await as(org.admin)('GET', `/api/v1/checkpoints?handoff_id=${handoffId}&limit=200`)).body.items;
  const byKey = async (handoffId: string, key: string): Promise<Json> =>
    (await checkpointsOf(handoffId)).find((c) => c.key === key);
  const newEngagement = async (name: string): Promise<string> => {
    const account = await as(org.sales)('POST', '/api/v1/accounts', { name: `${name} Inc` });
    return (await as(org.sales)('POST', '/api/v1/engagements', { account_id: account.body.id, name })).body
      .id;
  };
  const engagement = async (id: string): Promise<Json> =>
    (await as(org.admin)('GET', `/api/v1/engagements/${id}`)).body;
  const open = async (
    token: string,
    engagementId: string,
    playbook: string,
    transition: string,
    packet: unknown = EXAMPLE_PACKETS[playbook]![transition],
  ): Promise<string> => {
    const res = await as(token)('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook,
      transition,
      packet,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id;
  };
  const move = async (token: string, id: string, action: string, status = 200) => {
    const res = await as(token)('POST', `/api/v1/handoffs/${id}/${action}`);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res;
  };

  it('times the handoff meeting two working days after signing and moves the engagement along its stages', async () => {
    const engagementId = await newEngagement('Riverside cameras');
    expect(await engagement(engagementId)).toMatchObject({ stage: null, contract_signed_at: null });
    const s2o = await open(org.sales, engagementId, 'security-integrator', 'sales-to-operations');
    // Opened from the sales stage: the engagement enters its journey there.
    expect((await engagement(engagementId)).stage).toBe('sales');

    const signed = await as(org.sales)('POST', `/api/v1/handoffs/${s2o}/milestones`, {
      key: 'contract_signed',
      at: '2026-03-03T15:00:00.000Z',
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    // "Within 48 hours of contract signing": Thursday 10:00, not six working days later.
    expect(await byKey(s2o, 'handoff_meeting')).toMatchObject({
      due_at: '2026-03-05T15:00:00.000Z',
      owner: { team: { key: 'sales' } },
    });
    // The recorded signing is the engagement's contract date, audited.
    expect((await engagement(engagementId)).contract_signed_at).toBe('2026-03-03T15:00:00.000Z');
    const audit = (await as(org.admin)('GET', `/api/v1/audit?engagement_id=${engagementId}`)).body
      .items as Json[];
    const updates = audit.filter((e) => e.action === 'engagement.updated').map((e) => e.after);
    expect(updates).toEqual([{ stage: 'sales' }, { contract_signed_at: '2026-03-03T15:00:00.000Z' }]);

    await move(org.sales, s2o, 'submit');
    await move(org.operations, s2o, 'accept');
    expect((await engagement(engagementId)).stage).toBe('operations');

    const packet = EXAMPLE_PACKETS['security-integrator']!['operations-to-service'];
    const o2s = await open(
      org.operations,
      engagementId,
      'security-integrator',
      'operations-to-service',
      packet,
    );
    expect((await engagement(engagementId)).stage).toBe('operations');
    await move(org.operations, o2s, 'submit');
    await move(org.service, o2s, 'accept');
    expect((await engagement(engagementId)).stage).toBe('service');
    // The service lead is introduced before the customer signs the project off.
    const closeout = await byKey(o2s, 'closeout_meeting');
    expect(await byKey(o2s, 'service_introduction')).toMatchObject({
      state: 'open',
      due_at: closeout.due_at,
      owner: { team: { key: 'operations' } },
    });

    // Closing the first handoff later leaves the engagement where the journey took it.
    await move(org.operations, s2o, 'start-delivery');
    const refused = await move(org.operations, s2o, 'close', 409);
    expect(refused.body.errors.map((e: Json) => e.path)).toEqual([
      `/checkpoints/${(await byKey(s2o, 'handoff_meeting')).id}`,
      `/checkpoints/${(await byKey(s2o, 'joint_kickoff')).id}`,
    ]);
    for (const { path } of refused.body.errors as Json[]) {
      const token = path.endsWith((await byKey(s2o, 'handoff_meeting')).id) ? org.sales : org.operations;
      expect((await as(token)('POST', `/api/v1${path}/waive`, { reason: 'Held before Baton' })).status).toBe(
        200,
      );
    }
    await move(org.operations, s2o, 'close');
    expect((await engagement(engagementId)).stage).toBe('service');
  });

  it('opens the internal debrief with the closeout and refuses to close while either is open', async () => {
    clock.set('2026-03-03T15:00:00.000Z');
    const engagementId = await newEngagement('Help desk rollout');
    const packet = structuredClone(
      EXAMPLE_PACKETS['implementation-to-success']!['implementation-to-success']!,
    );
    packet.transition!.success_manager = `sid@${org.slug}.test`;
    const id = await open(
      org.operations,
      engagementId,
      'implementation-to-success',
      'implementation-to-success',
      packet,
    );
    await move(org.operations, id, 'submit');
    await move(org.service, id, 'accept');

    // Due before the closeout: open from acceptance, due by the closeout's due time, not born overdue.
    const closeout = await byKey(id, 'closeout_meeting');
    expect(closeout).toMatchObject({ state: 'open', due_at: '2026-03-10T14:00:00.000Z' });
    const debrief = await byKey(id, 'internal_debrief');
    expect(debrief).toMatchObject({
      state: 'open',
      due_at: '2026-03-10T14:00:00.000Z',
      owner: { team: { key: 'operations' } },
    });

    // Scheduling the closeout earlier brings the debrief's deadline with it.
    const scheduled = await as(org.operations)('POST', `/api/v1/checkpoints/${closeout.id}/schedule`, {
      start: '2026-03-09T18:00:00.000Z',
      duration_minutes: 60,
      invitees: [{ name: 'Ava Thompson', email: 'ava@client.example' }],
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(await byKey(id, 'internal_debrief')).toMatchObject({
      state: 'open',
      due_at: '2026-03-09T18:00:00.000Z',
    });

    await move(org.service, id, 'start-delivery');
    const refused = await move(org.service, id, 'close', 409);
    expect(refused.body).toMatchObject({ type: '/problems/conflict', status: 409 });
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: `/checkpoints/${debrief.id}`, code: 'checkpoint_open' }),
      expect.objectContaining({ path: `/checkpoints/${closeout.id}`, code: 'checkpoint_open' }),
    ]);
    expect(refused.body.errors[0].message).toContain('(internal_debrief, owned by Operations)');

    clock.set('2026-03-09T16:00:00.000Z');
    const held = await as(org.operations)('POST', `/api/v1/checkpoints/${debrief.id}/complete`, {
      outcome: {
        held_at: '2026-03-09T15:00:00.000Z',
        attendees: [
          { role: 'implementation_lead', name: 'Olive Ops' },
          { role: 'success_manager', name: 'Sid Service' },
        ],
      },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    const still = await move(org.service, id, 'close', 409);
    expect(still.body.errors.map((e: Json) => e.path)).toEqual([`/checkpoints/${closeout.id}`]);
    // Unless it is waived with a reason.
    expect((await as(org.operations)('POST', `/api/v1/checkpoints/${closeout.id}/waive`, {})).status).toBe(
      400,
    );
    const waived = await as(org.operations)('POST', `/api/v1/checkpoints/${closeout.id}/waive`, {
      reason: 'The client signed off by e-mail',
    });
    expect(waived.status).toBe(200);
    await move(org.service, id, 'close');

    // What looks back after the close opens with it and runs on; its window opens at four weeks.
    expect(await byKey(id, 'satisfaction_survey')).toMatchObject({ state: 'open', on_close: 'keep' });
    expect(await byKey(id, 'quiet_user_check')).toMatchObject({
      state: 'open',
      opens_at: '2026-04-06T16:00:00.000Z',
      due_at: '2026-04-08T16:00:00.000Z',
    });

    // Long after: nothing settled by the close is chased.
    clock.set('2026-06-01T12:00:00.000Z');
    await drain();
    const subjects = smtp.mails.map((m) => /Subject: (.*)/.exec(m.raw)?.[1] ?? '');
    const settled = /Overdue: (Internal debrief between|Closeout meeting with the client's)/;
    expect(subjects.filter((s) => settled.test(s))).toEqual([]);
    expect(subjects).toContain('Overdue: 30-day adoption check');
  });

  it('waives at the close what the playbook lets go, and stops chasing what an earlier close left open', async () => {
    clock.set('2026-03-03T15:00:00.000Z');
    const upload = await as(org.admin)('POST', '/api/v1/playbooks', {
      source: playbookWithCheckpoints(
        `      - key: welcome_call
        name: Welcome call
        due: 1 business day after accepted
        owner: receiver
        on_close: waive
      - key: rating
        name: Rating of the handoff
        kind: satisfaction_check
        due: 30 days after accepted
        owner: receiver
`,
        'quick-start',
      ),
    });
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const engagementId = await newEngagement('Quick client');
    const id = await open(org.sales, engagementId, 'quick-start', 'sales-to-ops', {
      basics: { goal: 'Go' },
    });
    await move(org.sales, id, 'submit');
    await move(org.operations, id, 'accept');
    await move(org.operations, id, 'start-delivery');
    await move(org.operations, id, 'close');
    expect(await byKey(id, 'welcome_call')).toMatchObject({ state: 'waived', waive_reason: CLOSED_REASON });
    // A satisfaction check is kept by default; its window opens a working day before it is due
    // (30 days after 10:00 in winter is 10:00 in summer).
    expect(await byKey(id, 'rating')).toMatchObject({
      state: 'open',
      on_close: 'keep',
      opens_at: '2026-04-01T14:00:00.000Z',
      due_at: '2026-04-02T14:00:00.000Z',
    });

    // A handoff closed before closing checked its checkpoints (an older release) keeps an open
    // kickoff; when its timer fires it is waived, not escalated.
    const ps = await open(org.sales, engagementId, 'professional-services', 'sales-to-delivery');
    await move(org.sales, ps, 'submit');
    await move(org.operations, ps, 'accept');
    await deps.store.db.updateTable('handoffs').set({ state: 'closed' }).where('id', '=', ps).execute();
    const before = smtp.mails.length;
    clock.set('2026-03-20T15:00:00.000Z');
    await drain();
    expect(await byKey(ps, 'joint_kickoff')).toMatchObject({
      state: 'waived',
      waive_reason: CLOSED_WHILE_OPEN_REASON,
    });
    expect(smtp.mails.slice(before).filter((m) => m.raw.includes('Overdue: Live joint kickoff'))).toEqual([]);
  });

  it('lets the loan officer complete the introduction e-mail the playbook gives the sending side', async () => {
    clock.set('2026-03-03T15:00:00.000Z');
    const engagementId = await newEngagement('Lee purchase');
    const packet = structuredClone(EXAMPLE_PACKETS['mortgage-concierge']!['loan-officer-to-concierge']!);
    packet.introduction!.concierge = `olive@${org.slug}.test`;
    const id = await open(org.sales, engagementId, 'mortgage-concierge', 'loan-officer-to-concierge', packet);
    await move(org.sales, id, 'submit');
    const email = await byKey(id, 'introduction_email');
    expect(email).toMatchObject({ owner: { team: { key: 'sales' } } });
    expect(
      (await as(org.operations)('POST', `/api/v1/checkpoints/${email.id}/complete`, { outcome: {} })).status,
    ).toBe(403);
    const done = await as(org.sales)('POST', `/api/v1/checkpoints/${email.id}/complete`, {
      outcome: { notes: 'Sent; the concierge is copied.' },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.state).toBe('done');
  });

  it('refuses a playbook whose checkpoint order cannot be met, naming line and path', async () => {
    const source = playbookWithCheckpoints(
      `      - key: prep
        name: Prep
        due: 2 business days before kickoff
      - key: kickoff
        name: Kickoff
        due: 1 business day after accepted
`,
      'impossible',
    );
    const checked = await as(org.sales)('POST', '/api/v1/playbooks/validate', {
      source,
      file: 'impossible.yaml',
    });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({
      valid: false,
      errors: [
        {
          file: 'impossible.yaml',
          line: 29,
          path: '/transitions/0/checkpoints/0/due',
          message: expect.stringContaining('would be due the moment it opens'),
        },
      ],
    });
    expect((await as(org.admin)('POST', '/api/v1/playbooks', { source })).status).toBe(422);
  });

  it('keeps the audit chain whole', async () => {
    const [report] = await verifyAuditChain(deps, { orgSlug: org.slug });
    expect(report!.ok).toBe(true);
  });
});
