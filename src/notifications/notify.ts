import type { Db } from '../kernel/context.js';
import { escapeSlack } from '../kernel/escape/slack.js';
import { enqueueJob } from '../scheduler/job-queue.js';

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
}

export interface EmailPayload {
  to: string[];
  subject: string;
  text: string;
  invitation?: string;
}

export interface WebhookPayload {
  url: string;
  body: { text: string };
}

/**
 * Puts a notice in the outbox, in the caller's transaction: an e-mail to the recipients and, if
 * the organisation has a chat webhook, a Slack-compatible `{ text }` message. Nothing is sent
 * here; the scheduler sends once the change that caused the notice has committed.
 */
export async function notify(trx: Db, notice: Notice, now: Date): Promise<void> {
  const to = [...new Set(notice.to.map((r) => r.email.toLowerCase()))].sort();
  if (to.length > 0) {
    const payload: EmailPayload = {
      to,
      subject: notice.subject,
      text: notice.text,
      ...(notice.invitation ? { invitation: notice.invitation } : {}),
    };
    await enqueueJob(
      trx,
      {
        kind: 'send_email',
        dedupeKey: `email:${notice.eventKey}`,
        orgId: notice.orgId,
        payload,
        availableAt: now,
      },
      now,
    );
  }
  const settings = await trx
    .selectFrom('notification_settings')
    .select('chat_webhook_url')
    .where('org_id', '=', notice.orgId)
    .executeTakeFirst();
  if (settings?.chat_webhook_url) {
    const payload: WebhookPayload = {
      url: settings.chat_webhook_url,
      body: { text: `*${escapeSlack(notice.subject)}*\n${escapeSlack(notice.text)}` },
    };
    await enqueueJob(
      trx,
      {
        kind: 'send_webhook',
        dedupeKey: `webhook:${notice.eventKey}`,
        orgId: notice.orgId,
        payload,
        availableAt: now,
      },
      now,
    );
  }
}
