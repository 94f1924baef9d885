import { loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Page } from '../../kernel/http/schemas.js';
import type { EngagementMilestone } from '../integration-source-schema.js';

/** The milestones project and ticketing tools reported for an engagement, in the order reached. */
export async function listEngagementMilestones(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Page<EngagementMilestone>> {
  requireCapability(principal, 'read', 'read engagements');
  const engagement = await loadEngagement(deps.store.db, principal.orgId, engagementId);
  const rows = await deps.store.db
    .selectFrom('engagement_milestones')
    .select(['id', 'engagement_id', 'milestone', 'status', 'source_id', 'reached_at'])
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id)
    .orderBy('reached_at')
    .orderBy('id')
    .execute();
  return { items: rows, total: rows.length };
}
