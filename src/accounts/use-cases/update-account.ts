import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { Account } from '../account-schema.js';
import { changedValues } from '../domain/changes.js';
import {
  checkExternalIds,
  checkOptionalText,
  checkRequiredText,
  normaliseExternalIds,
  optionalText,
} from '../domain/field-checks.js';
import { loadAccount, toAccountView } from './account-records.js';
import { storeExternalIds } from './external-id-records.js';

export interface UpdateAccountInput {
  name?: string;
  /** Replaces the whole map of external ids. */
  external_ids?: Record<string, string>;
  notes?: string | null;
}

/** Renames an account, or replaces its external ids or notes. */
export async function updateAccount(
  deps: Deps,
  principal: Principal,
  id: string,
  input: UpdateAccountInput,
): Promise<Account> {
  requireCapability(principal, 'write_records', 'change accounts');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadAccount(trx, principal.orgId, id);
    const errors: ErrorDetail[] = [
      ...(input.name !== undefined ? checkRequiredText('/name', input.name, 300) : []),
      ...checkExternalIds('/external_ids', input.external_ids),
      ...checkOptionalText('/notes', input.notes, 10_000),
    ];
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const before = toAccountView(row);
    const after: Account = {
      ...before,
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.external_ids !== undefined ? { external_ids: normaliseExternalIds(input.external_ids) } : {}),
      ...(input.notes !== undefined ? { notes: optionalText(input.notes) } : {}),
    };
    const diff = changedValues(
      { name: before.name, external_ids: before.external_ids, notes: before.notes },
      { name: after.name, external_ids: after.external_ids, notes: after.notes },
    );
    if (!diff.changed) return before;
    const updated = await trx
      .updateTable('accounts')
      .set({
        name: after.name,
        external_ids: JSON.stringify(after.external_ids),
        notes: after.notes,
        updated_at: now.toISOString(),
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if ('external_ids' in diff.after)
      await storeExternalIds(
        trx,
        { orgId: principal.orgId, type: 'account', id: row.id },
        after.external_ids,
        true,
      );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'account.updated',
      entityType: 'account',
      entityId: row.id,
      before: diff.before,
      after: diff.after,
    });
    return toAccountView(updated);
  });
}
