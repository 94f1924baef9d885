import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { InventoryItem } from '../inventory-schema.js';
import { toInventoryView } from './inventory-records.js';

/** The engagement's inventory, in the order items were added (an import's in the order of its rows). */
export async function listInventory(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<{ items: InventoryItem[]; total: number }> {
  requireCapability(principal, 'read', 'read the inventory');
  const db = deps.store.db;
  const engagement = await loadEngagement(db, principal.orgId, engagementId);
  const rows = await db
    .selectFrom('inventory_items')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { items: rows.map(toInventoryView), total: rows.length };
}
