import { type Deps, inTransaction } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { loadInventoryItem } from './inventory-records.js';

/** Removes an item from the inventory; the audit log keeps what it described (`inventory.item_removed`). */
export async function removeInventoryItem(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireCapability(principal, 'write_records', 'change the inventory');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const row = await loadInventoryItem(trx, principal.orgId, id);
    await trx
      .deleteFrom('inventory_items')
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .execute();
    await publish(trx, {
      type: 'inventory.item_removed',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      item: row,
    });
  });
}
