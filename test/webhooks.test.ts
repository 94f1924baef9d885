import { Webhook } from 'standardwebhooks';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadSchema } from '../src/integrations/domain/webhook-payload.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import type { SchedulerWorker } from '../src/scheduler/worker.js';
import { buildScheduler } from '../src/server/build-scheduler.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { loopbackAllowed } from './support/receivers.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';
import { startVerifyingReceiver, type VerifyingReceiver } from './support/webhook-receiver.js';

const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;

// Issue 14, outbound webhooks: real events of a real server, sent by the real outbox to a real
// receiver on this machine that verifies them with the `standardwebhooks` package.
describe.each(DIALECTS)('outbound webhooks on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let worker: SchedulerWorker;
  let org: TestOrg;
  let accountId: string;
  const receivers: VerifyingReceiver[] = [];
  /** Every secret the tests were shown: none may appear anywhere else. */
  const secrets: string[] = [];

  beforeAll(async () => {
    store = await openTestStore(dialect);
    // The clock starts at the real time: the receiver's verifier checks timestamps against it.
    ({ app, deps, clock } = await testApp(store, new ManualClock(new Date()), {
      destinations: loopbackAllowed,
    }));
    worker = buildScheduler(deps, {});
    org = await seedOrg(deps, 'Webhook Works');
    accountId = (await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' })).body
      .id;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    for (const r of receivers) await r.close();
  });

  const admin = () => call(app, org.admin);
  const receiver = async (options: Parameters<typeof startVerifyingReceiver>[0] = {}) => {
    const r = await startVerifyingReceiver(options);
    receivers.push(r);
    return r;
  };
  /** A receiver with an endpoint of its own, wanting `eventTypes`. */
  const endpointFor = async (r: VerifyingReceiver, eventTypes: string[] = ['*']) => {
    const res = await admin()('POST', '/api/v1/webhook-endpoints', {
      url: r.url,
      event_types: eventTypes,
      description: 'Test receiver',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    r.state.secret = res.body.secret;
    secrets.push(res.body.secret);
    return res.body.endpoint as Json;
  };
  const drain = async () => {
    for (let i = 0; i < 50 && (await worker.tick()) > 0; i += 1) {}
  };
  const deliveries = async (endpointId: string) => {
    const res = await admin()('GET', `/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items as Json[];
  };
  /** A submitted handoff on an engagement of its own (a real `handoff.submitted`). */
  const submitted = async () => {
    const sales = call(app, org.sales);
    const engagement = await sales('POST', '/api/v1/engagements', { account_id: accountId, name: 'Close' });
    const created = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await sales('POST', `/api/v1/handoffs/${created.body.id}/submit`)).status).toBe(200);
    return created.body.id as string;
  };
  /** Disables an endpoint, so the next tests' events do not go to it. */
  const disable = async (endpointId: string) =>
    expect(
      (await admin()('PATCH', `/api/v1/webhook-endpoints/${endpointId}`, { enabled: false })).status,
    ).toBe(200);

  it('sends real state only, signed so that standardwebhooks verifies it', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r);
    expect(r.state.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(r.state.secret.slice(6), 'base64')).toHaveLength(32);
    // A draft is not real state: nothing leaves while the handoff is one.
    const sales = call(app, org.sales);
    const engagement = await sales('POST', '/api/v1/engagements', { account_id: accountId, name: 'Draft' });
    const draft = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet,
    });
    await sales('PATCH', `/api/v1/handoffs/${draft.body.id}`, { packet: { goal: { success_metric: 'x' } } });
    await drain();
    expect(r.received).toEqual([]);

    const id = await submitted();
    expect((await call(app, org.operations)('POST', `/api/v1/handoffs/${id}/accept`, {})).status).toBe(200);
    await drain();
    expect(r.received.length).toBeGreaterThanOrEqual(2);
    expect(r.received.filter((m) => m.refused)).toEqual([]);
    const bodies = r.received.map((m) => JSON.parse(m.body) as Json);
    for (const body of bodies)
      expect(Value.Check(WebhookPayloadSchema, body), JSON.stringify(body)).toBe(true);
    const types = bodies.map((b) => b.type);
    expect(types).toContain('handoff.submitted');
    expect(types).toContain('handoff.accepted');
    expect(types).not.toContain('handoff.created');
    expect(types).not.toContain('handoff.packet_edited');
    const accepted = bodies.find((b) => b.type === 'handoff.accepted');
    expect(accepted.data.handoff).toMatchObject({ id, state: 'accepted', playbook: 'professional-services' });
    // Never the packet: the payload has no field of it.
    expect(JSON.stringify(bodies)).not.toContain(String(packet.goal?.client_goal));
    // Every message its own id; the log has each, delivered at the first attempt.
    expect(new Set(r.received.map((m) => m.id)).size).toBe(r.received.length);
    const log = await deliveries(endpoint.id);
    expect(log.map((d) => d.state)).toEqual(log.map(() => 'delivered'));
    expect(log.map((d) => d.attempt_log.length)).toEqual(log.map(() => 1));
    expect(log[0].attempt_log[0]).toMatchObject({ status: 200, response_excerpt: 'ok', error: null });
    await disable(endpoint.id);
  });

  it('is refused by standardwebhooks when the body is tampered with or the timestamp is stale', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['handoff.submitted']);
    await submitted();
    await drain();
    const [message] = r.received;
    expect(message?.refused).toBeNull();
    const verifier = new Webhook(r.state.secret);
    const headers = {
      'webhook-id': message!.id,
      'webhook-timestamp': message!.timestamp,
      'webhook-signature': message!.signature,
    };
    expect(() => verifier.verify(message!.body, headers)).not.toThrow();
    const tampered = message!.body.replace('"submitted"', '"accepted"');
    expect(tampered).not.toBe(message!.body);
    expect(() => verifier.verify(tampered, headers)).toThrow(/signature/i);
    // Another moment under the same signature does not verify either.
    const moved = { ...headers, 'webhook-timestamp': String(Number(message!.timestamp) - 1) };
    expect(() => verifier.verify(message!.body, moved)).toThrow(/signature/i);

    // A message Baton signs at a stale time (its clock 10 minutes behind) is refused as too old.
    clock.advance(-600_000);
    await submitted();
    await drain();
    clock.advance(600_000);
    const stale = r.received.at(-1)!;
    expect(stale.refused).toMatch(/too old/i);
    expect(Number(stale.timestamp)).toBeLessThan(Date.now() / 1000 - 500);
    await disable(endpoint.id);
  });

  it('retries a failing receiver with backoff until it recovers, with the same webhook-id', async () => {
    const r = await receiver({
      answers: [{ status: 500 }, { status: 502, body: `x${'é'.repeat(3000)}` }, { status: 503 }],
    });
    const endpoint = await endpointFor(r, ['handoff.submitted']);
    const started = clock.now().getTime();
    await submitted();
    await drain();
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [d] = await deliveries(endpoint.id);
      expect(d.state).toBe('pending');
      const next = Date.parse(d.next_attempt_at);
      waits.push(next - clock.now().getTime());
      // Not before it is due…
      clock.set(new Date(next - 1));
      await drain();
      expect(r.received).toHaveLength(i + 1);
      // …and at once when it is.
      clock.set(new Date(next));
      await drain();
      expect(r.received).toHaveLength(i + 2);
    }
    const [d] = await deliveries(endpoint.id);
    expect(d.state).toBe('delivered');
    expect(d.attempt_log.map((a: Json) => a.status)).toEqual([500, 502, 503, 200]);
    expect(d.attempt_log[0].error).toMatch(/500/);
    expect(d.attempt_log[0].response_excerpt).toBe('no: 500');
    // At most 2 KB of an answer is kept (6,001 bytes were sent), in whole characters.
    expect(d.attempt_log[1].response_excerpt).toBe(`x${'é'.repeat(1023)}`);
    // One id on every attempt, verified each time; within the schedule's first three windows.
    expect(new Set(r.received.map((m) => m.id))).toEqual(new Set([d.message_id]));
    expect(r.received.map((m) => m.refused)).toEqual([null, null, null, null]);
    expect(clock.now().getTime() - started).toBeLessThanOrEqual(5_000 + 30_000 + 120_000);
    expect(waits.every((w) => w >= 0)).toBe(true);
    await disable(endpoint.id);
  });

  it('honours Retry-After on 429', async () => {
    const r = await receiver({ answers: [{ status: 429, headers: { 'retry-after': '120' } }] });
    const endpoint = await endpointFor(r, ['handoff.submitted']);
    await submitted();
    await drain();
    const [first] = await deliveries(endpoint.id);
    const attemptedAt = Date.parse(first.attempt_log[0].attempted_at);
    expect(Date.parse(first.next_attempt_at) - attemptedAt).toBeGreaterThanOrEqual(120_000);
    clock.set(new Date(attemptedAt + 119_000));
    await drain();
    expect(r.received).toHaveLength(1);
    clock.set(new Date(first.next_attempt_at));
    await drain();
    expect(r.accepted()).toHaveLength(1);
    expect(r.received[1]!.id).toBe(r.received[0]!.id);
    expect((await deliveries(endpoint.id))[0].state).toBe('delivered');
    await disable(endpoint.id);
  });

  it('disables the endpoint on 410, saying why, and sends it nothing more', async () => {
    const r = await receiver({ answers: [{ status: 410 }] });
    const endpoint = await endpointFor(r, ['handoff.submitted']);
    await submitted();
    await drain();
    const after = (await admin()('GET', `/api/v1/webhook-endpoints/${endpoint.id}`)).body;
    expect(after.enabled).toBe(false);
    expect(after.disabled_reason).toMatch(/410/);
    const [d] = await deliveries(endpoint.id);
    expect(d).toMatchObject({ state: 'dead', last_status: 410 });
    await submitted();
    await drain();
    expect(r.received).toHaveLength(1);
    expect(await deliveries(endpoint.id)).toHaveLength(1);
    // A replay waits until it is enabled again.
    const refused = await admin()(
      'POST',
      `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${d.id}/replay`,
    );
    expect(refused.status).toBe(409);
  });

  it('dead-letters after the last retry, about a day on; a replay sends it again with the same id', async () => {
    const r = await receiver();
    r.state.down = true;
    const endpoint = await endpointFor(r, ['handoff.submitted']);
    const start = clock.now();
    await submitted();
    await drain();
    for (let i = 0; i < 12; i += 1) {
      const [d] = await deliveries(endpoint.id);
      if (d.state !== 'pending') break;
      clock.set(d.next_attempt_at);
      await drain();
    }
    const [dead] = await deliveries(endpoint.id);
    expect(dead.state).toBe('dead');
    expect(dead.attempt_log).toHaveLength(11);
    const span = clock.now().getTime() - start.getTime();
    expect(span).toBeGreaterThan(13 * 3_600_000);
    expect(span).toBeLessThan(24 * 3_600_000);
    // The receiver is back: the replay is sent now, and is the same message.
    r.state.down = false;
    clock.set(new Date());
    const replay = await admin()(
      'POST',
      `/api/v1/webhook-endpoints/${endpoint.id}/deliveries/${dead.id}/replay`,
    );
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ state: 'pending', message_id: dead.message_id });
    await drain();
    expect(r.accepted().map((m) => m.id)).toEqual([dead.message_id]);
    expect(r.accepted()[0]!.refused).toBeNull();
    const [again] = await deliveries(endpoint.id);
    expect(again).toMatchObject({ state: 'delivered', attempts: 12 });
    await disable(endpoint.id);
  });

  it('signs with both secrets for a day after a rotation', async () => {
    const r = await receiver();
    const endpoint = await endpointFor(r, ['handoff.submitted']);
    const old = r.state.secret;
    const rotated = await admin()('POST', `/api/v1/webhook-endpoints/${endpoint.id}/secrets`);
    expect(rotated.status).toBe(201);
    secrets.push(rotated.body.secret);
    expect(rotated.body.secret).not.toBe(old);
    expect(Date.parse(rotated.body.endpoint.previous_secret_expires_at) - clock.now().getTime()).toBe(
      86_400_000,
    );
    await submitted();
    await drain();
    const message = r.received.at(-1)!;
    expect(message.signature.split(' ')).toHaveLength(2);
    // A receiver still on the old secret verifies it, and one on the new secret too.
    expect(message.refused).toBeNull();
    const headers = {
      'webhook-id': message.id,
      'webhook-timestamp': message.timestamp,
      'webhook-signature': message.signature,
    };
    expect(() => new Webhook(rotated.body.secret).verify(message.body, headers)).not.toThrow();
    // A day later the old one no longer signs.
    clock.advance(86_400_001);
    const test = await admin()('POST', `/api/v1/webhook-endpoints/${endpoint.id}/test`);
    expect(test.status).toBe(202);
    await drain();
    expect(r.received.at(-1)!.signature.split(' ')).toHaveLength(1);
    expect(JSON.parse(r.received.at(-1)!.body).type).toBe('ping');
    clock.set(new Date());
    await disable(endpoint.id);
  });

  it('gives 1,000 events 1,000 ids, each accepted once, retries aside', async () => {
    // Every seventh request is refused (503): those events are retried under their own id.
    const r = await receiver({
      answers: Array.from({ length: 1000 }, (_, i) => ({ status: i % 7 === 6 ? 503 : 200 })),
    });
    const endpoint = await endpointFor(r, ['handoff.question_asked']);
    // 1,000 real events: questions asked by the receiving team on a submitted handoff.
    const id = await submitted();
    const ops = call(app, org.operations);
    for (let i = 0; i < 1000; i += 1) {
      const res = await ops('POST', `/api/v1/handoffs/${id}/questions`, { body: `Question ${i}?` });
      expect(res.status).toBe(201);
      if (i % 100 === 99) await drain();
    }
    await drain();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(40_000);
      await drain();
    }
    const ids = r.accepted().map((m) => m.id);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toHaveLength(1000);
    // Every id received more than once was a retry of a refused attempt.
    const seen = new Map<string, number>();
    for (const m of r.received) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
    const retried = [...seen.values()].filter((count) => count > 1).length;
    expect(r.received.length - 1000).toBe(retried);
    expect(r.received.filter((m) => m.refused)).toHaveLength(0);
    const bodies = r.accepted().map((m) => JSON.parse(m.body) as Json);
    expect(new Set(bodies.map((b) => b.type))).toEqual(new Set(['handoff.question_asked']));
    expect(new Set(bodies.map((b) => b.data.question.body)).size).toBe(1000);
    clock.set(new Date());
    await disable(endpoint.id);
  });

  it('refuses destinations inside the network unless the operator allows them', async () => {
    const closed = await testApp(store, new ManualClock(), {});
    try {
      const res = await call(closed.app, org.admin)('POST', '/api/v1/webhook-endpoints', {
        url: 'http://127.0.0.1:9/hook',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          path: '/url',
          message: expect.stringMatching(/loopback.*BATON_OUTBOUND_ALLOW/),
        }),
      ]);
      const link = await call(closed.app, org.admin)('POST', '/api/v1/webhook-endpoints', {
        url: 'http://169.254.169.254/latest',
      });
      expect(link.status).toBe(400);
    } finally {
      await closed.app.close();
    }
    const bad = await admin()('POST', '/api/v1/webhook-endpoints', {
      url: 'ftp://example.com/x',
      event_types: ['handoff.submitted', 'handoff.created', 'nope', 'handoff.submitted'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual([
      '/url',
      '/event_types/1',
      '/event_types/2',
      '/event_types/3',
    ]);
  });

  it('keeps every secret out of listings, answers, jobs and the audit log', async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const admin1 = admin();
    const listing = await admin1('GET', '/api/v1/webhook-endpoints');
    const viewer = await call(app, org.viewer)('GET', '/api/v1/webhook-endpoints');
    expect(viewer.status).toBe(200);
    const logs = await Promise.all(
      (listing.body.items as Json[]).map((e) =>
        admin1('GET', `/api/v1/webhook-endpoints/${e.id}/deliveries`),
      ),
    );
    const one = await admin1('GET', `/api/v1/webhook-endpoints/${listing.body.items[0].id}`);
    await sealAll(store);
    const audit = await store.db.selectFrom('audit_log').selectAll().where('org_id', '=', org.id).execute();
    const jobs = await store.db.selectFrom('scheduled_jobs').selectAll().execute();
    const stored = await store.db.selectFrom('webhook_secrets').selectAll().execute();
    const everything = JSON.stringify([
      listing.body,
      viewer.body,
      logs.map((l) => l.body),
      one.body,
      audit,
      jobs,
      stored,
    ]);
    for (const secret of secrets) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.slice(6));
    }
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'webhook_endpoint.created',
        'webhook_endpoint.secret_rotated',
        'webhook_delivery.replayed',
      ]),
    );
  });
});
