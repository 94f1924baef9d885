import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Engagement } from '../engagement-schema.js';
import { toEngagementView } from './engagement-records.js';
import { recordsWithExternalId } from './external-id-records.js';

export interface EngagementFilter {
  account_id?: string;
  stage?: string;
  /** `me`, or a user id. */
  owner?: string;
  /** `system:id`, or an id in any system. */
  external_id?: string;
  limit?: number;
  offset?: number;
}

/** Engagements of the caller's organisation, newest first, filtered by account, stage and owner. */
export async function listEngagements(
  deps: Deps,
  principal: Principal,
  filter: EngagementFilter,
): Promise<{ items: Engagement[]; total: number }> {
  requireCapability(principal, 'read', 'list engagements');
  const db = deps.store.db;
  let q = db.selectFrom('engagements').where('org_id', '=', principal.orgId);
  if (filter.account_id !== undefined) q = q.where('account_id', '=', filter.account_id);
  if (filter.stage !== undefined) q = q.where('stage', '=', filter.stage);
  if (filter.owner !== undefined) {
    q = q.where('owner_user_id', '=', filter.owner === 'me' ? principal.userId : filter.owner);
  }
  if (filter.external_id !== undefined)
    q = q.where('id', 'in', recordsWithExternalId(db, principal.orgId, 'engagement', filter.external_id));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
  return { items: rows.map(toEngagementView), total: Number(total.n) };
}
