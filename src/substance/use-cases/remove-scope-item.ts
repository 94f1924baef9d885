import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { loadScopeItem } from './scope-item-records.js';

/** Removes a scope item; the audit log keeps what it said. */
export async function removeScopeItem(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireCapability(principal, 'write_records', 'remove scope items');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const row = await loadScopeItem(trx, principal.orgId, id);
    await trx
      .deleteFrom('scope_items')
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'scope_item.removed',
      entityType: 'scope_item',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: { kind: row.kind, description: row.description },
    });
  });
}
