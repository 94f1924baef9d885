import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { ScopeKind } from '../domain/scope-kind.js';
import type { ScopeItem } from '../scope-item-schema.js';
import { toScopeItemView } from './scope-item-records.js';
import { ownerFilter, type SubstanceOf } from './substance-records.js';

/** The scope of an engagement, or the scope items one handoff carried: in before out, oldest first. */
export async function listScopeItems(
  deps: Deps,
  principal: Principal,
  of: SubstanceOf,
  filter: { kind?: ScopeKind } = {},
): Promise<{ items: ScopeItem[]; total: number }> {
  requireCapability(principal, 'read', 'list scope items');
  const db = deps.store.db;
  const owner = await ownerFilter(db, principal.orgId, of);
  let q = db
    .selectFrom('scope_items')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where(owner.column, '=', owner.id);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  const rows = await q.orderBy('kind').orderBy('created_at').orderBy('id').execute();
  return { items: rows.map(toScopeItemView), total: rows.length };
}
