import type { Db } from '../../kernel/context.js';
import type { AccountsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { Account } from '../account-schema.js';

export function toAccountView(row: AccountsTable): Account {
  return {
    id: row.id,
    name: row.name,
    external_ids: JSON.parse(row.external_ids) as Record<string, string>,
    notes: row.notes,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The account with this id in the organisation, or undefined (also for a malformed id). */
export async function findAccount(db: Db, orgId: string, id: string): Promise<AccountsTable | undefined> {
  if (!isId(id)) return undefined;
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The account with this id in the organisation, or `not_found` (also for another org's id). */
export async function loadAccount(db: Db, orgId: string, id: string): Promise<AccountsTable> {
  const row = await findAccount(db, orgId, id);
  if (!row) throw new AppError('not_found', `No account ${id}.`);
  return row;
}
