import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Static, TSchema } from 'typebox';
import type { Db, Tx } from '../kernel/context.js';
import type { ClaimedJob } from './claim-jobs.js';
import { enqueueJob, type JobRow, jobRow, setTimer } from './job-queue.js';

/** A job as its handler sees it: the claimed row, its payload read and checked against the schema. */
export type RunningJob<P> = Omit<ClaimedJob, 'payloadJson'> & { payload: P };

/**
 * What the worker does with a job of one kind: `perform` is the part outside the database (a
 * network send), `commit` the database effects, run in the transaction that marks the job done.
 */
export interface JobHandler<P> {
  perform?(job: RunningJob<P>): Promise<void>;
  commit?(trx: Tx, job: RunningJob<P>, now: Date): Promise<void>;
}

/** A job a producer asks for; the definition adds its kind and version. */
export interface JobOrder<P> {
  /** One job per event: a second enqueue with the same key is ignored (or, for timers, moves it). */
  dedupeKey: string;
  orgId: string | null;
  payload: P;
  availableAt: Date;
}

/**
 * A stored payload as a definition reads it: the payload of the current version, or why not.
 * `later` says a newer process may read it (it was written by a newer version), so the job is
 * retried rather than dead-lettered at once.
 */
export type PayloadReading<P> = { ok: true; payload: P } | { ok: false; reason: string; later: boolean };

/** A kind a worker runs: how to read its payloads, and the handler bound to the services it needs. */
export interface RunnableJob {
  readonly kind: string;
  read(payloadJson: string, version: number): PayloadReading<unknown>;
  readonly handler: JobHandler<unknown>;
}

/** One kind of job: its producers' typed API and what a worker needs to run it. */
export interface JobDefinition<K extends string, P, N> {
  readonly kind: K;
  readonly version: number;
  readonly schema: TSchema;
  /** Writes the job in the caller's transaction; a job with the same dedupe key is left as it is. */
  enqueue(db: Db, order: JobOrder<P>, now: Date): Promise<void>;
  /** Creates the timer, or moves the one with the same dedupe key and makes it pending again. */
  setTimer(db: Db, order: JobOrder<P>, now: Date): Promise<void>;
  /** The row of one timer, for `setTimers` to write many in one statement. */
  row(order: JobOrder<P>, now: Date): JobRow;
  /** Reads a stored payload: parses it, upgrades it from the version that wrote it, checks it. */
  read(payloadJson: string, version: number): PayloadReading<P>;
  /** The kind as a worker runs it, its handler given the services it needs (none for most). */
  runWith(...needs: [N] extends [undefined] ? [] : [needs: N]): RunnableJob;
}

export interface JobSpec<K extends string, S extends TSchema, N> {
  /** The `kind` column: stable across versions, unique among definitions. */
  kind: K;
  /** Raised when the payload's shape changes; rows remember the version that wrote them. */
  version: number;
  /** The payload's TypeBox schema: producers are typed by it, and each claimed payload is checked against it. */
  schema: S;
  /**
   * Steps from older versions: `upgrade[n]` turns a payload written by version n into one of
   * version n + 1 (type its parameter as that old payload). A payload older than the first step
   * kept here is dead-lettered, saying so.
   */
  upgrade?: Readonly<Record<number, (payload: never) => unknown>>;
  /** The handler, or a function that makes it from the services the worker hands in (a mailer, a sender). */
  handle: JobHandler<Static<S>> | ((needs: N) => JobHandler<Static<S>>);
}

let sharedAjv: Ajv | undefined;

/** One Ajv instance for every job schema, made when the first payload is read. */
function ajv(): Ajv {
  sharedAjv ??= new Ajv({ allErrors: true, strict: true });
  return sharedAjv;
}

/**
 * Defines a kind of job: its producers get `enqueue`, `setTimer` and `row` typed by the schema
 * (a wrong payload does not compile), and the worker gets `runWith(...)`, which reads each claimed
 * payload (upgrading an older version, checking it against the schema, compiled once) before the
 * handler sees it. A payload that does not fit is dead-lettered with the reason.
 *
 * @example
 * export const reviewNudgeJob = defineJob({
 *   kind: 'review_nudge',
 *   version: 1,
 *   schema: Type.Object({ handoffId: Type.String(), revision: Type.Integer() }),
 *   handle: { async commit(trx, job, now) { await nudge(trx, job.payload.handoffId, now); } },
 * });
 * await reviewNudgeJob.setTimer(trx, { dedupeKey, orgId, payload: { handoffId, revision }, availableAt }, now);
 * new SchedulerWorker(deps, [reviewNudgeJob.runWith()]);
 */
export function defineJob<K extends string, S extends TSchema, N = undefined>(
  spec: JobSpec<K, S, N>,
): JobDefinition<K, Static<S>, N> {
  type P = Static<S>;
  const { kind, version, schema } = spec;
  if (!Number.isInteger(version) || version < 1)
    throw new Error(`Job ${kind}: the version must be a whole number from 1, not ${version}`);
  let validate: ValidateFunction | undefined;
  const stamp = (order: JobOrder<P>) => ({ ...order, kind, version });

  const read = (payloadJson: string, written: number): PayloadReading<P> => {
    let payload: unknown;
    try {
      payload = JSON.parse(payloadJson);
    } catch (error) {
      return { ok: false, later: false, reason: `The payload of ${kind} is not JSON: ${messageOf(error)}` };
    }
    if (written > version)
      return {
        ok: false,
        later: true,
        reason: `Written by version ${written} of ${kind}; this process runs version ${version}, so a newer process must run it`,
      };
    for (let from = written; from < version; from += 1) {
      const step = from >= 1 ? spec.upgrade?.[from] : undefined;
      if (!step)
        return {
          ok: false,
          later: false,
          reason: `Written by version ${written} of ${kind}, which version ${version} cannot read: there is no upgrade from version ${from}`,
        };
      try {
        payload = step(payload as never);
      } catch (error) {
        return {
          ok: false,
          later: false,
          reason: `Upgrading ${kind} from version ${from} failed: ${messageOf(error)}`,
        };
      }
    }
    validate ??= ajv().compile(schema);
    if (!validate(payload)) {
      const upgraded = written === version ? '' : `, upgraded from version ${written}`;
      return {
        ok: false,
        later: false,
        reason: `The payload of ${kind} (version ${version}${upgraded}) does not fit its schema: ${describe(validate.errors ?? [])}`,
      };
    }
    return { ok: true, payload: payload as P };
  };

  return {
    kind,
    version,
    schema,
    enqueue: (db, order, now) => enqueueJob(db, stamp(order), now),
    setTimer: (db, order, now) => setTimer(db, stamp(order), now),
    row: (order, now) => jobRow(stamp(order), now),
    read,
    runWith(...needs) {
      const handle = spec.handle;
      const handler = typeof handle === 'function' ? handle(needs[0] as N) : handle;
      return { kind, read, handler: handler as JobHandler<unknown> };
    },
  };
}

/** Every problem Ajv found, as `path message`, joined. */
function describe(errors: readonly ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is not valid'}`).join('; ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
