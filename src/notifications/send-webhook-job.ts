import { type Static, Type } from 'typebox';
import { defineJob } from '../scheduler/define-job.js';
import { chatText } from './chat-text.js';
import type { WebhookSender } from './webhook-sender.js';

/** A chat message in the outbox: the organisation's webhook, the Slack-compatible body, a link kept as a path. */
const WebhookPayload = Type.Object({
  url: Type.String({ minLength: 1 }),
  body: Type.Object({ text: Type.String() }),
  /** A page of the web UI (`/handoffs/…`), made absolute by the process that sends. */
  link: Type.Optional(Type.String()),
});
export type WebhookPayload = Static<typeof WebhookPayload>;

/** What posting chat messages needs: the sender (destination guard, timeout), and the public URL for links. */
export interface WebhookSending {
  webhooks: WebhookSender;
  /** The public URL of the web UI, without a trailing slash. */
  linkBase?: string;
}

/**
 * A message to the organisation's chat webhook (`notify`), posted through the destination guard
 * with the job id as `Idempotency-Key`.
 */
export const sendWebhookJob = defineJob({
  kind: 'send_webhook',
  version: 1,
  schema: WebhookPayload,
  handle: ({ webhooks, linkBase }: WebhookSending) => ({
    async perform(job) {
      const p = job.payload;
      // Made absolute now, with this process's public URL: the job keeps only the path.
      const link = p.link ? `${linkBase ?? ''}${p.link}` : undefined;
      const body = link ? { ...p.body, text: `${p.body.text}\n${chatText(link)}` } : p.body;
      await webhooks.post(p.url, body, job.id);
    },
  }),
});
