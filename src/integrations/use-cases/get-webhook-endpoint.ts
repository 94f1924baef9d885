import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { endpointView, loadEndpoint } from '../webhook-records.js';
import type { WebhookEndpoint } from '../webhook-schema.js';

/** One webhook endpoint of the organisation: never its secret. */
export async function getWebhookEndpoint(
  deps: Deps,
  principal: Principal,
  id: string,
): Promise<WebhookEndpoint> {
  requireCapability(principal, 'read', 'read webhook endpoints');
  const db = deps.store.db;
  return endpointView(db, await loadEndpoint(db, principal.orgId, id), deps.clock.now());
}
