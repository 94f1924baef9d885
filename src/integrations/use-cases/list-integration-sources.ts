import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Page } from '../../kernel/http/schemas.js';
import { findSource, lastEventsOf, toSourceView } from '../integration-source-records.js';
import type { IntegrationSource } from '../integration-source-schema.js';

/** The organisation's inbound sources, oldest first, secrets masked. */
export async function listIntegrationSources(
  deps: Deps,
  principal: Principal,
): Promise<Page<IntegrationSource>> {
  requireCapability(principal, 'manage_identity', 'see integration sources');
  const rows = await deps.store.db
    .selectFrom('integration_sources')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const last = await lastEventsOf(
    deps.store.db,
    principal.orgId,
    rows.map((r) => r.id),
  );
  const items = rows.map((r) => toSourceView(r, last.get(r.id) ?? null));
  return { items, total: items.length };
}

/** One source, its secret masked. */
export async function getIntegrationSource(
  deps: Deps,
  principal: Principal,
  id: string,
): Promise<IntegrationSource> {
  requireCapability(principal, 'manage_identity', 'see integration sources');
  const row = await findSource(deps.store.db, principal.orgId, id);
  const last = await lastEventsOf(deps.store.db, principal.orgId, [row.id]);
  return toSourceView(row, last.get(row.id) ?? null);
}
