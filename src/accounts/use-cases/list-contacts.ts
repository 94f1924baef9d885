import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Contact } from '../contact-schema.js';
import type { ContactRole } from '../domain/contact-role.js';
import { toContactView } from './contact-records.js';
import { recordsWithExternalId } from './external-id-records.js';

export interface ContactFilter {
  account_id?: string;
  role?: ContactRole;
  /** `system:id`, or an id in any system. */
  external_id?: string;
  limit?: number;
  offset?: number;
}

/** Contacts of the caller's organisation by name, optionally of one account or in one role. */
export async function listContacts(
  deps: Deps,
  principal: Principal,
  filter: ContactFilter,
): Promise<{ items: Contact[]; total: number }> {
  requireCapability(principal, 'read', 'list contacts');
  const db = deps.store.db;
  let q = db.selectFrom('contacts').where('org_id', '=', principal.orgId);
  if (filter.account_id !== undefined) q = q.where('account_id', '=', filter.account_id);
  if (filter.role !== undefined) q = q.where('role', '=', filter.role);
  if (filter.external_id !== undefined)
    q = q.where('id', 'in', recordsWithExternalId(db, principal.orgId, 'contact', filter.external_id));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
  return { items: rows.map(toContactView), total: Number(total.n) };
}
