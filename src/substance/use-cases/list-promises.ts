import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { PromiseStatus } from '../domain/promise-status.js';
import type { PromiseRecord } from '../promise-schema.js';
import { toPromiseView } from './promise-records.js';
import { ownerFilter, type SubstanceOf } from './substance-records.js';

/** The promise register of an engagement, or the promises one handoff carried, oldest first. */
export async function listPromises(
  deps: Deps,
  principal: Principal,
  of: SubstanceOf,
  filter: { status?: PromiseStatus } = {},
): Promise<{ items: PromiseRecord[]; total: number }> {
  requireCapability(principal, 'read', 'list promises');
  const db = deps.store.db;
  const owner = await ownerFilter(db, principal.orgId, of);
  let q = db
    .selectFrom('promises')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where(owner.column, '=', owner.id);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return { items: rows.map(toPromiseView), total: rows.length };
}
