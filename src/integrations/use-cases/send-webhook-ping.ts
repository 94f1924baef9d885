import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { PING } from '../domain/webhook-payload.js';
import { newMessageId, writeDeliveries } from '../webhook-deliveries.js';
import { loadEndpoint, toDeliveryView } from '../webhook-records.js';
import type { WebhookDelivery } from '../webhook-schema.js';

/**
 * Sends a `ping` message to the endpoint through the outbox, as any event goes (signed, retried,
 * logged), so its owner can check the receiver verifies it.
 */
export async function sendWebhookPing(
  deps: Deps,
  principal: Principal,
  endpointId: string,
): Promise<WebhookDelivery> {
  requireCapability(principal, 'manage_identity', 'test webhook endpoints');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const endpoint = await loadEndpoint(trx, principal.orgId, endpointId);
    if (endpoint.disabled_at !== null)
      throw new AppError('conflict', 'The endpoint is disabled: enable it before sending it a test.');
    const [row] = await writeDeliveries(
      trx,
      principal.orgId,
      [endpoint.id],
      newMessageId(now),
      {
        type: PING,
        timestamp: now.toISOString(),
        data: { message: `A test from Baton to ${endpoint.description || 'this endpoint'}` },
      },
      now,
    );
    return toDeliveryView(row!, []);
  });
}
