import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { Contact } from '../contact-schema.js';
import { changedValues } from '../domain/changes.js';
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
import { loadContact, toContactView } from './contact-records.js';
import { storeExternalIds } from './external-id-records.js';

export interface UpdateContactInput {
  name?: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  role?: ContactRole;
  /** Replaces the whole map of external ids. */
  external_ids?: Record<string, string>;
}

/** Corrects a contact's name, ways to reach them, title or role; null clears an optional field. */
export async function updateContact(
  deps: Deps,
  principal: Principal,
  id: string,
  input: UpdateContactInput,
): Promise<Contact> {
  requireCapability(principal, 'write_records', 'change contacts');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadContact(trx, principal.orgId, id);
    const errors: ErrorDetail[] = [
      ...(input.name !== undefined ? checkRequiredText('/name', input.name, 300) : []),
      ...checkEmail('/email', input.email),
      ...checkOptionalText('/phone', input.phone, 50),
      ...checkOptionalText('/title', input.title, 200),
      ...(input.role !== undefined ? checkContactRole('/role', input.role) : []),
      ...checkExternalIds('/external_ids', input.external_ids),
    ];
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const fields = (c: Contact) => ({
      name: c.name,
      email: c.email,
      phone: c.phone,
      title: c.title,
      role: c.role,
      external_ids: c.external_ids,
    });
    const before = toContactView(row);
    const after = {
      ...fields(before),
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.email !== undefined ? { email: normaliseEmail(input.email) } : {}),
      ...(input.phone !== undefined ? { phone: optionalText(input.phone) } : {}),
      ...(input.title !== undefined ? { title: optionalText(input.title) } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.external_ids !== undefined ? { external_ids: normaliseExternalIds(input.external_ids) } : {}),
    };
    const diff = changedValues(fields(before), after);
    if (!diff.changed) return before;
    const updated = await trx
      .updateTable('contacts')
      .set({ ...after, external_ids: JSON.stringify(after.external_ids), updated_at: now.toISOString() })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if ('external_ids' in diff.after)
      await storeExternalIds(
        trx,
        { orgId: principal.orgId, type: 'contact', id: row.id },
        after.external_ids,
        true,
      );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'contact.updated',
      entityType: 'contact',
      entityId: row.id,
      before: diff.before,
      after: diff.after,
    });
    return toContactView(updated);
  });
}
