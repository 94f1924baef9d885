import { type Db, onBeforeCommit, type Tx } from '../kernel/context.js';
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
  const buffer = bufferOf(db);
  if (!buffer) return insertJobs(db, [row]);
  // The first of a key stands, as the insert that ignores a key already there would decide.
  if (!buffer.enqueued.has(row.dedupe_key)) buffer.enqueued.set(row.dedupe_key, row);
}

/** Inserts jobs, each left out when its dedupe key is there, one statement per hundred. */
async function insertJobs(db: Db, rows: readonly JobRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += TIMERS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + TIMERS_PER_STATEMENT);
    await jobInsert({ columns: Object.keys(chunk[0]!), count: chunk.length }).rows(db, chunk);
  }
}

/** The insert of `count` jobs, left out when their dedupe key is there; prepared once per count. */
const jobInsert = preparedByShape(
  (shape: { columns: string[]; count: number }) => `${shape.count}|${shape.columns.join(',')}`,
  ({ columns, count }) =>
    preparedInsert('scheduled_jobs', columns, count, (insert) =>
      insert.onConflict((oc) => oc.column('dedupe_key').doNothing()),
    ),
);

/**
 * The jobs and timers of a transaction opened by `inTransaction`, written together just before it
 * commits (as the audit entries are): a request that tells people, opens checkpoints and sets a
 * nudge sends two statements for all of them instead of one each. Nothing in a transaction reads
 * the jobs it writes: workers claim them only once committed.
 */
interface JobBuffer {
  enqueued: Map<string, JobRow>;
  timers: Map<string, JobRow>;
}
const buffers = new WeakMap<Db, JobBuffer>();

function bufferOf(db: Db): JobBuffer | undefined {
  const known = buffers.get(db);
  if (known) return known;
  if (!onBeforeCommit(db as Tx, 'jobs', flushJobs)) return undefined;
  const buffer: JobBuffer = { enqueued: new Map(), timers: new Map() };
  buffers.set(db, buffer);
  return buffer;
}

/**
 * Writes a transaction's jobs: first the enqueued ones, then the timers, which move a job of the
 * same key (as they would have, written in turn). Each list in dedupe-key order, so two
 * transactions writing the same keys take the unique index's locks in the same order.
 */
async function flushJobs(trx: Tx): Promise<void> {
  const buffer = buffers.get(trx);
  buffers.delete(trx);
  if (!buffer) return;
  const inKeyOrder = (rows: Map<string, JobRow>) =>
    [...rows.values()].sort((a, b) =>
      a.dedupe_key < b.dedupe_key ? -1 : a.dedupe_key > b.dedupe_key ? 1 : 0,
    );
  if (buffer.enqueued.size > 0) await insertJobs(trx, inKeyOrder(buffer.enqueued));
  if (buffer.timers.size > 0) await writeTimers(trx, inKeyOrder(buffer.timers));
}

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
  const buffer = bufferOf(db);
  if (!buffer) return writeTimers(db, rows);
  // The last of a key stands, as the upserts in turn would leave it.
  for (const row of rows) buffer.timers.set(row.dedupe_key, row);
}

async function writeTimers(db: Db, rows: readonly JobRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += TIMERS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + TIMERS_PER_STATEMENT);
    await timerUpsert({ columns: Object.keys(chunk[0]!), count: chunk.length }).rows(db, chunk);
  }
}

/** Jobs per statement: 100 rows of 13 parameters stay far below every database's limit. */
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
