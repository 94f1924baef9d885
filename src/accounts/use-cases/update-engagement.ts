import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { changedValues } from '../domain/changes.js';
import {
  checkExternalIds,
  checkInstant,
  checkOptionalText,
  checkRequiredText,
  normaliseExternalIds,
  normaliseInstant,
  optionalText,
} from '../domain/field-checks.js';
import type { Engagement } from '../engagement-schema.js';
import { isActiveUser, loadEngagement, toEngagementView } from './engagement-records.js';
import { storeExternalIds } from './external-id-records.js';

export interface UpdateEngagementInput {
  name?: string;
  stage?: string | null;
  owner_id?: string | null;
  /** Replaces the whole map of external ids. */
  external_ids?: Record<string, string>;
  contract_signed_at?: string | null;
}

/** Renames an engagement or changes its stage, owner, external ids or signing date; null clears. */
export async function updateEngagement(
  deps: Deps,
  principal: Principal,
  id: string,
  input: UpdateEngagementInput,
): Promise<Engagement> {
  requireCapability(principal, 'write_records', 'change engagements');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadEngagement(trx, principal.orgId, id);
    const errors: ErrorDetail[] = [
      ...(input.name !== undefined ? checkRequiredText('/name', input.name, 300) : []),
      ...checkOptionalText('/stage', input.stage, 100),
      ...checkExternalIds('/external_ids', input.external_ids),
      ...checkInstant('/contract_signed_at', input.contract_signed_at),
    ];
    if (input.owner_id && !(await isActiveUser(trx, principal.orgId, input.owner_id))) {
      errors.push({ path: '/owner_id', message: 'no such user in this organisation' });
    }
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const fields = (e: Engagement) => ({
      name: e.name,
      stage: e.stage,
      owner_id: e.owner_id,
      external_ids: e.external_ids,
      contract_signed_at: e.contract_signed_at,
    });
    const before = toEngagementView(row);
    const after = {
      ...fields(before),
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.stage !== undefined ? { stage: optionalText(input.stage) } : {}),
      ...(input.owner_id !== undefined ? { owner_id: input.owner_id || null } : {}),
      ...(input.external_ids !== undefined ? { external_ids: normaliseExternalIds(input.external_ids) } : {}),
      ...(input.contract_signed_at !== undefined
        ? { contract_signed_at: normaliseInstant(input.contract_signed_at) }
        : {}),
    };
    const diff = changedValues(fields(before), after);
    if (!diff.changed) return before;
    const updated = await trx
      .updateTable('engagements')
      .set({
        name: after.name,
        stage: after.stage,
        owner_user_id: after.owner_id,
        external_ids: JSON.stringify(after.external_ids),
        contract_signed_at: after.contract_signed_at,
        updated_at: now.toISOString(),
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if ('external_ids' in diff.after)
      await storeExternalIds(
        trx,
        { orgId: principal.orgId, type: 'engagement', id: row.id },
        after.external_ids,
        true,
      );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'engagement.updated',
      entityType: 'engagement',
      entityId: row.id,
      engagementId: row.id,
      before: diff.before,
      after: diff.after,
    });
    return toEngagementView(updated);
  });
}
