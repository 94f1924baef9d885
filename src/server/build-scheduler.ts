import { checkpointDueHandler } from '../checkpoints/checkpoint-due-handler.js';
import type { Deps } from '../kernel/context.js';
import type { Mailer } from '../notifications/mailer.js';
import { sendHandlers } from '../notifications/send-handlers.js';
import type { WebhookSender } from '../notifications/webhook-sender.js';
import { SchedulerWorker, type WorkerOptions } from '../scheduler/worker.js';

/** The scheduler with every job kind Baton has: checkpoint timers and the notification outbox. */
export function buildScheduler(
  deps: Deps,
  transports: { mailer?: Mailer; webhooks?: WebhookSender },
  options: WorkerOptions = {},
): SchedulerWorker {
  return new SchedulerWorker(
    deps,
    { checkpoint_due: checkpointDueHandler, ...sendHandlers(transports) },
    options,
  );
}
