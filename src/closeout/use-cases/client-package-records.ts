import type { Db } from '../../kernel/context.js';
import type { InventoryItemsTable, TrainingRecordsTable, WarrantiesTable } from '../../kernel/db/schema.js';

/**
 * The closeout records the client sees in the package they sign off: what was installed, what is
 * covered until when, and who of their operators was trained on what. (The vault is never among
 * them; the punch list and the debrief are the team's.)
 */
export async function clientPackageRecordsOf(
  db: Db,
  orgId: string,
  engagementId: string,
): Promise<{
  inventory: InventoryItemsTable[];
  warranties: WarrantiesTable[];
  training: TrainingRecordsTable[];
}> {
  const [inventory, warranties, training] = await Promise.all([
    db
      .selectFrom('inventory_items')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('warranties')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .orderBy('expires_on')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('training_records')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .orderBy('trained_on')
      .orderBy('id')
      .execute(),
  ]);
  return { inventory, warranties, training };
}
