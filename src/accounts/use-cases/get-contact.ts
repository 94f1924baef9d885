import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Contact } from '../contact-schema.js';
import { loadContact, toContactView } from './contact-records.js';

/** One contact of the caller's organisation. */
export async function getContact(deps: Deps, principal: Principal, id: string): Promise<Contact> {
  requireCapability(principal, 'read', 'read contacts');
  return toContactView(await loadContact(deps.store.db, principal.orgId, id));
}
