import type { Db } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { preparedByShape, preparedInsert, preparedQuery } from '../kernel/prepared-query.js';
import { chatText } from './chat-text.js';
import type { NotificationKind } from './notification-schema.js';
import { type EmailPayload, sendEmailJob } from './send-email-job.js';
import { sendWebhookJob, type WebhookPayload } from './send-webhook-job.js';

export interface Recipient {
  name: string;
  email: string;
  /** The user's id; absent for someone who is not a user (a client invited to a meeting). */
  userId?: string;
}

/** Something to tell people about, once. */
export interface Notice {
  orgId: string;
  /** What it is about, as the notification centre lists it. */
  kind: NotificationKind;
  /** Names the event: the same key is never notified twice. */
  eventKey: string;
  /** Who gets the e-mail. */
  to: Recipient[];
  /**
   * The users whose notification centre lists it, whatever they chose for e-mail; by default the
   * recipients who are users.
   */
  users?: readonly string[];
  /** Who caused it: they know, so their notification centre does not list it. */
  actorId?: string | null;
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
  /**
   * The organisation's chat webhook, when the caller has read it already (null: there is none);
   * when absent, `notify` reads it.
   */
  chatWebhookUrl?: string | null;
}

/**
 * Puts a notice in the outbox, in the caller's transaction: an e-mail to the recipients and, if
 * the organisation has a chat webhook, a Slack-compatible `{ text }` message. Nothing is sent
 * here; the scheduler sends once the change that caused the notice has committed. The notice is
 * also listed, at once, in the notification centre of every user it concerns.
 *
 * @example
 *   await notify(trx, { orgId, kind: 'handoff_submitted', eventKey: `handoff_submitted:${id}:1`,
 *     to: audience.email, users: audience.users, subject: 'To review: …', text: '…' }, now);
 */
export async function notify(trx: Db, notice: Notice, now: Date): Promise<void> {
  await listNotice(trx, notice, now);
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
  const chatWebhookUrl =
    notice.chatWebhookUrl !== undefined
      ? notice.chatWebhookUrl
      : ((await selectChatWebhook.first(trx, { orgId: notice.orgId }))?.chat_webhook_url ?? null);
  if (chatWebhookUrl) {
    const mention = notice.mention?.length ? `\nFor ${notice.mention.join(', ')}` : '';
    const payload: WebhookPayload = {
      url: chatWebhookUrl,
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

/**
 * Lists the notice in the notification centre of each user it concerns but its actor: one
 * multi-row insert (per hundred users), a user who has it already (the same event key) left as
 * they are.
 */
async function listNotice(trx: Db, notice: Notice, now: Date): Promise<void> {
  const users = new Set(notice.users ?? notice.to.flatMap((r) => (r.userId ? [r.userId] : [])));
  if (notice.actorId) users.delete(notice.actorId);
  // In id order, so two notices written at once take the unique index's locks in the same order.
  const rows = [...users].sort().map((userId) => ({
    id: newId(),
    org_id: notice.orgId,
    user_id: userId,
    kind: notice.kind,
    subject: notice.subject,
    text: notice.text,
    link: notice.link ?? null,
    event_key: notice.eventKey,
    created_at: now.toISOString(),
    read_at: null,
  }));
  for (let i = 0; i < rows.length; i += NOTICES_PER_STATEMENT) {
    const chunk = rows.slice(i, i + NOTICES_PER_STATEMENT);
    await noticeInsert(chunk.length).rows(trx, chunk);
  }
}

/** Rows per statement: 100 rows of 10 parameters stay far below every database's limit. */
const NOTICES_PER_STATEMENT = 100;

const NOTICE_COLUMNS = [
  'id',
  'org_id',
  'user_id',
  'kind',
  'subject',
  'text',
  'link',
  'event_key',
  'created_at',
  'read_at',
] as const;

/** The insert of `count` users' copies of a notice, prepared once per count. */
const noticeInsert = preparedByShape(
  (count: number) => String(count),
  (count) =>
    preparedInsert('notifications', NOTICE_COLUMNS, count, (insert) =>
      insert.onConflict((oc) => oc.columns(['user_id', 'event_key']).doNothing()),
    ),
);

const selectChatWebhook = preparedQuery((db, v: { orgId: string }) =>
  db.selectFrom('notification_settings').select('chat_webhook_url').where('org_id', '=', v.orgId),
);
