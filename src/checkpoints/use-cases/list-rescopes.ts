import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { notFound } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { toRescopeView } from '../rescope-records.js';
import type { Rescope } from '../rescope-schema.js';

/** The re-scope records of an engagement, newest first. */
export async function listRescopes(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<Rescope[]> {
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
  return rows.map(toRescopeView);
}
