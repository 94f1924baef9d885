import { type Selectable, sql } from 'kysely';
import { type Store, skipLockedRows } from '../kernel/db/dialect.js';
import type { Database } from '../kernel/db/schema.js';

/**
 * A job a worker holds: it is its own until `leaseUntil`, and only the holder of this attempt may
 * finish it. The payload is still the stored text: the worker reads it with the kind's definition,
 * so a row that does not parse or fit fails that one job, not the claim of the whole batch.
 */
export interface ClaimedJob {
  id: string;
  orgId: string | null;
  kind: string;
  /** The version of the kind's definition that wrote the payload. */
  version: number;
  dedupeKey: string;
  payloadJson: string;
  attempts: number;
  leaseUntil: Date;
}

/**
 * Claims up to `limit` due jobs of the given kinds in one statement: the select picks
 * `status = 'pending' AND available_at <= now` in due order (an index range scan over due rows
 * only), and the update pushes `available_at` to the lease's end, so the row is due again — for
 * anyone — only if this worker does not finish it in time.
 */
export async function claimJobs(
  store: Store,
  options: { owner: string; now: Date; limit: number; leaseMs: number; kinds: readonly string[] },
): Promise<ClaimedJob[]> {
  const leaseUntil = new Date(options.now.getTime() + options.leaseMs);
  const due = skipLockedRows(store.dialect, dueJobs(store, options));
  const rows = await store.db
    .updateTable('scheduled_jobs')
    .set({
      available_at: leaseUntil.toISOString(),
      lease_owner: options.owner,
      attempts: sql<number>`attempts + 1`,
    })
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map((r) => toClaimed(r, leaseUntil));
}

/** The select of due job ids a claim takes (exported so tests can check its query plan). */
export function dueJobs(store: Store, options: { now: Date; limit: number; kinds: readonly string[] }) {
  return store.db
    .selectFrom('scheduled_jobs')
    .select('id')
    .where('status', '=', 'pending')
    .where('kind', 'in', [...options.kinds])
    .where('available_at', '<=', options.now.toISOString())
    .orderBy('available_at')
    .limit(options.limit);
}

function toClaimed(r: Selectable<Database['scheduled_jobs']>, leaseUntil: Date): ClaimedJob {
  return {
    id: r.id,
    orgId: r.org_id,
    kind: r.kind,
    version: Number(r.version),
    dedupeKey: r.dedupe_key,
    payloadJson: r.payload,
    attempts: Number(r.attempts),
    leaseUntil,
  };
}
