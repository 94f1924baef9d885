import { checkRequiredText, loadEngagement } from '../../accounts/public.js';
import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { ScopeKind } from '../domain/scope-kind.js';
import type { ScopeItem } from '../scope-item-schema.js';
import { checkScopeKind, refuseDuplicate, toScopeItemView } from './scope-item-records.js';
import { carryingHandoffIssues } from './substance-records.js';

export interface AddScopeItemInput {
  kind: ScopeKind;
  description: string;
  /** The handoff that carried it, if any; it must be of the same engagement. */
  handoff_id?: string | null;
}

/** Lists a piece of work as in scope, or explicitly out of scope, of the engagement. */
export async function addScopeItem(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: AddScopeItemInput,
): Promise<ScopeItem> {
  requireCapability(principal, 'write_records', 'add scope items');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const errors: ErrorDetail[] = [
      ...checkScopeKind('/kind', input.kind),
      ...checkRequiredText('/description', input.description, 2000),
      ...(await carryingHandoffIssues(trx, principal.orgId, engagement.id, input.handoff_id)),
    ];
    if (errors.length) throw new AppError('validation_failed', 'The scope item is not valid.', errors);
    await refuseDuplicate(trx, principal.orgId, engagement.id, input.description);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      handoff_id: input.handoff_id ?? null,
      kind: input.kind,
      description: input.description.trim(),
      // Recorded by hand: submitting the handoff leaves it alone.
      from_packet: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('scope_items').values(row).execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'scope_item.recorded',
      entityType: 'scope_item',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: engagement.id,
      after: { kind: row.kind, description: row.description },
    });
    return toScopeItemView(row);
  });
}
