import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { HANDOVER_PLAYBOOK } from './support/handover-playbook.js';
import { DIALECTS, openTestStore, sealedAuditOf } from './support/stores.js';

describe.each(DIALECTS)('warranties, punch list, training, debrief and the closeout, on %s', (dialect) => {
  let app: Api;
  let store: Store;
  let a: TestOrg;
  let b: TestOrg;
  let accountId: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    a = await seedOrg(built.deps, 'Closeout A');
    b = await seedOrg(built.deps, 'Closeout B');
    accountId = (await call(app, a.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' })).body.id;
    const uploaded = await call(app, a.admin)('POST', '/api/v1/playbooks', { source: HANDOVER_PLAYBOOK });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const engagementWithHandoff = async (playbook: string, transition: string, packet: unknown) => {
    const sales = call(app, a.sales);
    const engagement = (
      await sales('POST', '/api/v1/engagements', { account_id: accountId, name: `E ${Math.random()}` })
    ).body.id as string;
    const handoff = await call(app, a.admin)('POST', '/api/v1/handoffs', {
      engagement_id: engagement,
      playbook,
      transition,
      packet,
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    return { engagement, handoff: handoff.body.id as string };
  };

  it('opens a checkpoint before a warranty expires, moves it with the expiry, waives it when removed', async () => {
    const { engagement, handoff } = await engagementWithHandoff(
      'professional-services',
      'sales-to-delivery',
      EXAMPLE_PACKETS['professional-services']!['sales-to-delivery'],
    );
    const ops = call(app, a.operations);
    const recorded = await ops('POST', `/api/v1/engagements/${engagement}/warranties`, {
      kind: 'support_contract',
      provider: 'Genetec',
      reference: 'SC-2291',
      starts_on: '2026-03-01',
      expires_on: '2027-02-28',
      covers: 'Security Center licences and upgrades',
      remind_days_before: 45,
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    expect(recorded.body).toMatchObject({ reminder_due_on: '2027-01-14', remind_days_before: 45 });
    const reminders = async () =>
      ((await ops('GET', `/api/v1/checkpoints?handoff_id=${handoff}`)).body.items as Json[]).filter((c) =>
        String(c.key).startsWith('warranty_expiry:'),
      );
    const [opened] = await reminders();
    expect(opened).toMatchObject({ state: 'open', kind: 'task' });
    expect(opened.name).toContain('Support contract Genetec SC-2291 expires 2027-02-28');
    expect(opened.due_at.slice(0, 10)).toBe('2027-01-14');
    expect(opened.owner.team.key).toBe('operations');
    const timer = await store.db
      .selectFrom('scheduled_jobs')
      .select(['available_at', 'status'])
      .where('dedupe_key', '=', `checkpoint_due:${opened.id}`)
      .executeTakeFirstOrThrow();
    expect(timer.available_at).toBe(opened.due_at);

    const moved = await ops('PATCH', `/api/v1/warranties/${recorded.body.id}`, { expires_on: '2028-02-29' });
    expect(moved.status).toBe(200);
    const [after] = await reminders();
    expect(after.id).toBe(opened.id);
    expect(after.due_at.slice(0, 10)).toBe('2028-01-15');

    expect(
      (await ops('PATCH', `/api/v1/warranties/${recorded.body.id}`, { expires_on: '2026-01-01' })).status,
    ).toBe(400);

    // Done (once the handoff is accepted: the reminder lies downstream of acceptance), it stays
    // done while the warranty is reworded; a renewal (a new expiry) opens a new one.
    expect((await call(app, a.sales)('POST', `/api/v1/handoffs/${handoff}/submit`)).status).toBe(200);
    expect((await ops('POST', `/api/v1/handoffs/${handoff}/accept`)).status).toBe(200);
    const done = await ops('POST', `/api/v1/checkpoints/${opened.id}/complete`, {
      outcome: { notes: 'Renewal quoted' },
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await ops('PATCH', `/api/v1/warranties/${recorded.body.id}`, {
      covers: 'Licences, upgrades and support',
    });
    expect((await reminders()).map((r) => r.state)).toEqual(['done']);
    await ops('PATCH', `/api/v1/warranties/${recorded.body.id}`, { expires_on: '2029-02-28' });
    const renewed = (await reminders()).find((r) => r.state === 'open');
    expect(renewed?.due_at.slice(0, 10)).toBe('2029-01-14');
    expect((await call(app, b.admin)('DELETE', `/api/v1/warranties/${recorded.body.id}`)).status).toBe(404);
    expect((await ops('DELETE', `/api/v1/warranties/${recorded.body.id}`)).status).toBe(204);
    expect((await reminders()).map((r) => r.state)).toEqual(['done', 'waived']);
    const audit = (await sealedAuditOf(store, recorded.body.id)).map((e) => e.action);
    expect(audit).toEqual([
      'warranty.recorded',
      'warranty.updated',
      'warranty.updated',
      'warranty.updated',
      'warranty.removed',
    ]);
  });

  it('refuses the closeout naming every unmet item, then allows it once each holds', async () => {
    const { engagement } = await engagementWithHandoff('handover', 'install-to-service', {
      notes: { summary: 'Done' },
    });
    const ops = call(app, a.operations);
    const url = `/api/v1/engagements/${engagement}/closeout`;
    await ops('POST', `/api/v1/engagements/${engagement}/inventory`, {
      type: 'Camera',
      make: 'Axis',
      model: 'P3265-LVE',
      serial: 'AX-1',
    });
    await ops('POST', `/api/v1/engagements/${engagement}/inventory`, {
      type: 'Reader',
      make: 'HID',
      model: 'Signo 40',
    });
    const punch = await ops('POST', `/api/v1/engagements/${engagement}/punch-items`, {
      title: 'Label the IDF patch panel',
      owner_id: a.userIds.operations,
      due_on: '2026-03-20',
    });
    expect(punch.status, JSON.stringify(punch.body)).toBe(201);
    expect(punch.body).toMatchObject({ state: 'open', owner: { name: 'Olive Ops' } });

    const status = await call(app, a.viewer)('GET', url);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ ready: false, playbook: { key: 'handover' }, closed_out_at: null });
    expect(status.body.orphan_products).toEqual(['Axis P3265-LVE', 'HID Signo 40']);
    expect(status.body.items.map((i: Json) => [i.key, i.met])).toEqual([
      ['no_open_punch_items', false],
      ['operators_trained', false],
      ['service_lead_introduced', false],
      ['internal_debrief_held', false],
    ]);

    const refused = await ops('POST', url);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: Json) => e.code)).toEqual([
      'no_open_punch_items',
      'operators_trained',
      'service_lead_introduced',
      'internal_debrief_held',
    ]);
    expect(refused.body.errors[0].message).toContain('Label the IDF patch panel');
    expect(refused.body.errors[1].message).toContain('Axis P3265-LVE, HID Signo 40');

    // Waiving needs a reason; done does not.
    const noReason = await ops('PATCH', `/api/v1/punch-items/${punch.body.id}`, { state: 'waived' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('/reason');
    const waived = await ops('PATCH', `/api/v1/punch-items/${punch.body.id}`, {
      state: 'waived',
      reason: 'Client labels it',
    });
    expect(waived.body).toMatchObject({ state: 'waived', reason: 'Client labels it' });
    expect(waived.body.settled_at).not.toBeNull();

    const contact = await call(app, a.sales)('POST', '/api/v1/contacts', {
      account_id: accountId,
      name: 'Rosa Reyes',
      role: 'operator',
    });
    const trained = await ops('POST', `/api/v1/engagements/${engagement}/training`, {
      contact_id: contact.body.id,
      product: 'axis  p3265-lve',
      trained_on: '2026-03-10',
      trainer_id: a.userIds.operations,
    });
    expect(trained.status, JSON.stringify(trained.body)).toBe(201);
    expect(trained.body).toMatchObject({ trainee_name: 'Rosa Reyes', trainer: { name: 'Olive Ops' } });
    const noTrainee = await ops('POST', `/api/v1/engagements/${engagement}/training`, {
      product: 'Reader',
      trained_on: '2026-03-10',
      trainer_id: a.userIds.operations,
    });
    expect(noTrainee.status).toBe(400);
    // Training on a type covers every model of it.
    await ops('POST', `/api/v1/engagements/${engagement}/training`, {
      trainee_name: 'Night guard',
      product: 'Reader',
      trained_on: '2026-03-11',
      trainer_id: a.userIds.service,
    });
    expect((await ops('GET', url)).body.orphan_products).toEqual([]);

    const future = await ops('POST', `/api/v1/engagements/${engagement}/debriefs`, {
      held_on: '2999-01-01',
      attendees: ['Olive'],
    });
    expect(future.status).toBe(400);
    const debrief = await ops('POST', `/api/v1/engagements/${engagement}/debriefs`, {
      held_on: '2026-01-05',
      attendees: ['Olive Ops', 'Sid Service'],
      notes: 'Two readers were swapped late; the as-built shows it.',
    });
    expect(debrief.status, JSON.stringify(debrief.body)).toBe(201);
    const lead = await ops('PUT', `/api/v1/engagements/${engagement}/service-lead`, {
      user_id: a.userIds.service,
    });
    expect(lead.status).toBe(200);
    expect(lead.body.service_lead).toMatchObject({ name: 'Sid Service' });
    expect(lead.body.ready).toBe(true);

    expect((await call(app, a.viewer)('POST', url)).status).toBe(403);
    expect((await call(app, b.admin)('POST', url)).status).toBe(404);
    const closed = await ops('POST', url);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.closed_out_at).toBeTruthy();
    expect((await ops('POST', url)).status).toBe(409);
    const audit = (await sealedAuditOf(store, engagement)).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['service_lead.introduced', 'engagement.closed_out']));
  });

  it("names the security integrator's items unmet, then met by an as-built file and the client's sign-off", async () => {
    const { engagement } = await engagementWithHandoff(
      'security-integrator',
      'sales-to-operations',
      EXAMPLE_PACKETS['security-integrator']?.['sales-to-operations'] ?? {},
    );
    const ops = call(app, a.operations);
    const status = async () => {
      const answer = await ops('GET', `/api/v1/engagements/${engagement}/closeout`);
      expect(answer.status).toBe(200);
      return Object.fromEntries(answer.body.items.map((i: Json) => [i.key, i])) as Record<string, Json>;
    };
    const before = await status();
    expect(Object.keys(before)).toEqual([
      'no_open_punch_items',
      'as_built_drawings',
      'operators_trained',
      'service_lead_introduced',
      'internal_debrief_held',
      'client_signed_off',
    ]);
    expect(before.no_open_punch_items!.met).toBe(true);
    expect(before.as_built_drawings).toMatchObject({ met: false, why: expect.stringContaining('as-built') });
    expect(before.client_signed_off).toMatchObject({ met: false, why: 'The client has not signed off yet.' });
    expect(before.operators_trained!.why).toContain('inventory is empty');

    // An as-built drawing among the engagement's files meets its item; a photo would not.
    const upload = (name: string, tag: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/engagements/${engagement}/files?name=${encodeURIComponent(name)}&tag=${tag}`,
        headers: { authorization: `Bearer ${a.operations}`, 'content-type': 'application/pdf' },
        payload: Buffer.from(`%PDF-1.7\n% ${name}\n%%EOF\n`),
      });
    expect((await upload('Site photo', 'photo')).statusCode).toBe(201);
    expect((await status()).as_built_drawings!.met).toBe(false);
    expect((await upload('As-built floor 1', 'as_built')).statusCode).toBe(201);
    expect((await status()).as_built_drawings).toMatchObject({
      met: true,
      why: '1 file is tagged as-built.',
    });

    // The client signs off through a portal link: the item names them.
    const contact = await call(app, a.sales)('POST', '/api/v1/contacts', {
      account_id: accountId,
      name: 'Rosa Client',
      email: `rosa.${engagement.slice(-6)}@client.test`,
      role: 'sponsor',
    });
    const made = await ops('POST', `/api/v1/engagements/${engagement}/portal-links`, {
      contact_id: contact.body.id,
      purpose: 'signoff',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const token = (made.body.url as string).split('/p/')[1]!;
    const page = await app.inject({ method: 'GET', url: `/api/v1/portal/${token}` });
    const signed = await app.inject({
      method: 'POST',
      url: `/api/v1/portal/${token}/signoff`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Rosa Client', package_sha256: page.json().package.sha256 }),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect((await status()).client_signed_off).toMatchObject({
      met: true,
      why: 'Rosa Client signed off for the client.',
    });
  });

  it('an engagement with no handoff has no checklist, and its warranty no reminder', async () => {
    const engagement = (
      await call(app, a.sales)('POST', '/api/v1/engagements', { account_id: accountId, name: 'Bare' })
    ).body.id;
    const status = await call(app, a.viewer)('GET', `/api/v1/engagements/${engagement}/closeout`);
    expect(status.body).toMatchObject({ playbook: null, items: [], ready: true });
    const w = await call(app, a.service)('POST', `/api/v1/engagements/${engagement}/warranties`, {
      kind: 'warranty',
      provider: 'Axis',
      expires_on: '2029-03-01',
    });
    expect(w.status).toBe(201);
    const count = await store.db
      .selectFrom('checkpoints')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('engagement_id', '=', engagement)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
