import { changedValues, checkRequiredText } from '../../accounts/public.js';
import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { ScopeKind } from '../domain/scope-kind.js';
import type { ScopeItem } from '../scope-item-schema.js';
import { checkScopeKind, loadScopeItem, refuseDuplicate, toScopeItemView } from './scope-item-records.js';

export interface UpdateScopeItemInput {
  kind?: ScopeKind;
  description?: string;
}

/** Rewords a scope item, or moves it in or out of scope. */
export async function updateScopeItem(
  deps: Deps,
  principal: Principal,
  id: string,
  input: UpdateScopeItemInput,
): Promise<ScopeItem> {
  requireCapability(principal, 'write_records', 'change scope items');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadScopeItem(trx, principal.orgId, id);
    const errors: ErrorDetail[] = [
      ...(input.kind !== undefined ? checkScopeKind('/kind', input.kind) : []),
      ...(input.description !== undefined ? checkRequiredText('/description', input.description, 2000) : []),
    ];
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const before = { kind: row.kind as ScopeKind, description: row.description };
    const after = {
      kind: input.kind ?? before.kind,
      description: input.description?.trim() ?? before.description,
    };
    const diff = changedValues(before, after);
    if (!diff.changed) return toScopeItemView(row);
    if (after.description !== before.description) {
      await refuseDuplicate(trx, principal.orgId, row.engagement_id, after.description, row.id);
    }
    const updated = await trx
      .updateTable('scope_items')
      .set({ ...after, updated_at: now.toISOString() })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'scope_item.updated',
      entityType: 'scope_item',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: diff.before,
      after: diff.after,
    });
    return toScopeItemView(updated);
  });
}
