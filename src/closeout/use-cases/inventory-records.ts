import type { Db } from '../../kernel/context.js';
import type { InventoryItemsTable } from '../../kernel/db/schema.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { productOf } from '../domain/inventory-item.js';
import type { InventoryItem } from '../inventory-schema.js';

export function toInventoryView(row: InventoryItemsTable): InventoryItem {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    type: row.type,
    make: row.make,
    model: row.model,
    serial: row.serial,
    location: row.location,
    network_address: row.network_address,
    firmware_version: row.firmware_version,
    installed_on: row.installed_on,
    warranty_until: row.warranty_until,
    product: productOf(row),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The item with this id in the organisation, or `not_found` (also for another organisation's id). */
export async function loadInventoryItem(db: Db, orgId: string, id: string): Promise<InventoryItemsTable> {
  const row = isId(id)
    ? await db
        .selectFrom('inventory_items')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No inventory item ${id}.`);
  return row;
}

/**
 * The problem with giving an item of the engagement this serial, if another item has it already
 * (`except`: the item being edited). A serial names one device: two rows with one serial would
 * be one device listed twice, or a typo.
 */
export async function serialTaken(
  db: Db,
  orgId: string,
  engagementId: string,
  serial: string | null,
  path: string,
  except?: string,
): Promise<ErrorDetail[]> {
  if (serial === null) return [];
  let q = db
    .selectFrom('inventory_items')
    .select(['id', 'type'])
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .where('serial', '=', serial);
  if (except) q = q.where('id', '<>', except);
  const found = await q.executeTakeFirst();
  return found
    ? [
        {
          path,
          code: 'duplicate_serial',
          message: `is already the serial of another item (${found.type}) of this engagement`,
        },
      ]
    : [];
}
