import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { Contact } from '../contact-schema.js';
import type { ContactRole } from '../domain/contact-role.js';
import {
  checkContactRole,
  checkEmail,
  checkExternalIds,
  checkOptionalText,
  checkRequiredText,
  normaliseEmail,
  normaliseExternalIds,
  optionalText,
} from '../domain/field-checks.js';
import { findAccount } from './account-records.js';
import { toContactView } from './contact-records.js';
import { storeExternalIds } from './external-id-records.js';

export interface CreateContactInput {
  account_id: string;
  name: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  role: ContactRole;
  /** Ids of the person in other systems, e.g. `{ "hubspot": "51" }`. */
  external_ids?: Record<string, string>;
}

/** Names a person at a client account and what they are to the deal (buyer, champion…). */
export async function createContact(
  deps: Deps,
  principal: Principal,
  input: CreateContactInput,
): Promise<Contact> {
  requireCapability(principal, 'write_records', 'add contacts');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const errors: ErrorDetail[] = [];
    const account = await findAccount(trx, principal.orgId, input.account_id);
    if (!account) errors.push({ path: '/account_id', message: 'no such account in this organisation' });
    errors.push(
      ...checkRequiredText('/name', input.name, 300),
      ...checkEmail('/email', input.email),
      ...checkOptionalText('/phone', input.phone, 50),
      ...checkOptionalText('/title', input.title, 200),
      ...checkContactRole('/role', input.role),
      ...checkExternalIds('/external_ids', input.external_ids),
    );
    if (errors.length || !account)
      throw new AppError('validation_failed', 'The contact is not valid.', errors);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      account_id: account.id,
      name: input.name.trim(),
      email: normaliseEmail(input.email),
      phone: optionalText(input.phone),
      title: optionalText(input.title),
      role: input.role,
      external_ids: JSON.stringify(normaliseExternalIds(input.external_ids)),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('contacts').values(row).execute();
    const view = toContactView(row);
    await storeExternalIds(
      trx,
      { orgId: principal.orgId, type: 'contact', id: row.id },
      view.external_ids,
      false,
    );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'contact.created',
      entityType: 'contact',
      entityId: row.id,
      after: {
        account_id: row.account_id,
        name: row.name,
        email: row.email,
        phone: row.phone,
        title: row.title,
        role: row.role,
        external_ids: view.external_ids,
      },
    });
    return view;
  });
}
