import type { Readable } from 'node:stream';
import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { csvFile, fileNameOf } from '../../kernel/csv/write-csv.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { INVENTORY_FIELDS, INVENTORY_HEADERS } from '../domain/inventory-item.js';

/** Rows read per query while the file streams out. */
const PAGE = 500;

/**
 * The engagement's inventory as a CSV file, streamed: read a page at a time (by id, the order
 * items were added) while the client reads, never held whole. One column per field under the
 * headers an import reads back; every cell escaped against CSV injection (`escapeCsvCell`), which
 * the import undoes, so export then import gives the same items. Starts with a UTF-8 byte-order
 * mark, so spreadsheets read accents right.
 *
 * Example: `(await exportInventory(deps, principal, id)).file.pipe(reply.raw)`.
 */
export async function exportInventory(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<{ name: string; file: Readable }> {
  requireCapability(principal, 'read', 'read the inventory');
  const db = deps.store.db;
  const engagement = await loadEngagement(db, principal.orgId, engagementId);
  async function* records() {
    let after = '';
    for (;;) {
      const rows = await db
        .selectFrom('inventory_items')
        .select(['id', ...INVENTORY_FIELDS])
        .where('org_id', '=', principal.orgId)
        .where('engagement_id', '=', engagement.id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const row of rows) yield INVENTORY_FIELDS.map((f) => row[f]);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.id;
    }
  }
  const file = csvFile(
    INVENTORY_FIELDS.map((f) => INVENTORY_HEADERS[f]),
    records(),
  );
  return { name: `inventory-${fileNameOf(engagement.name, 'engagement')}.csv`, file };
}
