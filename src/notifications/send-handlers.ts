import type { JobHandlers } from '../scheduler/worker.js';
import type { Mailer } from './mailer.js';
import { chatText, type EmailPayload, type WebhookPayload } from './notify.js';
import type { WebhookSender } from './webhook-sender.js';

/** What the outbox sends with: its transports, and the base its links are made absolute with. */
export interface Senders {
  mailer?: Mailer;
  webhooks?: WebhookSender;
  /** The public URL of the web UI, without a trailing slash (see `linkBase`). */
  linkBase?: string;
}

/**
 * The outbox's senders. A kind with no transport configured gets no handler, so its jobs wait in
 * the outbox (not claimed, not failed) until a worker that can send them runs.
 */
export function sendHandlers(senders: Senders): JobHandlers {
  const handlers: JobHandlers = {};
  const { mailer, webhooks } = senders;
  // Made absolute now, with this process's public URL: the job keeps only the path.
  const absolute = (path: string | undefined) => (path ? `${senders.linkBase ?? ''}${path}` : undefined);
  if (mailer) {
    handlers.send_email = {
      async perform(job) {
        const p = job.payload as EmailPayload;
        const link = absolute(p.link);
        await mailer.send({
          messageId: job.id,
          to: p.to,
          subject: p.subject,
          text: link ? `${p.text}\n\nOpen in Baton: ${link}\n` : p.text,
          ...(p.invitation ? { invitation: { method: 'REQUEST' as const, content: p.invitation } } : {}),
        });
      },
    };
  }
  if (webhooks) {
    handlers.send_webhook = {
      async perform(job) {
        const p = job.payload as WebhookPayload;
        const link = absolute(p.link);
        const body = link ? { ...p.body, text: `${p.body.text}\n${chatText(link)}` } : p.body;
        await webhooks.post(p.url, body, job.id);
      },
    };
  }
  return handlers;
}
