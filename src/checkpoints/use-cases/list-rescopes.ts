import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { notFound } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';

export interface RescopeView {
  id: string;
  engagement_id: string;
  handoff_id: string;
  checkpoint_id: string;
  changes: { key: string; question: string; answer: string; note: string | null }[];
  status: string;
  created_by: string | null;
  created_at: string;
}

/** The re-scope records of an engagement, newest first. */
export async function listRescopes(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<RescopeView[]> {
  requireCapability(principal, 'read', 'list re-scope records');
  const db = deps.store.db;
  const engagement = isId(engagementId)
    ? await db
        .selectFrom('engagements')
        .select('id')
        .where('org_id', '=', principal.orgId)
        .where('id', '=', engagementId)
        .executeTakeFirst()
    : undefined;
  if (!engagement) throw notFound('engagement', engagementId);
  const rows = await db
    .selectFrom('rescopes')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagement.id)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    engagement_id: r.engagement_id,
    handoff_id: r.handoff_id,
    checkpoint_id: r.checkpoint_id,
    changes: JSON.parse(r.changes) as RescopeView['changes'],
    status: r.status,
    created_by: r.created_by,
    created_at: r.created_at,
  }));
}
