import { sql } from 'kysely';
import { canonicalJson } from '../kernel/canonical-json.js';
import type { Tx } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { type ChainedFields, entryHash } from './domain/chain.js';

/** Who did it: a user, or the system itself (CLI bootstrap, scheduler). */
export interface Actor {
  type: 'user' | 'system';
  id: string | null;
}

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId: string;
  handoffId?: string | null;
  engagementId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends one entry to the organisation's hash chain, inside the caller's transaction.
 * Bumping the organisation's sequence with UPDATE … RETURNING takes its row lock on PostgreSQL,
 * so concurrent writers of one organisation chain one after another.
 */
export async function appendAudit(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  event: AuditEvent,
): Promise<void> {
  const head = await trx
    .updateTable('organisations')
    .set({ audit_seq: sql`audit_seq + 1` })
    .where('id', '=', orgId)
    .returning(['audit_seq', 'audit_head'])
    .executeTakeFirstOrThrow();
  const fields: ChainedFields = {
    org_id: orgId,
    seq: Number(head.audit_seq),
    at: at.toISOString(),
    actor_type: actor.type,
    actor_id: actor.id,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    handoff_id: event.handoffId ?? null,
    engagement_id: event.engagementId ?? null,
    before: event.before == null ? null : canonicalJson(event.before),
    after: event.after == null ? null : canonicalJson(event.after),
  };
  const hash = entryHash(head.audit_head, fields);
  await trx
    .insertInto('audit_log')
    .values({ id: newId(), ...fields, prev_hash: head.audit_head, hash })
    .execute();
  await trx.updateTable('organisations').set({ audit_head: hash }).where('id', '=', orgId).execute();
}
