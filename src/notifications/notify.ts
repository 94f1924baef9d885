import type { Db } from '../kernel/context.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import { chatText } from './chat-text.js';
import { type EmailPayload, sendEmailJob } from './send-email-job.js';
import { sendWebhookJob, type WebhookPayload } from './send-webhook-job.js';

export interface Recipient {
  name: string;
  email: string;
}

/** Something to tell people about, once. */
export interface Notice {
  orgId: string;
  /** Names the event: the same key is never notified twice. */
  eventKey: string;
  to: Recipient[];
  subject: string;
  text: string;
  /** An RFC 5545 invitation (METHOD:REQUEST) to attach to the e-mail. */
  invitation?: string;
  /**
   * A page of the web UI the notice is about (`/handoffs/…`). The outbox keeps the path; the
   * sender makes it absolute with its own public URL, so a queued message never carries a
   * stale address.
   */
  link?: string;
  /** People the chat message names, so they see it is for them. */
  mention?: string[];
}

/**
 * Puts a notice in the outbox, in the caller's transaction: an e-mail to the recipients and, if
 * the organisation has a chat webhook, a Slack-compatible `{ text }` message. Nothing is sent
 * here; the scheduler sends once the change that caused the notice has committed.
 */
export async function notify(trx: Db, notice: Notice, now: Date): Promise<void> {
  const to = [...new Set(notice.to.map((r) => r.email.toLowerCase()))].sort();
  const link = notice.link ? { link: notice.link } : {};
  if (to.length > 0) {
    const payload: EmailPayload = {
      to,
      subject: notice.subject,
      text: notice.text,
      ...(notice.invitation ? { invitation: notice.invitation } : {}),
      ...link,
    };
    await sendEmailJob.enqueue(
      trx,
      {
        dedupeKey: `email:${notice.eventKey}`,
        orgId: notice.orgId,
        payload,
        availableAt: now,
      },
      now,
    );
  }
  const settings = await selectChatWebhook.first(trx, { orgId: notice.orgId });
  if (settings?.chat_webhook_url) {
    const mention = notice.mention?.length ? `\nFor ${notice.mention.join(', ')}` : '';
    const payload: WebhookPayload = {
      url: settings.chat_webhook_url,
      body: { text: chatText(`*${notice.subject}*\n${notice.text}${mention}`) },
      ...link,
    };
    await sendWebhookJob.enqueue(
      trx,
      {
        dedupeKey: `webhook:${notice.eventKey}`,
        orgId: notice.orgId,
        payload,
        availableAt: now,
      },
      now,
    );
  }
}

const selectChatWebhook = preparedQuery((db, v: { orgId: string }) =>
  db.selectFrom('notification_settings').select('chat_webhook_url').where('org_id', '=', v.orgId),
);
