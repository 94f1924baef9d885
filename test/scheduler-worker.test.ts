import { CompiledQuery } from 'kysely';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import { sendWebhookJob } from '../src/notifications/send-webhook-job.js';
import { createWebhookSender } from '../src/notifications/webhook-sender.js';
import { dueJobs } from '../src/scheduler/claim-jobs.js';
import { defineJob } from '../src/scheduler/define-job.js';
import { jobRow } from '../src/scheduler/job-queue.js';
import { retryDelayMs, SchedulerWorker } from '../src/scheduler/worker.js';
import { appDeps } from '../src/server/app-deps.js';
import { loopbackAllowed, startWebhookReceiver } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('the scheduler worker on %s', (dialect) => {
  let deps: Deps;
  let clock: ManualClock;
  let close: () => Promise<void>;
  const handlers = [
    sendWebhookJob.runWith({
      webhooks: createWebhookSender({ destinations: loopbackAllowed, timeoutMs: 2000 }),
    }),
  ];

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    clock = new ManualClock('2026-03-06T12:00:00.000Z');
    deps = appDeps({ store, clock });
    close = () => store.close();
  });
  afterAll(async () => close());

  const job = (key: string, url: string, at: Date) => ({
    dedupeKey: key,
    orgId: null,
    payload: { url, body: { text: key } },
    availableAt: at,
  });
  const row = (key: string) =>
    deps.store.db
      .selectFrom('scheduled_jobs')
      .selectAll()
      .where('dedupe_key', '=', key)
      .executeTakeFirstOrThrow();

  it('enqueues an event once, however often it is announced', async () => {
    const now = clock.now();
    await sendWebhookJob.enqueue(deps.store.db, job('once', 'http://127.0.0.1:9/x', now), now);
    await sendWebhookJob.enqueue(deps.store.db, job('once', 'http://127.0.0.1:9/y', now), now);
    const rows = await deps.store.db
      .selectFrom('scheduled_jobs')
      .selectAll()
      .where('dedupe_key', '=', 'once')
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload).url).toBe('http://127.0.0.1:9/x');
    await deps.store.db.deleteFrom('scheduled_jobs').execute();
  });

  it('takes only due jobs, and after a restart runs at once everything that came due while down', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const now = clock.now();
      for (let i = 0; i < 5; i += 1) {
        await sendWebhookJob.enqueue(
          deps.store.db,
          job(`missed-${i}`, receiver.url, new Date(now.getTime() - (i + 1) * 3_600_000)),
          now,
        );
      }
      await sendWebhookJob.setTimer(
        deps.store.db,
        job('future', receiver.url, new Date(now.getTime() + 60_000)),
        now,
      );
      const restarted = new SchedulerWorker(deps, handlers);
      expect(await restarted.tick()).toBe(5);
      expect(receiver.posts.map((p) => (p.body as { text: string }).text).sort()).toEqual([
        'missed-0',
        'missed-1',
        'missed-2',
        'missed-3',
        'missed-4',
      ]);
      expect(await restarted.tick()).toBe(0);
      clock.advance(60_000);
      expect(await restarted.tick()).toBe(1);
      expect((await row('future')).status).toBe('done');
    } finally {
      await receiver.close();
      await deps.store.db.deleteFrom('scheduled_jobs').execute();
    }
  });

  it('retries a failed send with growing backoff and dead-letters it after the last attempt', async () => {
    const worker = new SchedulerWorker(deps, handlers, { maxAttempts: 3 });
    const now = clock.now();
    // Nothing listens on port 9: every attempt fails.
    await sendWebhookJob.enqueue(deps.store.db, job('failing', 'http://127.0.0.1:9/hook', now), now);
    expect(await worker.tick()).toBe(1);
    let r = await row('failing');
    expect(r).toMatchObject({ status: 'pending', attempts: 1 });
    expect(r.last_error).toBeTruthy();
    const wait1 = Date.parse(r.available_at) - clock.now().getTime();
    expect(wait1).toBeGreaterThanOrEqual(retryDelayMs(1, 0));
    expect(wait1).toBeLessThanOrEqual(retryDelayMs(1, 1));
    expect(await worker.tick()).toBe(0); // not yet due again
    clock.set(r.available_at);
    expect(await worker.tick()).toBe(1);
    r = await row('failing');
    const wait2 = Date.parse(r.available_at) - clock.now().getTime();
    expect(wait2).toBeGreaterThanOrEqual(retryDelayMs(2, 0));
    clock.set(r.available_at);
    expect(await worker.tick()).toBe(1);
    expect(await row('failing')).toMatchObject({ status: 'dead', attempts: 3 });
    clock.advance(24 * 3_600_000);
    expect(await worker.tick()).toBe(0);
    await deps.store.db.deleteFrom('scheduled_jobs').execute();
  });

  /** A row as something other than a definition's producer might have left it: any kind, version and text. */
  const insertRaw = async (key: string, kind: string, version: number, payloadJson: string) => {
    const now = clock.now();
    const row = jobRow({ kind, version, dedupeKey: key, orgId: null, payload: null, availableAt: now }, now);
    await deps.store.db
      .insertInto('scheduled_jobs')
      .values({ ...row, payload: payloadJson })
      .execute();
  };

  it('dead-letters a payload that does not fit its schema with every problem, and runs the rest of the batch', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const now = clock.now();
      await insertRaw('a-misfit', 'send_webhook', 1, JSON.stringify({ url: 5, body: {} }));
      await insertRaw('b-not-json', 'send_webhook', 1, '{"url": "http://');
      await sendWebhookJob.enqueue(deps.store.db, job('c-fine', receiver.url, now), now);
      const errors: unknown[] = [];
      // One lane: the bad jobs come first in the batch, and the good one still runs after them.
      const worker = new SchedulerWorker(deps, handlers, { concurrency: 1, onError: (e) => errors.push(e) });
      expect(await worker.tick()).toBe(3);
      const misfit = await row('a-misfit');
      expect(misfit).toMatchObject({ status: 'dead', attempts: 1 });
      expect(misfit.finished_at).toBe(clock.now().toISOString());
      expect(misfit.last_error).toContain('The payload of send_webhook (version 1) does not fit its schema');
      expect(misfit.last_error).toContain('/url must be string');
      expect(misfit.last_error).toContain("/body must have required property 'text'");
      expect(await row('b-not-json')).toMatchObject({ status: 'dead', attempts: 1 });
      expect((await row('b-not-json')).last_error).toMatch(/^The payload of send_webhook is not JSON/);
      expect(await row('c-fine')).toMatchObject({ status: 'done' });
      expect(receiver.posts.map((p) => (p.body as { text: string }).text)).toEqual(['c-fine']);
      expect(errors).toHaveLength(2);
      // Dead letters stay dead: nothing claims them again.
      clock.advance(24 * 3_600_000);
      expect(await worker.tick()).toBe(0);
    } finally {
      await receiver.close();
      await deps.store.db.deleteFrom('scheduled_jobs').execute();
    }
  });

  it('upgrades a payload written by an older version, dead-letters one it cannot upgrade, retries a newer one', async () => {
    const seen: unknown[] = [];
    // Version 1 wrote `{ id }`; version 2 writes `{ handoffId, revision }`.
    const ping = defineJob({
      kind: 'test_ping',
      version: 2,
      schema: Type.Object({ handoffId: Type.String(), revision: Type.Integer() }),
      upgrade: { 1: (old: { id: string }) => ({ handoffId: old.id, revision: 1 }) },
      handle: {
        async commit(_trx, job) {
          seen.push(job.payload);
        },
      },
    });
    // Version 3 dropped the upgrade from version 1.
    const pong = defineJob({
      kind: 'test_pong',
      version: 3,
      schema: Type.Object({ handoffId: Type.String() }),
      upgrade: { 2: (old: { id: string }) => ({ handoffId: old.id }) },
      handle: {},
    });
    await insertRaw('old-ping', 'test_ping', 1, '{"id":"h1"}');
    await insertRaw('old-pong', 'test_pong', 1, '{"id":"h2"}');
    await insertRaw('new-ping', 'test_ping', 3, '{"handoffId":"h3","revision":1,"priority":"high"}');
    const worker = new SchedulerWorker(deps, [ping.runWith(), pong.runWith()]);
    expect(await worker.tick()).toBe(3);
    expect(seen).toEqual([{ handoffId: 'h1', revision: 1 }]);
    expect(await row('old-ping')).toMatchObject({ status: 'done' });
    expect(await row('old-pong')).toMatchObject({
      status: 'dead',
      last_error:
        'Written by version 1 of test_pong, which version 3 cannot read: there is no upgrade from version 1',
    });
    // A newer process may be rolling out: the job is retried with backoff, dead only after the last attempt.
    const newer = await row('new-ping');
    expect(newer).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error:
        'Written by version 3 of test_ping; this process runs version 2, so a newer process must run it',
    });
    expect(Date.parse(newer.available_at)).toBeGreaterThan(clock.now().getTime());
    await deps.store.db.deleteFrom('scheduled_jobs').execute();
  });

  it('moves a timer written by an older version to the version that moves it', async () => {
    const now = clock.now();
    await insertRaw('moved', 'send_webhook', 0, '{}');
    await sendWebhookJob.setTimer(deps.store.db, job('moved', 'http://127.0.0.1:9/x', now), now);
    expect(await row('moved')).toMatchObject({
      version: 1,
      payload: JSON.stringify(job('moved', 'http://127.0.0.1:9/x', now).payload),
    });
    await deps.store.db.deleteFrom('scheduled_jobs').execute();
  });

  it('leaves rows of kinds it does not run to a process that runs them', async () => {
    await insertRaw('elsewhere', 'send_fax', 1, 'not even JSON');
    expect(await new SchedulerWorker(deps, handlers).tick()).toBe(0);
    expect(await row('elsewhere')).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    await deps.store.db.deleteFrom('scheduled_jobs').execute();
  });

  it('refuses two definitions of one kind', () => {
    expect(() => new SchedulerWorker(deps, [...handlers, ...handlers])).toThrow(
      'Two definitions of the job kind send_webhook',
    );
  });

  it('lets another worker take over a job whose lease ran out; the first one cannot finish it', async () => {
    const receiver = await startWebhookReceiver({ delayMs: 300 });
    try {
      const now = clock.now();
      await sendWebhookJob.enqueue(deps.store.db, job('slow', receiver.url, now), now);
      const a = new SchedulerWorker(deps, handlers, { owner: 'a', leaseMs: 1000 });
      const b = new SchedulerWorker(deps, handlers, { owner: 'b', leaseMs: 1000 });
      const first = a.tick(); // claims, then waits on the slow receiver
      await new Promise((r) => setTimeout(r, 100));
      expect(await b.tick()).toBe(0); // a still holds the lease
      clock.advance(1001);
      expect(await b.tick()).toBe(1); // the lease ran out: b takes it and finishes it
      expect(await first).toBe(1);
      expect(await row('slow')).toMatchObject({ status: 'done', lease_owner: 'b', attempts: 2 });
    } finally {
      await receiver.close();
      await deps.store.db.deleteFrom('scheduled_jobs').execute();
    }
  });
});

describe('the claim query', () => {
  it('reads the due rows through the index, not the table (SQLite query plan)', async () => {
    const store = await openTestStore('sqlite');
    try {
      const compiled = dueJobs(store, {
        now: new Date(),
        limit: 100,
        kinds: ['send_email', 'checkpoint_due'],
      }).compile();
      const explained = await store.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]),
      );
      const plan = explained.rows.map((row) => row.detail).join('\n');
      expect(plan).toMatch(
        /SEARCH scheduled_jobs USING (COVERING )?INDEX scheduled_jobs_due \(status=\? AND kind=\? AND available_at<\?\)/,
      );
      expect(plan).not.toMatch(/SCAN scheduled_jobs/);
    } finally {
      await store.close();
    }
  });
});
