import { HANDOFF_STATES, type HandoffState } from '../../handoffs/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { EngagementDetail } from '../engagement-schema.js';
import { loadEngagement, toEngagementView } from './engagement-records.js';

/** One engagement of the caller's organisation, with the count of its handoffs by state. */
export async function getEngagement(deps: Deps, principal: Principal, id: string): Promise<EngagementDetail> {
  requireCapability(principal, 'read', 'read engagements');
  const db = deps.store.db;
  const row = await loadEngagement(db, principal.orgId, id);
  const counts = await db
    .selectFrom('handoffs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', row.id)
    .groupBy('state')
    .execute();
  const byState = Object.fromEntries(HANDOFF_STATES.map((s) => [s, 0])) as Record<HandoffState, number>;
  let total = 0;
  for (const c of counts) {
    byState[c.state as HandoffState] = Number(c.n);
    total += Number(c.n);
  }
  return { ...toEngagementView(row), handoffs: { total, by_state: byState } };
}
