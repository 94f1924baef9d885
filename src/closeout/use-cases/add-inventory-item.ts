import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { checkInventoryItem } from '../domain/inventory-item.js';
import type { InventoryItem, InventoryItemInput } from '../inventory-schema.js';
import { serialTaken, toInventoryView } from './inventory-records.js';

/**
 * Adds a device or asset to the engagement's inventory. A serial another item of the engagement
 * has already is refused (409). Publishes `inventory.item_added`.
 */
export async function addInventoryItem(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: InventoryItemInput,
): Promise<InventoryItem> {
  requireCapability(principal, 'write_records', 'change the inventory');
  const now = deps.clock.now().toISOString();
  try {
    return await inTransaction(deps, async (trx) => {
      const engagement = await loadEngagement(trx, principal.orgId, engagementId);
      const checked = checkInventoryItem(input);
      if (!checked.ok) throw new AppError('validation_failed', 'The item is not valid.', checked.issues);
      const taken = await serialTaken(trx, principal.orgId, engagement.id, checked.values.serial, '/serial');
      if (taken.length) throw new AppError('conflict', 'Another item has this serial.', taken);
      const row = {
        id: newId(),
        org_id: principal.orgId,
        engagement_id: engagement.id,
        ...checked.values,
        created_by: principal.userId,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('inventory_items').values(row).execute();
      await publish(trx, {
        type: 'inventory.item_added',
        orgId: principal.orgId,
        actor: { type: 'user', id: principal.userId },
        at: new Date(now),
        item: row,
      });
      return toInventoryView(row);
    });
  } catch (error) {
    throw duplicateSerialOr(error);
  }
}

/** A unique violation (another request gave the serial first) as the 409 the check would have answered. */
export function duplicateSerialOr(error: unknown): unknown {
  return isUniqueViolation(error)
    ? new AppError('conflict', 'Another item has this serial.', [
        {
          path: '/serial',
          code: 'duplicate_serial',
          message: 'is already the serial of another item of this engagement',
        },
      ])
    : error;
}
