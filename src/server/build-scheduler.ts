import { checkpointDueJob } from '../checkpoints/checkpoint-due-job.js';
import { reviewNudgeJob } from '../handoffs/review-nudge.js';
import { webhookDeliveryJob } from '../integrations/public.js';
import type { Deps } from '../kernel/context.js';
import { publicDestinationsOnly } from '../kernel/outbound/destination-guard.js';
import type { Mailer } from '../notifications/mailer.js';
import { sendEmailJob } from '../notifications/send-email-job.js';
import { sendWebhookJob } from '../notifications/send-webhook-job.js';
import type { WebhookSender } from '../notifications/webhook-sender.js';
import { sendPortalLinkJob } from '../portal/send-portal-link-job.js';
import { surveyReminderJob } from '../portal/survey-on-closeout.js';
import type { RunnableJob } from '../scheduler/define-job.js';
import { SchedulerWorker, type WorkerOptions } from '../scheduler/worker.js';
import { healthScoresJob } from '../signals/health-scores-job.js';
import { quietAccountsJob } from '../signals/quiet-accounts-job.js';
import { sendAuditHeadJob } from './audit-witness.js';

/** What the outbox sends with: its transports, and the base its links are made absolute with. */
export interface Senders {
  mailer?: Mailer;
  webhooks?: WebhookSender;
  /** The public URL of the web UI, without a trailing slash (see `linkBase`). */
  linkBase?: string;
}

/**
 * Every job kind this process runs, each registered once here: the timers (checkpoints, review
 * nudges), the notification outbox and the audit witness. A kind with no transport configured is
 * left out, so its jobs wait in the outbox (not claimed, not failed) until a process that can
 * send them runs.
 */
export function schedulerJobs(deps: Deps, senders: Senders): RunnableJob[] {
  const { mailer, webhooks, linkBase } = senders;
  return [
    checkpointDueJob.runWith(),
    reviewNudgeJob.runWith(),
    surveyReminderJob.runWith(),
    sendAuditHeadJob.runWith({ destinations: deps.destinations ?? publicDestinationsOnly }),
    webhookDeliveryJob.runWith({ deps }),
    quietAccountsJob.runWith(),
    healthScoresJob.runWith(),
    ...(mailer ? [sendEmailJob.runWith({ mailer, linkBase })] : []),
    ...(mailer ? [sendPortalLinkJob.runWith({ mailer, linkBase })] : []),
    ...(webhooks ? [sendWebhookJob.runWith({ webhooks, linkBase })] : []),
  ];
}

/** The scheduler with every job kind this process can run (`schedulerJobs`). */
export function buildScheduler(deps: Deps, senders: Senders, options: WorkerOptions = {}): SchedulerWorker {
  return new SchedulerWorker(deps, schedulerJobs(deps, senders), options);
}
