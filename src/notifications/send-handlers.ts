import type { JobHandlers } from '../scheduler/worker.js';
import type { Mailer } from './mailer.js';
import type { EmailPayload, WebhookPayload } from './notify.js';
import type { WebhookSender } from './webhook-sender.js';

/**
 * The outbox's senders. A kind with no transport configured gets no handler, so its jobs wait in
 * the outbox (not claimed, not failed) until a worker that can send them runs.
 */
export function sendHandlers(transports: { mailer?: Mailer; webhooks?: WebhookSender }): JobHandlers {
  const handlers: JobHandlers = {};
  const { mailer, webhooks } = transports;
  if (mailer) {
    handlers.send_email = {
      async perform(job) {
        const p = job.payload as EmailPayload;
        await mailer.send({
          messageId: job.id,
          to: p.to,
          subject: p.subject,
          text: p.text,
          ...(p.invitation ? { invitation: { method: 'REQUEST' as const, content: p.invitation } } : {}),
        });
      },
    };
  }
  if (webhooks) {
    handlers.send_webhook = {
      async perform(job) {
        const p = job.payload as WebhookPayload;
        await webhooks.post(p.url, p.body, job.id);
      },
    };
  }
  return handlers;
}
