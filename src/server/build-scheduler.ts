import { checkpointDueHandler } from '../checkpoints/checkpoint-due-handler.js';
import { reviewNudgeHandler } from '../handoffs/review-nudge.js';
import type { Deps } from '../kernel/context.js';
import { type Senders, sendHandlers } from '../notifications/send-handlers.js';
import { SchedulerWorker, type WorkerOptions } from '../scheduler/worker.js';

/** The scheduler with every job kind Baton has: timers (checkpoints, review nudges) and the notification outbox. */
export function buildScheduler(deps: Deps, senders: Senders, options: WorkerOptions = {}): SchedulerWorker {
  return new SchedulerWorker(
    deps,
    { checkpoint_due: checkpointDueHandler, review_nudge: reviewNudgeHandler, ...sendHandlers(senders) },
    options,
  );
}
