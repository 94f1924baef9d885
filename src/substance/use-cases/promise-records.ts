import type { Db } from '../../kernel/context.js';
import type { PromisesTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { PromiseStatus } from '../domain/promise-status.js';
import type { PromiseRecord } from '../promise-schema.js';

export function toPromiseView(row: PromisesTable): PromiseRecord {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    handoff_id: row.handoff_id,
    text: row.text,
    made_by: row.made_by,
    in_contract: Number(row.in_contract) === 1,
    status: row.status as PromiseStatus,
    status_note: row.status_note,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The promise with this id in the organisation, or `not_found` (also for another org's id). */
export async function loadPromise(db: Db, orgId: string, id: string): Promise<PromisesTable> {
  const row = isId(id)
    ? await db
        .selectFrom('promises')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No promise ${id}.`);
  return row;
}
