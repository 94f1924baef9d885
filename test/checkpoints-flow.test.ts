import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { type ScheduledApp, scheduledApp } from './support/scheduled-app.js';
import { DIALECTS, sealAll } from './support/stores.js';

/** A complete professional-services packet. */
const PS_PACKET = {
  goal: { client_goal: 'Close the books in five days.', success_metric: '5-day close by Q3' },
  scope: { in_scope: ['GL integration'], out_of_scope: ['Payroll'] },
  people: {
    buyer: { name: 'Dana Whitfield', role: 'COO', email: 'dana@client.example' },
    champion: { name: 'Luis Ortega', role: 'Finance systems lead' },
  },
  promises: {
    promises: [{ text: 'Weekly call in month one', made_by: 'Sam', in_contract: false }],
    surprises: 'Previous vendor walked away mid-project.',
  },
  success: {
    ultimate_objective: 'A 5-day close',
    earliest_signal: 'Unattended reconciliation in week 3',
    minimum_outcome: 'A 7-day close',
    early_win: 'First automated report by day 30',
  },
};

describe.each(DIALECTS)('checkpoints, SLA clocks and notifications on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let engagementId: string;
  let smtp: ScheduledApp['smtp'];
  let hook: ScheduledApp['hook'];
  let drain: () => Promise<void>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // Friday 6 March 2026, 11:00 in New York: the weekend after it is the spring DST change.
    ({ app, deps, clock, smtp, hook, drain, close } = await scheduledApp(
      dialect,
      '2026-03-06T16:00:00.000Z',
    ));
    org = await seedOrg(deps, 'Acme Cleaning');
    const admin = call(app, org.admin);
    const cal = await admin('PUT', '/api/v1/calendar', {
      time_zone: 'America/New_York',
      working_days: [1, 2, 3, 4, 5],
      day_start: '09:00',
      day_end: '17:00',
      holidays: [{ date: '2026-03-09', name: 'Company day' }],
    });
    expect(cal.status, JSON.stringify(cal.body)).toBe(200);
    expect((await admin('PUT', '/api/v1/notification-settings', { chat_webhook_url: hook.url })).status).toBe(
      200,
    );
    const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Close automation',
    });
    engagementId = engagement.body.id;
  });
  afterAll(async () => close());

  const checkpointsOf = async (handoffId: string): Promise<Json[]> =>
    (await call(app, org.admin)('GET', `/api/v1/checkpoints?handoff_id=${handoffId}&limit=200`)).body.items;
  const byKey = async (handoffId: string, key: string): Promise<Json> =>
    (await checkpointsOf(handoffId)).find((c) => c.key === key);

  const openHandoff = async (playbook: string, transition: string, packet: unknown) => {
    const res = await call(app, org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook,
      transition,
      packet,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it('keeps the business calendar, refusing a bad one with every problem listed', async () => {
    const got = await call(app, org.operations)('GET', '/api/v1/calendar');
    expect(got.body).toMatchObject({ time_zone: 'America/New_York', holidays: [{ date: '2026-03-09' }] });
    const bad = await call(app, org.admin)('PUT', '/api/v1/calendar', {
      time_zone: 'Nowhere/Land',
      working_days: [1, 1],
      day_start: '17:00',
      day_end: '09:00',
      holidays: [{ date: '2026-02-30' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual([
      '/time_zone',
      '/working_days',
      '/day_end',
      '/holidays/0/date',
    ]);
    expect((await call(app, org.sales)('PUT', '/api/v1/calendar', got.body)).status).toBe(403);
  });

  let psHandoff: string;

  it('times the acceptance SLA across a weekend, a holiday and the DST change, then escalates it', async () => {
    psHandoff = await openHandoff('professional-services', 'sales-to-delivery', PS_PACKET);
    expect((await call(app, org.sales)('POST', `/api/v1/handoffs/${psHandoff}/submit`)).status).toBe(200);
    const review = await byKey(psHandoff, 'acceptance_review');
    // Friday 11:00 EST + 2 business days, Monday a holiday: Wednesday 11:00 EDT.
    expect(review).toMatchObject({ state: 'open', kind: 'task', due_at: '2026-03-11T15:00:00.000Z' });
    const inbox = await call(app, org.operations)('GET', '/api/v1/checkpoints?state=open&owner=me');
    expect(inbox.body.items.map((c: Json) => c.id)).toContain(review.id);
    expect((await call(app, org.sales)('GET', '/api/v1/checkpoints?owner=me')).body.items).not.toContainEqual(
      expect.objectContaining({ id: review.id }),
    );

    clock.set('2026-03-11T14:59:00.000Z');
    await drain();
    expect((await byKey(psHandoff, 'acceptance_review')).state).toBe('open');
    expect(smtp.mails.filter((m) => m.raw.includes('Overdue:'))).toHaveLength(0);

    clock.set('2026-03-11T15:00:30.000Z');
    await drain();
    const overdue = await byKey(psHandoff, 'acceptance_review');
    expect(overdue).toMatchObject({ state: 'overdue', overdue_at: '2026-03-11T15:00:30.000Z' });
    // Escalated to the role the playbook names (admin), by e-mail and to the chat webhook, once.
    const mail = smtp.mails.find((m) => m.raw.includes('Overdue: Delivery reads'));
    // The only admin, plus nobody else: the checkpoint has no named owner and the role replaces the team.
    expect(mail?.to).toEqual([`admin@${org.slug}.example`]);
    const overduePosts = hook.posts.filter((p) => (p.body as { text: string }).text.includes('Overdue:'));
    expect(overduePosts).toHaveLength(1);
    expect((overduePosts[0]!.body as { text: string }).text).toMatch(/^\*Overdue: Delivery reads/);
    await drain();
    expect(smtp.mails.filter((m) => m.raw.includes('Overdue: Delivery reads'))).toHaveLength(1);
    // The notification centre lists the escalation for the admin, linked to the handoff.
    expect((await call(app, org.admin)('GET', '/api/v1/notifications')).body.items).toContainEqual(
      expect.objectContaining({
        kind: 'checkpoint_overdue',
        subject: 'Overdue: Delivery reads, questions and accepts or rejects the packet',
        link: `/handoffs/${psHandoff}`,
      }),
    );

    const sorted = await call(app, org.admin)('GET', '/api/v1/checkpoints?state=overdue&state=open');
    expect(sorted.body.items[0].state).toBe('overdue');
    const audit = await call(app, org.admin)('GET', `/api/v1/handoffs/${psHandoff}/audit`);
    const actions = (audit.body.items as Json[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['checkpoint.created', 'checkpoint.overdue', 'checkpoint.escalated']),
    );
  });

  it('refuses milestones downstream of acceptance before the handoff is accepted', async () => {
    const res = await call(app, org.operations)('POST', `/api/v1/handoffs/${psHandoff}/milestones`, {
      key: 'joint_kickoff',
      at: '2026-03-12T14:00:00.000Z',
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/downstream of acceptance/);
  });

  it('pauses and resumes a clock with the business time that was left, recording both', async () => {
    clock.set('2026-03-11T16:00:00.000Z'); // Wednesday 12:00 EDT
    expect((await call(app, org.operations)('POST', `/api/v1/handoffs/${psHandoff}/accept`)).status).toBe(
      200,
    );
    expect((await byKey(psHandoff, 'acceptance_review')).state).toBe('done');
    const kickoff = await byKey(psHandoff, 'joint_kickoff');
    expect(kickoff).toMatchObject({ state: 'open', kind: 'meeting', due_at: '2026-03-18T16:00:00.000Z' });
    expect(kickoff.required_attendees).toEqual(['seller', 'delivery_lead']);

    const ops = call(app, org.operations);
    clock.set('2026-03-12T14:00:00.000Z'); // Thursday 10:00: 34 working hours left
    expect((await ops('POST', `/api/v1/checkpoints/${kickoff.id}/pause`, {})).status).toBe(400);
    const paused = await ops('POST', `/api/v1/checkpoints/${kickoff.id}/pause`, {
      reason: 'Client on holiday',
    });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ paused: true, remaining_minutes: 34 * 60 });
    clock.set('2026-03-20T00:00:00.000Z'); // long past the old due time: a paused clock does not run out
    await drain();
    expect((await byKey(psHandoff, 'joint_kickoff')).state).toBe('open');
    clock.set('2026-03-16T13:00:00.000Z'); // Monday 09:00
    const resumed = await ops('POST', `/api/v1/checkpoints/${kickoff.id}/resume`, { reason: 'Client back' });
    expect(resumed.status).toBe(200);
    // 34 hours from Monday 09:00: Mon, Tue, Wed, Thu (32) and two more on Friday: 11:00 EDT.
    expect(resumed.body).toMatchObject({ paused: false, due_at: '2026-03-20T15:00:00.000Z' });
    expect(resumed.body.clock_events).toEqual([
      expect.objectContaining({
        kind: 'pause',
        reason: 'Client on holiday',
        due_before: '2026-03-18T16:00:00.000Z',
      }),
      expect.objectContaining({
        kind: 'resume',
        remaining_minutes: 2040,
        due_after: '2026-03-20T15:00:00.000Z',
      }),
    ]);
  });

  it('schedules the kickoff with an .ics invitation, records attendance and opens the 72-hour review', async () => {
    const ops = call(app, org.operations);
    const kickoff = await byKey(psHandoff, 'joint_kickoff');
    const scheduled = await ops('POST', `/api/v1/checkpoints/${kickoff.id}/schedule`, {
      start: '2026-03-17T14:00:00.000Z',
      duration_minutes: 60,
      location: 'Video call',
      invitees: [
        { name: 'Sam Seller', email: `sam@${org.slug}.test`, role: 'seller' },
        { name: 'Olive Ops', email: `olive@${org.slug}.test`, role: 'delivery_lead' },
      ],
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const ics = await ops('GET', `/api/v1/checkpoints/${kickoff.id}/invitation.ics`);
    expect(ics.status).toBe(200);
    expect(ics.raw.headers['content-type']).toContain('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(ics.raw.body));
    for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.startDate.zone?.tzid).toBe('America/New_York');
    expect(event.startDate.toString()).toBe('2026-03-17T10:00:00');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-03-17T14:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-03-17T15:00:00.000Z');
    expect(event.attendees.map((a) => a.getFirstValue())).toEqual([
      `mailto:sam@${org.slug}.test`,
      `mailto:olive@${org.slug}.test`,
    ]);
    await drain();
    const invite = smtp.mails.find((m) => m.raw.includes('Invitation: Live joint kickoff'));
    expect(invite?.raw).toContain('text/calendar');
    expect(invite?.to.sort()).toEqual([`olive@${org.slug}.test`, `sam@${org.slug}.test`]);
    // Invitees who are users find it in their notification centre; Olive, who sent it, does not.
    const kinds = async (token: string) =>
      ((await call(app, token)('GET', '/api/v1/notifications')).body.items as Json[]).map((n) => n.kind);
    expect(await kinds(org.sales)).toContain('checkpoint_invitation');
    expect(await kinds(org.operations)).not.toContain('checkpoint_invitation');

    clock.set('2026-03-17T16:00:00.000Z');
    const missing = await ops('POST', `/api/v1/checkpoints/${kickoff.id}/complete`, {
      outcome: { held_at: '2026-03-17T14:05:00.000Z', attendees: [{ role: 'delivery_lead', name: 'Olive' }] },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { path: '/outcome/attendees', message: 'the seller must attend; no attendee has that role' },
    ]);
    const held = await ops('POST', `/api/v1/checkpoints/${kickoff.id}/complete`, {
      outcome: {
        held_at: '2026-03-17T14:05:00.000Z',
        attendees: [
          { role: 'delivery_lead', name: 'Olive Ops' },
          { role: 'seller', name: 'Sam Seller', email: `sam@${org.slug}.test` },
        ],
      },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    expect(held.body.outcome.attendees).toHaveLength(2);
    const review = await byKey(psHandoff, 'follow_up_review');
    // A look back: its window opens 48 hours after the kickoff was held, due at 72 hours.
    expect(review).toMatchObject({
      state: 'open',
      opens_at: '2026-03-19T14:05:00.000Z',
      due_at: '2026-03-20T14:05:00.000Z',
    });
    const early = await ops('POST', `/api/v1/checkpoints/${review.id}/complete`, {
      outcome: { comparisons: [] },
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/opens at 2026-03-19T14:05:00.000Z/);

    clock.set('2026-03-19T15:00:00.000Z');
    const bad = await ops('POST', `/api/v1/checkpoints/${review.id}/complete`, {
      outcome: {
        comparisons: [
          { field: 'goal.client_goal', experienced: 'As described', gap: false },
          { field: 'scope.in_scope', experienced: 'Also wanted payroll', gap: true },
          { field: 'goal.nonsense', experienced: 'x', gap: false },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual([
      '/outcome/comparisons/1/category',
      '/outcome/comparisons/2/field',
      '/outcome/comparisons',
      '/outcome/comparisons',
      '/outcome/comparisons',
    ]);
    const done = await ops('POST', `/api/v1/checkpoints/${review.id}/complete`, {
      outcome: {
        comparisons: [
          { field: 'goal.client_goal', experienced: 'As described', gap: false },
          { field: 'goal.success_metric', experienced: 'As described', gap: false },
          { field: 'scope.in_scope', experienced: 'Also wanted payroll', gap: true, category: 'incomplete' },
          {
            field: 'scope.out_of_scope',
            experienced: 'Payroll is in dispute',
            gap: true,
            category: 'inaccurate',
          },
          { field: 'promises.promises', experienced: 'Weekly call happening', gap: false },
        ],
      },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.outcome).toMatchObject({ gaps: 2 });
    expect(done.body.outcome.comparisons[0].communicated).toBe('Close the books in five days.');

    const check = await byKey(psHandoff, 'thirty_day_check');
    expect(check.due_at).toBe('2026-04-10T16:00:00.000Z'); // 30 calendar days, same local time
    // At the 30-day mark, not on day 0: the window opens four weeks after acceptance.
    expect(check.opens_at).toBe('2026-04-08T16:00:00.000Z');
    const tooSoon = await ops('POST', `/api/v1/checkpoints/${check.id}/complete`, { outcome: { rating: 4 } });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.detail).toMatch(/cannot be completed before then/);
    expect((await byKey(psHandoff, 'thirty_day_check')).state).toBe('open');
    clock.set('2026-04-08T16:00:00.000Z');
    const rating = await ops('POST', `/api/v1/checkpoints/${check.id}/complete`, { outcome: { rating: 6 } });
    expect(rating.status).toBe(400);
    const rated = await ops('POST', `/api/v1/checkpoints/${check.id}/complete`, {
      outcome: { rating: 4, comment: 'Clean packet' },
    });
    expect(rated.body).toMatchObject({ state: 'done', outcome: { kind: 'satisfaction_check', rating: 4 } });
    expect((await ops('POST', `/api/v1/checkpoints/${check.id}/waive`, { reason: 'x' })).status).toBe(409);
  });

  it('opens a re-scope and e-mails the seller when a confirmation-call answer changed', async () => {
    clock.set('2026-03-18T14:00:00.000Z');
    const packet = EXAMPLE_PACKETS['field-service-first-visit']!['estimate-to-operations']!;
    const id = await openHandoff('field-service-first-visit', 'estimate-to-operations', packet);
    expect((await call(app, org.sales)('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    expect((await call(app, org.operations)('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(200);
    expect(await byKey(id, 'confirmation_call')).toBeUndefined();
    const ops = call(app, org.operations);
    const visit = await ops('POST', `/api/v1/handoffs/${id}/milestones`, {
      key: 'first_visit',
      at: '2026-03-24T13:00:00.000Z',
    });
    expect(visit.status, JSON.stringify(visit.body)).toBe(200);
    const callCp = await byKey(id, 'confirmation_call');
    // The day before the visit: the window opens 48 hours before it, due 24 hours before.
    expect(callCp).toMatchObject({
      kind: 'confirmation_call',
      opens_at: '2026-03-22T13:00:00.000Z',
      due_at: '2026-03-23T13:00:00.000Z',
    });
    expect(callCp.script.map((q: Json) => q.key)).toEqual([
      'address_entry',
      'scope',
      'products',
      'pets_children',
      'timeframe',
    ]);

    clock.set('2026-03-22T20:00:00.000Z'); // Sunday afternoon, the day before the visit
    const partial = await ops('POST', `/api/v1/checkpoints/${callCp.id}/complete`, {
      outcome: {
        answers: [
          { key: 'address_entry', answer: 'Same', changed: false },
          { key: 'parking', answer: 'x', changed: false },
        ],
      },
    });
    expect(partial.status).toBe(400);
    expect(partial.body.errors).toHaveLength(5); // the unknown question and four unanswered ones

    const mailsBefore = smtp.mails.length;
    const answered = await ops('POST', `/api/v1/checkpoints/${callCp.id}/complete`, {
      outcome: {
        answers: [
          { key: 'address_entry', answer: 'Same address, lockbox 4411', changed: false },
          { key: 'scope', answer: 'As quoted', changed: false },
          { key: 'products', answer: 'Eco-only now', changed: true, note: 'New baby in the home' },
          { key: 'pets_children', answer: 'One cat, one newborn', changed: true },
          { key: 'timeframe', answer: '9-12 as booked', changed: false },
        ],
      },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.outcome.changed).toBe(true);
    const rescopes = await ops('GET', `/api/v1/engagements/${engagementId}/rescopes`);
    expect(rescopes.body.items).toHaveLength(1);
    expect(rescopes.body.items[0]).toMatchObject({
      handoff_id: id,
      checkpoint_id: callCp.id,
      status: 'open',
      changes: [
        expect.objectContaining({ key: 'products', answer: 'Eco-only now', note: 'New baby in the home' }),
        expect.objectContaining({ key: 'pets_children' }),
      ],
    });
    await drain();
    const told = smtp.mails.slice(mailsBefore).find((m) => m.raw.includes('Re-scope needed'));
    expect(told?.to).toContain(`sam@${org.slug}.test`);
    expect(told?.raw).toContain('Eco-only now');
    const samsList = (await call(app, org.sales)('GET', '/api/v1/notifications')).body.items as Json[];
    expect(samsList.map((n) => n.kind)).toContain('rescope_opened');

    await sealAll(deps.store);

    const [report] = await verifyAuditChain(deps, { orgSlug: org.slug });
    expect(report!.ok).toBe(true);
  });

  it('resolves a re-scope once, with what changed and a note, and tells the seller', async () => {
    const ops = call(app, org.operations);
    const [open] = (await ops('GET', `/api/v1/engagements/${engagementId}/rescopes`)).body.items as Json[];
    expect(open).toMatchObject({ status: 'open', resolution: null });
    const url = `/api/v1/rescopes/${open.id}/resolve`;
    const bad = await ops('POST', url, { outcome: 'cheaper', note: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['/note', '/outcome']);
    expect((await ops('POST', url, { outcome: 'crew', note: '   ' })).status).toBe(400);
    expect((await call(app, org.viewer)('POST', url, { outcome: 'crew', note: 'x' })).status).toBe(403);
    // Service is neither side of this handoff.
    expect((await call(app, org.service)('POST', url, { outcome: 'crew', note: 'x' })).status).toBe(403);

    const mailsBefore = smtp.mails.length;
    const resolved = await ops('POST', url, { outcome: 'crew', note: 'Two cleaners and the eco kit.' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({
      id: open.id,
      status: 'resolved',
      resolution: {
        outcome: 'crew',
        note: 'Two cleaners and the eco kit.',
        by: org.userIds.operations,
        at: clock.now().toISOString(),
      },
    });
    const listed = await ops('GET', `/api/v1/engagements/${engagementId}/rescopes`);
    expect(listed.body.items[0]).toEqual(resolved.body);
    const again = await ops('POST', url, { outcome: 'date', note: 'Moved to Friday' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/cannot be resolved again/);

    await drain();
    const told = smtp.mails.slice(mailsBefore).filter((m) => m.raw.includes('Re-scope resolved'));
    expect(told).toHaveLength(1);
    expect(told[0]!.to).toContain(`sam@${org.slug}.test`);
    const text = told[0]!.raw.replace(/=\r?\n/g, ''); // quoted-printable soft line breaks
    expect(text).toContain('is resolved: the crew changed.');
    expect(text).toContain('Two cleaners and the eco kit.');
    const samsList = (await call(app, org.sales)('GET', '/api/v1/notifications')).body.items as Json[];
    expect(samsList[0]).toMatchObject({ kind: 'rescope_resolved', link: `/handoffs/${open.handoff_id}` });
    const audit = await call(app, org.admin)('GET', `/api/v1/handoffs/${open.handoff_id}/audit`);
    const entry = (audit.body.items as Json[]).find((e) => e.action === 'rescope.resolved');
    expect(entry).toMatchObject({
      entity: { type: 'rescope', id: open.id },
      after: { status: 'resolved', outcome: 'crew' },
    });
  });
});
