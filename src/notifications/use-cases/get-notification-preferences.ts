import { can, type Principal } from '../../identity/domain/roles.js';
import type { Db, Deps } from '../../kernel/context.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { NotificationPreferences } from '../notification-preferences-schema.js';
import { preferencesOf } from '../preferences.js';

/**
 * A user's own preferences are theirs to read and change; an admin may do it for any user of the
 * organisation. (Checked once the user is found: who belongs to the organisation is no secret
 * to its members, and another organisation's user is simply not there.)
 */
export function requirePreferencesAccess(principal: Principal, userId: string): void {
  if (principal.userId === userId || can(principal, 'manage_identity')) return;
  throw new AppError(
    'forbidden',
    "Only the user or an admin may see or change a user's notification preferences.",
  );
}

/** The preferences of a user of the organisation (the defaults if they never chose), or 404. */
export async function loadNotificationPreferences(
  db: Db,
  orgId: string,
  userId: string,
): Promise<NotificationPreferences> {
  const row = isId(userId)
    ? await db
        .selectFrom('users')
        .leftJoin('notification_preferences as p', 'p.user_id', 'users.id')
        .select(['users.id', 'p.email_off', 'p.chat_mention'])
        .where('users.org_id', '=', orgId)
        .where('users.id', '=', userId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('user', userId);
  const stored =
    row.email_off === null || row.chat_mention === null
      ? undefined
      : { email_off: row.email_off, chat_mention: row.chat_mention };
  return { user_id: row.id, ...preferencesOf(stored) };
}

/** Which notices a user gets by e-mail, and whether chat messages name them. */
export async function getNotificationPreferences(
  deps: Deps,
  principal: Principal,
  userId: string,
): Promise<NotificationPreferences> {
  const preferences = await loadNotificationPreferences(deps.store.db, principal.orgId, userId);
  requirePreferencesAccess(principal, userId);
  return preferences;
}
