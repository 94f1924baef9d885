import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/kernel/db/dialect.js';
import { newId } from '../src/kernel/ids.js';
import { startWebhookReceiver } from './support/receivers.js';
import { openTestStore } from './support/stores.js';

/**
 * Several scheduler processes against one PostgreSQL: every due item is processed exactly once,
 * and a process killed mid-batch loses nothing. The exactly-once test always runs 10,000 items
 * (about 16 s on a quiet two-core machine); the kill test runs 1,000 in `npm test` and 10,000 with
 * `BATON_LARGE=1 npx vitest run test/scheduler-processes.test.ts`.
 */
const LARGE = process.env.BATON_LARGE === '1';
const ITEMS = 10_000;
const KILL_ITEMS = LARGE ? 10_000 : 1_000;
const SCRIPT = join(import.meta.dirname, 'support', 'scheduler-process.ts');

function startProcess(url: string, owner: string, leaseMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, url, owner, String(leaseMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', () => {});
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${owner} exited early with ${code}`)));
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function insertDueWebhooks(store: Store, n: number, url: string): Promise<string[]> {
  const ids: string[] = [];
  const past = new Date(Date.now() - 60_000).toISOString();
  for (let i = 0; i < n; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - i) }, (_, k) => {
      const id = newId();
      ids.push(id);
      return {
        id,
        org_id: null,
        kind: 'send_webhook',
        dedupe_key: `test:${id}`,
        payload: JSON.stringify({ url, body: { text: `item ${i + k}` } }),
        status: 'pending',
        available_at: past,
        attempts: 0,
        lease_owner: null,
        last_error: null,
        created_at: past,
        finished_at: null,
      };
    });
    await store.db.insertInto('scheduled_jobs').values(rows).execute();
  }
  return ids;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pendingCount = async (store: Store) =>
  Number(
    (
      await store.db
        .selectFrom('scheduled_jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '!=', 'done')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the scheduler in several processes on one PostgreSQL', () => {
  let store: Store & { url: string };
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    store = await openTestStore('postgres');
  });
  afterAll(async () => {
    await Promise.all(children.map(stopProcess));
    await store.close();
  });

  it(`processes each of ${ITEMS} due items exactly once with three processes`, async () => {
    const receiver = await startWebhookReceiver();
    try {
      const procs = await Promise.all(['p1', 'p2', 'p3'].map((o) => startProcess(store.url, o, 60_000)));
      children.push(...procs);
      const ids = await insertDueWebhooks(store, ITEMS, receiver.url);
      await waitUntil(async () => (await pendingCount(store)) === 0, 120_000);
      await Promise.all(procs.map(stopProcess));

      const seen = new Map<string, number>();
      for (const p of receiver.posts) seen.set(p.idempotencyKey!, (seen.get(p.idempotencyKey!) ?? 0) + 1);
      expect(receiver.posts).toHaveLength(ITEMS);
      expect(seen.size).toBe(ITEMS);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(ids.every((id) => seen.has(id))).toBe(true);
      const byOwner = await store.db
        .selectFrom('scheduled_jobs')
        .select(['lease_owner', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', '=', 'done')
        .groupBy('lease_owner')
        .execute();
      // All three took a share, and no item needed a second attempt.
      expect(byOwner.map((r) => r.lease_owner).sort()).toEqual(['p1', 'p2', 'p3']);
      const retried = await store.db
        .selectFrom('scheduled_jobs')
        .select('id')
        .where('attempts', '!=', 1)
        .execute();
      expect(retried).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  }, 150_000);

  it('loses nothing when a process is killed mid-batch: its leases expire and another finishes', async () => {
    await store.db.deleteFrom('scheduled_jobs').execute();
    // A slow receiver keeps every process busy with a batch in hand when the kill comes.
    const receiver = await startWebhookReceiver({ delayMs: 5 });
    try {
      const procs = await Promise.all(['k1', 'k2', 'k3'].map((o) => startProcess(store.url, o, 1500)));
      children.push(...procs);
      const ids = await insertDueWebhooks(store, KILL_ITEMS, receiver.url);
      await waitUntil(async () => receiver.posts.length >= KILL_ITEMS / 5, 60_000);
      const victim = procs[0]!;
      victim.kill('SIGKILL');
      await new Promise<void>((resolve) => victim.once('exit', () => resolve()));
      // What the killed process held when it died: leased to it and not finished. (Read after the
      // kill: items it finished between a read before the kill and its death stay its own.)
      const held = await store.db
        .selectFrom('scheduled_jobs')
        .select('id')
        .where('status', '=', 'pending')
        .where('lease_owner', '=', 'k1')
        .where('available_at', '>', new Date().toISOString())
        .execute();
      await waitUntil(async () => (await pendingCount(store)) === 0, 120_000);
      await Promise.all(procs.slice(1).map(stopProcess));

      const seen = new Map<string, number>();
      for (const p of receiver.posts) seen.set(p.idempotencyKey!, (seen.get(p.idempotencyKey!) ?? 0) + 1);
      // Nothing lost: every item arrived and is done.
      expect(ids.every((id) => seen.has(id))).toBe(true);
      expect(await pendingCount(store)).toBe(0);
      // The killed process held a batch: those items were taken over after the lease ran out.
      expect(held.length).toBeGreaterThan(0);
      const takenOver = await store.db
        .selectFrom('scheduled_jobs')
        .select(['id', 'lease_owner'])
        .where(
          'id',
          'in',
          held.map((h) => h.id),
        )
        .execute();
      expect(takenOver.every((r) => r.lease_owner !== 'k1')).toBe(true);
      // A duplicate is possible only for a send in flight at the kill (sent, not yet committed):
      // at most one per lane of the killed process, and only among the items it held.
      const duplicates = [...seen.entries()].filter(([, n]) => n > 1).map(([id]) => id);
      expect(duplicates.length).toBeLessThanOrEqual(8);
      const heldIds = new Set(held.map((h) => h.id));
      expect(duplicates.every((id) => heldIds.has(id))).toBe(true);
    } finally {
      await receiver.close();
    }
  }, 150_000);
});
