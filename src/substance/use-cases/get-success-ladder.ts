import { loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { SuccessLadder } from '../success-ladder-schema.js';
import { toSuccessLadderView } from './success-ladder-records.js';

/** The engagement's success ladder; every rung null while none has been recorded. */
export async function getSuccessLadder(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<SuccessLadder> {
  requireCapability(principal, 'read', 'read success ladders');
  const db = deps.store.db;
  const engagement = await loadEngagement(db, principal.orgId, engagementId);
  const row = await db
    .selectFrom('success_ladders')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id)
    .executeTakeFirst();
  return toSuccessLadderView(engagement.id, row);
}
