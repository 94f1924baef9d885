import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import { sendHandlers } from '../src/notifications/send-handlers.js';
import { createWebhookSender } from '../src/notifications/webhook-sender.js';
import { dueJobs } from '../src/scheduler/claim-jobs.js';
import { enqueueJob, setTimer } from '../src/scheduler/job-queue.js';
import { retryDelayMs, SchedulerWorker } from '../src/scheduler/worker.js';
import { appDeps } from '../src/server/app-deps.js';
import { loopbackAllowed, startWebhookReceiver } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('the scheduler worker on %s', (dialect) => {
  let deps: Deps;
  let clock: ManualClock;
  let close: () => Promise<void>;
  const handlers = sendHandlers({
    webhooks: createWebhookSender({ destinations: loopbackAllowed, timeoutMs: 2000 }),
  });

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    clock = new ManualClock('2026-03-06T12:00:00.000Z');
    deps = appDeps({ store, clock });
    close = () => store.close();
  });
  afterAll(async () => close());

  const job = (key: string, url: string, at: Date) => ({
    kind: 'send_webhook' as const,
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
    await enqueueJob(deps.store.db, job('once', 'http://127.0.0.1:9/x', now), now);
    await enqueueJob(deps.store.db, job('once', 'http://127.0.0.1:9/y', now), now);
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
        await enqueueJob(
          deps.store.db,
          job(`missed-${i}`, receiver.url, new Date(now.getTime() - (i + 1) * 3_600_000)),
          now,
        );
      }
      await setTimer(deps.store.db, job('future', receiver.url, new Date(now.getTime() + 60_000)), now);
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
    await enqueueJob(deps.store.db, job('failing', 'http://127.0.0.1:9/hook', now), now);
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

  it('lets another worker take over a job whose lease ran out; the first one cannot finish it', async () => {
    const receiver = await startWebhookReceiver({ delayMs: 300 });
    try {
      const now = clock.now();
      await enqueueJob(deps.store.db, job('slow', receiver.url, now), now);
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
