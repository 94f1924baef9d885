import { listAuditEntries } from '../../audit/use-cases/list-audit-entries.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { notFound } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { EngagementTimeline } from '../timeline-schema.js';
import { listHandoffs } from './list-handoffs.js';

/** Every handoff of one engagement across the journey, oldest first, and every audit event it left. */
export async function getEngagementTimeline(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<EngagementTimeline> {
  const row = isId(engagementId)
    ? await deps.store.db
        .selectFrom('engagements')
        .innerJoin('accounts', 'accounts.id', 'engagements.account_id')
        .select([
          'engagements.id',
          'engagements.name',
          'engagements.stage',
          'accounts.id as account_id',
          'accounts.name as account_name',
        ])
        .where('engagements.org_id', '=', principal.orgId)
        .where('engagements.id', '=', engagementId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('engagement', engagementId);
  const handoffs = await listHandoffs(deps, principal, { engagement_id: row.id, limit: 200 });
  const events = await listAuditEntries(deps, principal, { engagementId: row.id, limit: 2000 });
  return {
    engagement: {
      id: row.id,
      name: row.name,
      stage: row.stage,
      account: { id: row.account_id, name: row.account_name },
    },
    handoffs: [...handoffs.items].sort((a, b) => a.created_at.localeCompare(b.created_at)),
    events,
  };
}
