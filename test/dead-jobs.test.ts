import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { sendWebhookJob } from '../src/notifications/send-webhook-job.js';
import { createWebhookSender } from '../src/notifications/webhook-sender.js';
import { SchedulerWorker } from '../src/scheduler/worker.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { loopbackAllowed, startWebhookReceiver } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('dead letters through the API, on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let a: TestOrg;
  let b: TestOrg;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    a = await seedOrg(deps, 'Dead A');
    b = await seedOrg(deps, 'Dead B');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  /** A chat message of the organisation, posted by a worker allowed to reach this machine. */
  const message = async (org: TestOrg, key: string, url: string) => {
    const now = clock.now();
    await sendWebhookJob.enqueue(
      store.db,
      { dedupeKey: key, orgId: org.id, payload: { url, body: { text: key } }, availableAt: now },
      now,
    );
  };
  const worker = (maxAttempts: number) =>
    new SchedulerWorker(
      deps,
      [sendWebhookJob.runWith({ webhooks: createWebhookSender({ destinations: loopbackAllowed }) })],
      { maxAttempts },
    );
  /** Runs the worker until nothing is due, moving the clock to each retry. */
  const runOut = async (w: SchedulerWorker) => {
    for (let i = 0; i < 10; i += 1) {
      await w.tick();
      const next = await store.db
        .selectFrom('scheduled_jobs')
        .select('available_at')
        .where('status', '=', 'pending')
        .orderBy('available_at')
        .executeTakeFirst();
      if (!next) return;
      clock.set(next.available_at);
    }
  };
  const rowOf = (key: string) =>
    store.db.selectFrom('scheduled_jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirstOrThrow();

  it('lists the jobs that failed every attempt with their last error, and a retry delivers one once the service is back', async () => {
    const hook = await startWebhookReceiver({ statuses: [500, 500, 500] });
    try {
      await message(a, 'chat-down', hook.url);
      await runOut(worker(3));
      const list = await call(app, a.admin)('GET', '/api/v1/dead-jobs');
      expect(list.status).toBe(200);
      const dead = (list.body.items as Json[]).find((j) => j.dedupe_key === 'chat-down');
      expect(dead).toMatchObject({
        kind: 'send_webhook',
        version: 1,
        status: 'dead',
        attempts: 3,
        last_error: '127.0.0.1 answered 500 Internal Server Error',
        failed_at: clock.now().toISOString(),
      });
      expect(dead).not.toHaveProperty('payload');
      expect(hook.posts).toEqual([]);

      const retried = await call(app, a.admin)('POST', `/api/v1/dead-jobs/${dead.id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ id: dead.id, status: 'pending', attempts: 0, failed_at: null });
      await runOut(worker(3));
      expect(await rowOf('chat-down')).toMatchObject({ status: 'done', attempts: 1, last_error: null });
      expect(hook.posts.map((p) => p.idempotencyKey)).toEqual([dead.id]);
      const after = await call(app, a.admin)('GET', '/api/v1/dead-jobs');
      expect((after.body.items as Json[]).map((j) => j.id)).not.toContain(dead.id);

      const audit = await call(app, a.admin)('GET', '/api/v1/audit?limit=1000');
      const entry = (audit.body.items as Json[]).find((e) => e.action === 'job.retried');
      expect(entry).toMatchObject({
        actor: { type: 'user', id: a.userIds.admin },
        entity: { type: 'job', id: dead.id },
        before: { status: 'dead', kind: 'send_webhook', attempts: 3 },
        after: { status: 'pending' },
      });
    } finally {
      await hook.close();
      await store.db.deleteFrom('scheduled_jobs').execute();
    }
  });

  it("shows only the caller's organisation, newest first, by kind and page", async () => {
    // Nothing listens on port 9: every attempt fails.
    for (const key of ['a-1', 'a-2', 'a-3']) await message(a, key, 'http://127.0.0.1:9/hook');
    await message(b, 'b-1', 'http://127.0.0.1:9/hook');
    await runOut(worker(1));
    const admin = call(app, a.admin);
    const all = (await admin('GET', '/api/v1/dead-jobs')).body.items as Json[];
    expect(all.map((j) => j.dedupe_key)).toEqual(['a-3', 'a-2', 'a-1']);
    const page = (await admin('GET', '/api/v1/dead-jobs?limit=2')).body.items as Json[];
    expect(page.map((j) => j.dedupe_key)).toEqual(['a-3', 'a-2']);
    const rest = (await admin('GET', `/api/v1/dead-jobs?limit=2&before=${page[1].id}`)).body.items as Json[];
    expect(rest.map((j) => j.dedupe_key)).toEqual(['a-1']);
    expect((await admin('GET', '/api/v1/dead-jobs?kind=send_email')).body.items).toEqual([]);
    const theirs = (await call(app, b.admin)('GET', '/api/v1/dead-jobs')).body.items as Json[];
    expect(theirs.map((j) => j.dedupe_key)).toEqual(['b-1']);

    // Another organisation's job is not there to retry; nor is one that is not dead.
    expect((await admin('POST', `/api/v1/dead-jobs/${theirs[0].id}/retry`)).status).toBe(404);
    expect((await admin('POST', '/api/v1/dead-jobs/not-an-id/retry')).status).toBe(404);
    expect((await admin('POST', `/api/v1/dead-jobs/${all[0].id}/retry`)).status).toBe(200);
    const again = await admin('POST', `/api/v1/dead-jobs/${all[0].id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('The job is pending, not dead: only a dead-lettered job can be retried.');
    expect((await call(app, a.operations)('GET', '/api/v1/dead-jobs')).body.detail).toBe(
      'The operations role may not list dead jobs.',
    );
    await store.db.deleteFrom('scheduled_jobs').execute();
  });
});
