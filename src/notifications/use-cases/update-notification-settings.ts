import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publicDestinationsOnly } from '../../kernel/outbound/destination-guard.js';
import type { NotificationSettings } from '../notification-settings-schema.js';
import { loadNotificationSettings } from './get-notification-settings.js';

/**
 * Sets (or, with null, removes) the organisation's chat webhook. Only http(s) URLs are taken, and
 * only to destinations outside the server's network once their name is resolved (loopback,
 * private, link-local and metadata addresses are refused unless the operator allows them); the
 * sender checks again at send time, since a name may resolve elsewhere by then.
 */
export async function updateNotificationSettings(
  deps: Deps,
  principal: Principal,
  input: NotificationSettings,
): Promise<NotificationSettings> {
  requireCapability(principal, 'manage_identity', 'change the notification settings');
  const url = input.chat_webhook_url?.trim() || null;
  if (url !== null) {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new AppError('validation_failed', 'The webhook URL is not valid.', [
        { path: '/chat_webhook_url', message: 'must be an http or https URL' },
      ]);
    const verdict = await (deps.destinations ?? publicDestinationsOnly).check(url);
    if (!verdict.ok)
      throw new AppError('validation_failed', 'The webhook URL points somewhere Baton may not post to.', [
        {
          path: '/chat_webhook_url',
          message: verdict.inward
            ? `must not point inside the server's network: ${verdict.reason} (the server's operator may allow it with BATON_OUTBOUND_ALLOW)`
            : `must reach a chat service: ${verdict.reason}`,
        },
      ]);
  }
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const before = await loadNotificationSettings(trx, principal.orgId);
    await trx
      .insertInto('notification_settings')
      .values({ org_id: principal.orgId, chat_webhook_url: url, updated_at: now.toISOString() })
      .onConflict((oc) =>
        oc.column('org_id').doUpdateSet({ chat_webhook_url: url, updated_at: now.toISOString() }),
      )
      .execute();
    // The URL is a credential of sorts (it lets anyone post to the channel): audit only its host.
    const host = (u: string | null) => (u ? new URL(u).host : null);
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'notification_settings.updated',
      entityType: 'notification_settings',
      entityId: principal.orgId,
      before: { chat_webhook_host: host(before.chat_webhook_url) },
      after: { chat_webhook_host: host(url) },
    });
    return { chat_webhook_url: url };
  });
}
