import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { enqueueSend } from '../webhook-delivery-job.js';
import { attemptsOf, loadDelivery, loadEndpoint, toDeliveryView } from '../webhook-records.js';
import type { WebhookDelivery } from '../webhook-schema.js';

/**
 * Sends a delivery again, now, with the same `webhook-id` and body (a receiver that already has it
 * recognises it): the retry schedule starts over. The endpoint must be enabled.
 */
export async function replayWebhookDelivery(
  deps: Deps,
  principal: Principal,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  requireCapability(principal, 'manage_identity', 'replay webhook deliveries');
  const now = deps.clock.now();
  const at = now.toISOString();
  return inTransaction(deps, async (trx) => {
    const endpoint = await loadEndpoint(trx, principal.orgId, endpointId);
    const delivery = await loadDelivery(trx, principal.orgId, endpoint.id, deliveryId);
    if (endpoint.disabled_at !== null)
      throw new AppError('conflict', 'The endpoint is disabled: enable it before replaying its deliveries.');
    const restart = {
      state: 'pending',
      run_attempts: 0,
      run_started_at: at,
      sends: Number(delivery.sends) + 1,
      next_attempt_at: at,
      updated_at: at,
    };
    const replayed = { ...delivery, ...restart };
    await trx.updateTable('webhook_deliveries').set(restart).where('id', '=', delivery.id).execute();
    await enqueueSend(trx, replayed, now, now);
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'webhook_delivery.replayed',
      entityType: 'webhook_delivery',
      entityId: delivery.id,
      before: { state: delivery.state },
      after: { state: 'pending', message_id: delivery.message_id },
    });
    const attempts = await attemptsOf(trx, [delivery.id]);
    return toDeliveryView(replayed, attempts.get(delivery.id) ?? []);
  });
}
