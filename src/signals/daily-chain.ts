import type { Db } from '../kernel/context.js';
import type { JobOrder } from '../scheduler/define-job.js';
import { nextDailyRun } from './domain/quiet-accounts.js';

/** A daily job of one organisation: its payload names the organisation. */
interface DailyJob<P extends { orgId: string }> {
  readonly kind: string;
  enqueue(db: Db, order: JobOrder<P>, now: Date): Promise<void>;
}

/**
 * Makes sure the organisation's next run of a daily job is in the outbox (06:00 UTC after `now`),
 * keyed `<kind>:<org>:<date>`: one job per organisation and day, so calling it again (each signal
 * batch, each settings change, the run itself) changes nothing. Each run calls it, so the chain
 * goes on as long as the organisation does.
 */
export async function enqueueDaily<P extends { orgId: string }>(
  db: Db,
  job: DailyJob<P>,
  payload: P,
  now: Date,
): Promise<void> {
  const at = nextDailyRun(now);
  await job.enqueue(
    db,
    {
      dedupeKey: `${job.kind}:${payload.orgId}:${at.toISOString().slice(0, 10)}`,
      orgId: payload.orgId,
      payload,
      availableAt: at,
    },
    now,
  );
}
