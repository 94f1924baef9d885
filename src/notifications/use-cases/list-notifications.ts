import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { toNotificationView, unreadCount } from '../notification-records.js';
import type { NotificationPage } from '../notification-schema.js';

export interface ListNotificationsQuery {
  /** Only the notices not read yet. */
  unread?: boolean;
  limit?: number;
  /** The `next_cursor` of the page before. */
  cursor?: string;
}

/**
 * The caller's own notices, newest first, a page at a time, with how many are unread in all.
 * Every signed-in user has a notification centre, whatever their role.
 *
 * @example
 *   const first = await listNotifications(deps, principal, { limit: 20 });
 *   const next = await listNotifications(deps, principal, { limit: 20, cursor: first.next_cursor! });
 */
export async function listNotifications(
  deps: Deps,
  principal: Principal,
  query: ListNotificationsQuery,
): Promise<NotificationPage> {
  requireCapability(principal, 'read', 'read notifications');
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const limit = query.limit ?? 20;
  return inTransaction(deps, async (trx) => {
    let q = trx
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', principal.userId)
      .where('org_id', '=', principal.orgId);
    if (query.unread) q = q.where('read_at', 'is', null);
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    // One row more than the page says whether another page follows.
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toNotificationView),
      unread: await unreadCount(trx, principal.orgId, principal.userId),
      next_cursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  });
}

/** A page's end as the client passes it back: opaque, the last notice's time and id. */
function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length > 0 || !isId(id) || Number.isNaN(Date.parse(createdAt)))
    throw new AppError('validation_failed', 'The cursor is not one this list gave.', [
      { path: '/query/cursor', message: 'must be the next_cursor of a previous page' },
    ]);
  return { createdAt, id };
}
