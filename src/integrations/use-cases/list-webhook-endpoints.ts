import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { signingSecrets, toEndpointView } from '../webhook-records.js';
import type { WebhookEndpoint } from '../webhook-schema.js';

/** The organisation's webhook endpoints, oldest first: never a secret. */
export async function listWebhookEndpoints(
  deps: Deps,
  principal: Principal,
): Promise<{ items: WebhookEndpoint[]; total: number }> {
  requireCapability(principal, 'read', 'list webhook endpoints');
  const db = deps.store.db;
  const now = deps.clock.now();
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const items = await Promise.all(
    rows.map(async (r) => toEndpointView(r, await signingSecrets(db, r.id, now))),
  );
  return { items, total: items.length };
}
