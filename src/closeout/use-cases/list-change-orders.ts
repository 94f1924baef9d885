import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import type { Page } from '../../kernel/http/schemas.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { ChangeOrder } from '../change-order-schema.js';
import { loadChangeOrder, toChangeOrderViews } from './change-order-records.js';

/** Every change order of the engagement, oldest identified first. */
export async function listChangeOrders(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Page<ChangeOrder>> {
  requireCapability(principal, 'read', 'read change orders');
  const db = deps.store.db;
  const engagement = await loadEngagement(db, principal.orgId, engagementId);
  const rows = await db
    .selectFrom('change_orders')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id)
    .orderBy('identified_at')
    .orderBy('id')
    .execute();
  const items = await toChangeOrderViews(db, principal.orgId, rows);
  return { items, total: items.length };
}

/** One change order of the organisation. */
export async function getChangeOrder(deps: Deps, principal: Principal, id: string): Promise<ChangeOrder> {
  requireCapability(principal, 'read', 'read change orders');
  const row = await loadChangeOrder(deps.store.db, principal.orgId, id);
  return (await toChangeOrderViews(deps.store.db, principal.orgId, [row]))[0]!;
}
