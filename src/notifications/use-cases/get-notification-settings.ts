import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Db, Deps } from '../../kernel/context.js';
import type { NotificationSettings } from '../notification-settings-schema.js';

export async function loadNotificationSettings(db: Db, orgId: string): Promise<NotificationSettings> {
  const row = await db
    .selectFrom('notification_settings')
    .select('chat_webhook_url')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return { chat_webhook_url: row?.chat_webhook_url ?? null };
}

/** Where the organisation's chat notifications go (a Slack-compatible incoming webhook), if anywhere. */
export async function getNotificationSettings(
  deps: Deps,
  principal: Principal,
): Promise<NotificationSettings> {
  requireCapability(principal, 'manage_identity', 'read the notification settings');
  return loadNotificationSettings(deps.store.db, principal.orgId);
}
