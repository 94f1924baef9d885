import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Account } from '../account-schema.js';
import {
  checkExternalIds,
  checkOptionalText,
  checkRequiredText,
  normaliseExternalIds,
  optionalText,
} from '../domain/field-checks.js';
import { toAccountView } from './account-records.js';
import { storeExternalIds } from './external-id-records.js';

export interface CreateAccountInput {
  name: string;
  external_ids?: Record<string, string>;
  notes?: string | null;
}

/** Records a client organisation: the account its contacts and engagements belong to. */
export async function createAccount(
  deps: Deps,
  principal: Principal,
  input: CreateAccountInput,
): Promise<Account> {
  requireCapability(principal, 'write_records', 'add accounts');
  const errors = [
    ...checkRequiredText('/name', input.name, 300),
    ...checkExternalIds('/external_ids', input.external_ids),
    ...checkOptionalText('/notes', input.notes, 10_000),
  ];
  if (errors.length) throw new AppError('validation_failed', 'The account is not valid.', errors);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = {
      id: newId(),
      org_id: principal.orgId,
      name: input.name.trim(),
      external_ids: JSON.stringify(normaliseExternalIds(input.external_ids)),
      notes: optionalText(input.notes),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('accounts').values(row).execute();
    const view = toAccountView(row);
    await storeExternalIds(
      trx,
      { orgId: principal.orgId, type: 'account', id: row.id },
      view.external_ids,
      false,
    );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'account.created',
      entityType: 'account',
      entityId: row.id,
      after: { name: view.name, external_ids: view.external_ids, notes: view.notes },
    });
    return view;
  });
}
