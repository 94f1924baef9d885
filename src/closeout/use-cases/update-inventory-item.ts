import { changedValues } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { checkInventoryItem, INVENTORY_FIELDS } from '../domain/inventory-item.js';
import type { InventoryItem, InventoryItemInput } from '../inventory-schema.js';
import { duplicateSerialOr } from './add-inventory-item.js';
import { loadInventoryItem, serialTaken, toInventoryView } from './inventory-records.js';

/**
 * Edits an item: the fields sent replace the item's (null clears one); the rest stay. The item
 * as edited is checked whole, so a warranty cannot be moved before the installation. Publishes
 * `inventory.item_updated` with the fields changed (nothing when nothing changed).
 */
export async function updateInventoryItem(
  deps: Deps,
  principal: Principal,
  id: string,
  input: Partial<InventoryItemInput>,
): Promise<InventoryItem> {
  requireCapability(principal, 'write_records', 'change the inventory');
  const now = deps.clock.now().toISOString();
  try {
    return await inTransaction(deps, async (trx) => {
      const row = await loadInventoryItem(trx, principal.orgId, id);
      const current = Object.fromEntries(INVENTORY_FIELDS.map((f) => [f, row[f]]));
      const sent = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const checked = checkInventoryItem({ ...current, ...sent });
      if (!checked.ok) throw new AppError('validation_failed', 'The changes are not valid.', checked.issues);
      const taken = await serialTaken(
        trx,
        principal.orgId,
        row.engagement_id,
        checked.values.serial,
        '/serial',
        row.id,
      );
      if (taken.length) throw new AppError('conflict', 'Another item has this serial.', taken);
      const diff = changedValues(current, checked.values as Record<string, unknown>);
      if (!diff.changed) return toInventoryView(row);
      const updated = await trx
        .updateTable('inventory_items')
        .set({ ...checked.values, updated_at: now })
        .where('org_id', '=', principal.orgId)
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await publish(trx, {
        type: 'inventory.item_updated',
        orgId: principal.orgId,
        actor: { type: 'user', id: principal.userId },
        at: new Date(now),
        item: updated,
        changed: { before: diff.before, after: diff.after },
      });
      return toInventoryView(updated);
    });
  } catch (error) {
    throw duplicateSerialOr(error);
  }
}
