import type { Db } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { preparedByShape, preparedInsert } from '../kernel/prepared-query.js';

/**
 * A job as the queue writes it. Producers do not build these: they call the `enqueue`, `setTimer`
 * or `row` of the kind's definition (`defineJob`), which types the payload and fills in the kind
 * and version.
 */
export interface NewJob {
  kind: string;
  /** The version of the kind's definition the payload was written for. */
  version: number;
  /** One job per event: a second enqueue with the same key is ignored (or, for timers, moves it). */
  dedupeKey: string;
  orgId: string | null;
  payload: unknown;
  availableAt: Date;
}

/**
 * Writes a job in the caller's transaction, so it exists if and only if the change that caused
 * it commits. A job with the same dedupe key already there is left as it is: an event is
 * notified once, however often the code that announces it runs.
 */
export async function enqueueJob(db: Db, job: NewJob, now: Date): Promise<void> {
  const row = jobRow(job, now);
  await jobInsert(Object.keys(row)).rows(db, [row]);
}

/** The insert of one job, left out when its dedupe key is there; prepared once (a row's columns never vary). */
const jobInsert = preparedByShape(
  (columns: string[]) => columns.join(','),
  (columns) =>
    preparedInsert('scheduled_jobs', columns, 1, (insert) =>
      insert.onConflict((oc) => oc.column('dedupe_key').doNothing()),
    ),
);

/**
 * Sets a timer: creates it, or moves an existing one to the new time and makes it pending again
 * (a worker holding the old one loses its lease and its work rolls back).
 */
export async function setTimer(db: Db, job: NewJob, now: Date): Promise<void> {
  await setTimers(db, [jobRow(job, now)]);
}

/**
 * Sets several timers (rows of `jobRow`, distinct dedupe keys) as `setTimer` sets one, with one
 * statement per hundred.
 */
export async function setTimers(db: Db, rows: readonly JobRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += TIMERS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + TIMERS_PER_STATEMENT);
    await timerUpsert({ columns: Object.keys(chunk[0]!), count: chunk.length }).rows(db, chunk);
  }
}

/** Timers per statement: 100 rows of 13 parameters stay far below every database's limit. */
const TIMERS_PER_STATEMENT = 100;

/** The upsert of `count` timers with these columns, prepared once per count. */
const timerUpsert = preparedByShape(
  (shape: { columns: string[]; count: number }) => `${shape.count}|${shape.columns.join(',')}`,
  ({ columns, count }) =>
    preparedInsert('scheduled_jobs', columns, count, (insert) =>
      insert.onConflict((oc) =>
        oc.column('dedupe_key').doUpdateSet((eb) => ({
          available_at: eb.ref('excluded.available_at'),
          payload: eb.ref('excluded.payload'),
          version: eb.ref('excluded.version'),
          status: 'pending',
          attempts: 0,
          lease_owner: null,
          last_error: null,
          finished_at: null,
        })),
      ),
    ),
);

export type JobRow = ReturnType<typeof jobRow>;

/** The row that writes `job`, made with its id. */
export function jobRow(job: NewJob, now: Date) {
  return {
    id: newId(),
    org_id: job.orgId,
    kind: job.kind,
    version: job.version,
    dedupe_key: job.dedupeKey,
    payload: JSON.stringify(job.payload),
    status: 'pending',
    available_at: job.availableAt.toISOString(),
    attempts: 0,
    lease_owner: null,
    last_error: null,
    created_at: now.toISOString(),
    finished_at: null,
  };
}
