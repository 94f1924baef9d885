import type { Db } from '../../kernel/context.js';
import type { EngagementsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { Engagement } from '../engagement-schema.js';

export function toEngagementView(row: EngagementsTable): Engagement {
  return {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    stage: row.stage,
    owner_id: row.owner_user_id,
    external_ids: JSON.parse(row.external_ids) as Record<string, string>,
    contract_signed_at: row.contract_signed_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The engagement with this id in the organisation, or `not_found` (also for another org's id). */
export async function loadEngagement(db: Db, orgId: string, id: string): Promise<EngagementsTable> {
  const row = isId(id)
    ? await db
        .selectFrom('engagements')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No engagement ${id}.`);
  return row;
}

/** True when the id names an active user of the organisation (an engagement owner must be one). */
export async function isActiveUser(db: Db, orgId: string, id: string): Promise<boolean> {
  if (!isId(id)) return false;
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return user !== undefined;
}
