import type { Db } from '../../kernel/context.js';
import type { PromisesTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { PromiseStatus } from '../domain/promise-status.js';

/** A commitment made to the client, as the promise register shows it. */
export interface PromiseView {
  id: string;
  engagement_id: string;
  handoff_id: string | null;
  text: string;
  made_by: string;
  in_contract: boolean;
  status: PromiseStatus;
  status_note: string | null;
  created_at: string;
  updated_at: string;
}

export function toPromiseView(row: PromisesTable): PromiseView {
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
