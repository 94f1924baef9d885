import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { InboundEventsTable } from '../../kernel/db/schema.js';
import { notFound } from '../../kernel/errors.js';
import type { Page } from '../../kernel/http/schemas.js';
import { isId } from '../../kernel/ids.js';
import { findSource } from '../integration-source-records.js';
import type { InboundEvent } from '../integration-source-schema.js';

function toEventView(row: InboundEventsTable): InboundEvent {
  return {
    id: row.id,
    source_id: row.source_id,
    external_id: row.external_id,
    received_at: row.received_at,
    outcome: row.outcome as InboundEvent['outcome'],
    summary: row.summary,
    problems: JSON.parse(row.problems),
    result: JSON.parse(row.result),
    handoff_id: row.handoff_id,
  };
}

/** The events a source sent, newest first (at most `limit`), each with why it was refused or what was left out. */
export async function listInboundEvents(
  deps: Deps,
  principal: Principal,
  sourceId: string,
  limit = 50,
): Promise<Page<InboundEvent>> {
  requireCapability(principal, 'manage_identity', 'see integration source events');
  await findSource(deps.store.db, principal.orgId, sourceId);
  const rows = await deps.store.db
    .selectFrom('inbound_events')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('source_id', '=', sourceId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return { items: rows.map(toEventView), total: rows.length };
}

/**
 * What the inbound event that opened a draft handoff could not fill: its values left out, the
 * values no mapping takes. Anyone who may read the handoff may read them.
 */
export async function listDraftInboundNotes(
  deps: Deps,
  principal: Principal,
  handoffId: string,
): Promise<Page<InboundEvent>> {
  requireCapability(principal, 'read', 'read handoffs');
  const handoff = isId(handoffId)
    ? await deps.store.db
        .selectFrom('handoffs')
        .select('id')
        .where('org_id', '=', principal.orgId)
        .where('id', '=', handoffId)
        .executeTakeFirst()
    : undefined;
  if (!handoff) throw notFound('handoff', handoffId);
  const rows = await deps.store.db
    .selectFrom('inbound_events')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('handoff_id', '=', handoff.id)
    .orderBy('received_at')
    .execute();
  return { items: rows.map(toEventView), total: rows.length };
}
