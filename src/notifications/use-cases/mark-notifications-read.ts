import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { unreadCount } from '../notification-records.js';
import type { MarkNotificationsRead, NotificationsRead } from '../notification-schema.js';

/**
 * Marks some of the caller's notices read: those named in `ids`, and every one created up to
 * `up_to` ("Mark all as read" passes the time of the newest it showed, so a notice arriving
 * meanwhile stays unread). Ids that are not the caller's, or already read, are left as they are,
 * so marking again changes nothing. Not audited: it changes only what the caller has seen.
 *
 * @example
 *   await markNotificationsRead(deps, principal, { ids: [id] }); // { marked: 1, unread: 2 }
 */
export async function markNotificationsRead(
  deps: Deps,
  principal: Principal,
  input: MarkNotificationsRead,
): Promise<NotificationsRead> {
  requireCapability(principal, 'read', 'mark notifications read');
  const errors: ErrorDetail[] = [];
  const ids = input.ids ?? [];
  ids.forEach((id, i) => {
    if (!isId(id)) errors.push({ path: `/ids/${i}`, message: 'must be a notification id' });
  });
  const upTo = input.up_to === undefined ? undefined : new Date(input.up_to);
  if (upTo && Number.isNaN(upTo.getTime())) errors.push({ path: '/up_to', message: 'must be a date-time' });
  if (input.ids === undefined && input.up_to === undefined)
    errors.push({ path: '/', message: 'give ids, up_to or both' });
  if (errors.length) throw new AppError('validation_failed', 'Nothing can be marked read.', errors);
  const now = deps.clock.now().toISOString();
  return inTransaction(deps, async (trx) => {
    let marked = 0;
    if (ids.length > 0 || upTo) {
      const result = await trx
        .updateTable('notifications')
        .set({ read_at: now })
        .where('user_id', '=', principal.userId)
        .where('org_id', '=', principal.orgId)
        .where('read_at', 'is', null)
        .where((eb) =>
          eb.or([
            ...(ids.length ? [eb('id', 'in', ids)] : []),
            ...(upTo ? [eb('created_at', '<=', upTo.toISOString())] : []),
          ]),
        )
        .executeTakeFirst();
      marked = Number(result.numUpdatedRows);
    }
    return { marked, unread: await unreadCount(trx, principal.orgId, principal.userId) };
  });
}
