import type { Db } from '../kernel/context.js';
import { notFound } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import { kindSpec, type SourceKind } from './domain/inbound-kinds.js';
import type { SourceRow } from './inbound-sources.js';
import type { IntegrationSource } from './integration-source-schema.js';

/** Where a source's sender posts, by what it sends. */
export function inboundPathOf(row: Pick<SourceRow, 'id' | 'kind'>): string {
  const purpose = kindSpec(row.kind)?.purpose ?? 'crm';
  return `/api/v1/inbound/${purpose}/${row.id}`;
}

/** A source as the API shows it: never its secret. */
export function toSourceView(row: SourceRow, lastEventAt: string | null): IntegrationSource {
  const spec = kindSpec(row.kind);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as SourceKind,
    purpose: spec?.purpose ?? 'crm',
    inbound_path: inboundPathOf(row),
    config: JSON.parse(row.config) as Record<string, unknown>,
    enabled: Boolean(row.enabled),
    secret: {
      origin: spec?.secret ?? 'none',
      masked: row.secret_ciphertext ? '••••••••' : null,
      updated_at: row.secret_updated_at,
    },
    last_event_at: lastEventAt,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** A source of the organisation, or `not_found`. */
export async function findSource(db: Db, orgId: string, id: string): Promise<SourceRow> {
  const row = isId(id)
    ? await db
        .selectFrom('integration_sources')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('integration source', id);
  return row;
}

/** When each of the sources last heard from its sender. */
export async function lastEventsOf(db: Db, orgId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('inbound_events')
    .select(['source_id', (eb) => eb.fn.max('received_at').as('last')])
    .where('org_id', '=', orgId)
    .where('source_id', 'in', ids)
    .groupBy('source_id')
    .execute();
  return new Map(rows.map((r) => [r.source_id, String(r.last)]));
}
