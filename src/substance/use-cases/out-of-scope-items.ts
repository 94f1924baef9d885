import type { Db } from '../../kernel/context.js';

/**
 * The engagement's explicit out-of-scope items, with their ids, oldest first: what a change order
 * links the out-of-scope work it logs to (an unknown engagement reads as none).
 *
 * @example
 *   const items = await outOfScopeItemsOf(db, orgId, engagementId); // [{ id, description }]
 */
export async function outOfScopeItemsOf(
  db: Db,
  orgId: string,
  engagementId: string,
): Promise<{ id: string; description: string }[]> {
  return db
    .selectFrom('scope_items')
    .select(['id', 'description'])
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .where('kind', '=', 'out')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
