import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { attemptsOf, loadEndpoint, toDeliveryView } from '../webhook-records.js';
import type { WebhookDelivery } from '../webhook-schema.js';

/** The endpoint's delivery log, newest first, each delivery with every attempt. */
export async function listWebhookDeliveries(
  deps: Deps,
  principal: Principal,
  endpointId: string,
  options: { limit?: number; offset?: number } = {},
): Promise<{ items: WebhookDelivery[]; total: number }> {
  requireCapability(principal, 'read', 'read webhook deliveries');
  const db = deps.store.db;
  const endpoint = await loadEndpoint(db, principal.orgId, endpointId);
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpoint.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute();
  const total = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('endpoint_id', '=', endpoint.id)
    .executeTakeFirstOrThrow();
  const attempts = await attemptsOf(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toDeliveryView(r, attempts.get(r.id) ?? [])), total: Number(total.n) };
}
