import { appendAudit } from '../../audit/append-audit.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import type { NotificationChoices, NotificationPreferences } from '../notification-preferences-schema.js';
import { NOTICE_KINDS } from '../preferences.js';
import { loadNotificationPreferences, requirePreferencesAccess } from './get-notification-preferences.js';

/** Replaces a user's notification preferences (their own, or any user's for an admin). */
export async function updateNotificationPreferences(
  deps: Deps,
  principal: Principal,
  userId: string,
  input: NotificationChoices,
): Promise<NotificationPreferences> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const before = await loadNotificationPreferences(trx, principal.orgId, userId);
    requirePreferencesAccess(principal, userId);
    const emailOff = JSON.stringify(NOTICE_KINDS.filter((k) => !input.email[k]));
    const values = {
      email_off: emailOff,
      chat_mention: input.chat_mention ? 1 : 0,
      updated_at: now.toISOString(),
    };
    await trx
      .insertInto('notification_preferences')
      .values({ user_id: before.user_id, org_id: principal.orgId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
    const after: NotificationPreferences = {
      user_id: before.user_id,
      email: Object.fromEntries(
        NOTICE_KINDS.map((k) => [k, input.email[k]]),
      ) as NotificationPreferences['email'],
      chat_mention: input.chat_mention,
    };
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'notification_preferences.updated',
      entityType: 'user',
      entityId: before.user_id,
      before: { email: before.email, chat_mention: before.chat_mention },
      after: { email: after.email, chat_mention: after.chat_mention },
    });
    return after;
  });
}
