import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { loadEndpoint } from '../webhook-records.js';
import { hostOf } from './webhook-destination.js';

/**
 * Removes an endpoint with its secrets, deliveries and their attempts: sends still queued for it
 * find nothing and do nothing.
 */
export async function deleteWebhookEndpoint(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireCapability(principal, 'manage_identity', 'remove webhook endpoints');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const endpoint = await loadEndpoint(trx, principal.orgId, id);
    const deliveries = trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', endpoint.id);
    await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', endpoint.id).execute();
    await trx.deleteFrom('webhook_secrets').where('endpoint_id', '=', endpoint.id).execute();
    await trx.deleteFrom('webhook_endpoints').where('id', '=', endpoint.id).execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'webhook_endpoint.deleted',
      entityType: 'webhook_endpoint',
      entityId: endpoint.id,
      before: { host: hostOf(endpoint.url), event_types: JSON.parse(endpoint.event_types) as string[] },
    });
  });
}
