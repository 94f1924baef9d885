import type { Db } from '../../kernel/context.js';
import type { ContactsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { Contact } from '../contact-schema.js';
import type { ContactRole } from '../domain/contact-role.js';

export function toContactView(row: ContactsTable): Contact {
  return {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    role: row.role as ContactRole,
    external_ids: JSON.parse(row.external_ids) as Record<string, string>,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The contact with this id in the organisation, or `not_found` (also for another org's id). */
export async function loadContact(db: Db, orgId: string, id: string): Promise<ContactsTable> {
  const row = isId(id)
    ? await db
        .selectFrom('contacts')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No contact ${id}.`);
  return row;
}
