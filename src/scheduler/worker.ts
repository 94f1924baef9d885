import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Deps } from '../kernel/context.js';
import { inTransaction } from '../kernel/context.js';
import { type ClaimedJob, claimJobs } from './claim-jobs.js';
import type { RunnableJob } from './define-job.js';

export interface WorkerOptions {
  /** Names this worker in `lease_owner`; unique per process by default. */
  owner?: string;
  batchSize?: number;
  leaseMs?: number;
  intervalMs?: number;
  /** Jobs of one batch run this many at a time. */
  concurrency?: number;
  maxAttempts?: number;
  onError?: (error: unknown, job?: ClaimedJob) => void;
}

/** Thrown inside a job's transaction when another worker took the job over: the work rolls back. */
class LeaseLost extends Error {}

/**
 * The job's payload cannot be read by this process. `final` unless a newer process may read it:
 * no retry makes a payload fit its schema, so it is dead-lettered at once.
 */
class PayloadRefused extends Error {
  constructor(
    message: string,
    readonly final: boolean,
  ) {
    super(message);
    this.name = 'PayloadRefused';
  }
}

/** 30 s, 60 s, 120 s … at most an hour, with jitter so failed jobs do not retry in lockstep. */
export function retryDelayMs(attempt: number, random = Math.random()): number {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random * 0.5));
}

/**
 * The scheduler: claims due jobs of the kinds it is given (job definitions, `defineJob`) and runs
 * them. Several workers (threads, processes, machines) may run against one PostgreSQL; each job
 * is claimed by one of them, and one whose holder dies is taken over when the lease runs out.
 * Rows of kinds it is not given are left to a process that runs them.
 *
 * @example
 * const worker = new SchedulerWorker(deps, [checkpointDueJob.runWith(), sendEmailJob.runWith({ mailer })]);
 * worker.start();
 */
export class SchedulerWorker {
  readonly owner: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly jobs = new Map<string, RunnableJob>();

  constructor(
    private readonly deps: Deps,
    jobs: readonly RunnableJob[],
    private readonly options: WorkerOptions = {},
  ) {
    for (const job of jobs) {
      if (this.jobs.has(job.kind)) throw new Error(`Two definitions of the job kind ${job.kind}`);
      this.jobs.set(job.kind, job);
    }
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.concurrency = options.concurrency ?? 8;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Claims one batch of due jobs and runs them; answers how many it claimed. */
  async tick(): Promise<number> {
    const kinds = [...this.jobs.keys()];
    const jobs = await claimJobs(this.deps.store, {
      owner: this.owner,
      now: this.deps.clock.now(),
      limit: this.batchSize,
      leaseMs: this.leaseMs,
      kinds,
    });
    let next = 0;
    const lanes = Array.from({ length: Math.min(this.concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const job = jobs[next]!;
        next += 1;
        await this.run(job);
      }
    });
    await Promise.all(lanes);
    return jobs.length;
  }

  /** Runs ticks until `stop()`: at once again after a full batch, otherwise after the interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        let claimed = 0;
        try {
          claimed = await this.tick();
        } catch (error) {
          this.options.onError?.(error);
        }
        if (claimed < this.batchSize && this.running) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.intervalMs);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    })();
  }

  /** Stops claiming and waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Runs one claimed job: reads its payload with the kind's definition (a payload that does not
   * fit is refused before any handler sees it), performs it, and commits its effects with the
   * mark that it is done. Whatever goes wrong fails this job only; the batch goes on.
   */
  private async run(claimed: ClaimedJob): Promise<void> {
    const runnable = this.jobs.get(claimed.kind);
    try {
      if (!runnable) throw new Error(`No handler for job kind ${claimed.kind}`);
      const reading = runnable.read(claimed.payloadJson, claimed.version);
      if (!reading.ok) throw new PayloadRefused(reading.reason, !reading.later);
      const { payloadJson: _, ...rest } = claimed;
      const job = { ...rest, payload: reading.payload };
      const { handler } = runnable;
      await handler.perform?.(job);
      await inTransaction(this.deps, async (trx) => {
        const now = this.deps.clock.now();
        await handler.commit?.(trx, job, now);
        const done = await trx
          .updateTable('scheduled_jobs')
          .set({ status: 'done', finished_at: now.toISOString(), last_error: null })
          .where('id', '=', job.id)
          .where('lease_owner', '=', this.owner)
          .where('attempts', '=', job.attempts)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) throw new LeaseLost();
      });
    } catch (error) {
      if (error instanceof LeaseLost) return;
      this.options.onError?.(error, claimed);
      await this.fail(claimed, error).catch((e: unknown) => this.options.onError?.(e, claimed));
    }
  }

  /**
   * Schedules a retry with backoff, or dead-letters the job: after the last attempt, or at once
   * when its payload can never be read.
   */
  private async fail(job: ClaimedJob, error: unknown): Promise<void> {
    const now = this.deps.clock.now();
    const dead = job.attempts >= this.maxAttempts || (error instanceof PayloadRefused && error.final);
    const message = error instanceof Error ? error.message : String(error);
    await this.deps.store.db
      .updateTable('scheduled_jobs')
      .set({
        status: dead ? 'dead' : 'pending',
        available_at: new Date(now.getTime() + retryDelayMs(job.attempts)).toISOString(),
        last_error: message.slice(0, 2000),
        finished_at: dead ? now.toISOString() : null,
      })
      .where('id', '=', job.id)
      .where('lease_owner', '=', this.owner)
      .where('attempts', '=', job.attempts)
      .execute();
  }
}
