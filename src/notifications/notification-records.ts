import type { Db } from '../kernel/context.js';
import type { NotificationsTable } from '../kernel/db/schema.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import type { Notification, NotificationKind } from './notification-schema.js';

/** A notification-centre row as the API shows it. */
export function toNotificationView(row: NotificationsTable): Notification {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    subject: row.subject,
    text: row.text,
    link: row.link,
    created_at: row.created_at,
    read_at: row.read_at,
  };
}

/**
 * How many of a user's notices are unread (the bell's badge).
 *
 * @example
 *   await unreadCount(trx, principal.orgId, principal.userId); // 3
 */
export async function unreadCount(db: Db, orgId: string, userId: string): Promise<number> {
  const row = await countUnread.first(db, { orgId, userId });
  return Number(row?.unread ?? 0);
}

// Reads only the partial index of unread rows.
const countUnread = preparedQuery((db, v: { orgId: string; userId: string }) =>
  db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number | string>().as('unread'))
    .where('user_id', '=', v.userId)
    .where('org_id', '=', v.orgId)
    .where('read_at', 'is', null),
);
