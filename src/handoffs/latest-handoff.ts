import type { Db } from '../kernel/context.js';

/**
 * The engagement's most recent handoff that was not withdrawn, if any: whose playbook governs the
 * engagement's closeout, and whose receiving team (service, at the end of the journey) owns what
 * is left to look after once the project is over.
 *
 * Example: `const latest = await latestHandoffOf(db, orgId, engagementId)`.
 */
export async function latestHandoffOf(db: Db, orgId: string, engagementId: string) {
  return db
    .selectFrom('handoffs')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .where('state', '<>', 'withdrawn')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
