import { sql } from 'kysely';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Account } from '../account-schema.js';
import { toAccountView } from './account-records.js';
import { recordsWithExternalId } from './external-id-records.js';

export interface AccountFilter {
  /** Part of the name, any case. */
  q?: string;
  /** `system:id`, or an id in any system. */
  external_id?: string;
  limit?: number;
  offset?: number;
}

/** `%` and `_` are LIKE wildcards; a search for "50%" means the characters. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Accounts of the caller's organisation by name, optionally those whose name contains `q`. */
export async function listAccounts(
  deps: Deps,
  principal: Principal,
  filter: AccountFilter,
): Promise<{ items: Account[]; total: number }> {
  requireCapability(principal, 'read', 'list accounts');
  const db = deps.store.db;
  let q = db.selectFrom('accounts').where('org_id', '=', principal.orgId);
  const search = filter.q?.trim();
  if (search) q = q.where(sql<boolean>`lower(name) like ${likePattern(search)} escape '\\'`);
  if (filter.external_id !== undefined)
    q = q.where('id', 'in', recordsWithExternalId(db, principal.orgId, 'account', filter.external_id));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
  return { items: rows.map(toAccountView), total: Number(total.n) };
}
