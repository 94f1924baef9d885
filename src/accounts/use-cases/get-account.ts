import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Account } from '../account-schema.js';
import { loadAccount, toAccountView } from './account-records.js';

/** One account of the caller's organisation. */
export async function getAccount(deps: Deps, principal: Principal, id: string): Promise<Account> {
  requireCapability(principal, 'read', 'read accounts');
  return toAccountView(await loadAccount(deps.store.db, principal.orgId, id));
}
