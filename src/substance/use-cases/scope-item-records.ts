import type { Db } from '../../kernel/context.js';
import type { ScopeItemsTable } from '../../kernel/db/schema.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { isScopeKind, SCOPE_KINDS, type ScopeKind, sameDescription } from '../domain/scope-kind.js';
import type { ScopeItem } from '../scope-item-schema.js';

export function toScopeItemView(row: ScopeItemsTable): ScopeItem {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    handoff_id: row.handoff_id,
    kind: row.kind as ScopeKind,
    description: row.description,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The scope item with this id in the organisation, or `not_found` (also for another org's id). */
export async function loadScopeItem(db: Db, orgId: string, id: string): Promise<ScopeItemsTable> {
  const row = isId(id)
    ? await db
        .selectFrom('scope_items')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No scope item ${id}.`);
  return row;
}

export function checkScopeKind(path: string, value: unknown): ErrorDetail[] {
  if (typeof value === 'string' && isScopeKind(value)) return [];
  return [{ path, message: `must be one of ${SCOPE_KINDS.join(', ')}` }];
}

/**
 * Refuses a description the engagement already lists, in or out of scope: a duplicate is noise,
 * and the same work both in and out of scope is a contradiction someone must resolve.
 */
export async function refuseDuplicate(
  db: Db,
  orgId: string,
  engagementId: string,
  description: string,
  exceptId?: string,
): Promise<void> {
  const items = await db
    .selectFrom('scope_items')
    .select(['id', 'kind', 'description'])
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .execute();
  const twin = items.find((i) => i.id !== exceptId && sameDescription(i.description, description));
  if (twin) {
    throw new AppError(
      'conflict',
      `The engagement already lists "${twin.description}" as ${twin.kind} of scope.`,
      [{ path: '/description', message: `already listed as ${twin.kind} of scope (scope item ${twin.id})` }],
    );
  }
}
