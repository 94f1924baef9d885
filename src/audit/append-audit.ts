import { sql } from 'kysely';
import { insertRows } from '../kernel/batch-writes.js';
import { canonicalJson } from '../kernel/canonical-json.js';
import { onBeforeCommit, type Tx } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import { preparedQuery } from '../kernel/prepared-query.js';
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

const pending = new WeakMap<Tx, { orgId: string; actor: Actor; at: Date; event: AuditEvent }[]>();

/**
 * Appends one entry to the organisation's hash chain, inside the caller's transaction.
 *
 * Entries are chained at the end of the transaction, just before it commits: one
 * UPDATE … RETURNING takes the organisation's row lock on PostgreSQL (so concurrent writers of
 * one organisation chain one after another) and reserves the sequence numbers of every entry
 * at once. Taking that lock only at the last few statements lets the rest of concurrent
 * transactions run in parallel; it is still held until COMMIT is on disk, so one organisation's
 * writers commit one after another.
 */
export async function appendAudit(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  event: AuditEvent,
): Promise<void> {
  const entry = { orgId, actor, at, event };
  const queued = pending.get(trx);
  if (queued) {
    queued.push(entry);
    return;
  }
  if (onBeforeCommit(trx, 'audit', flushAudit)) {
    pending.set(trx, [entry]);
    return;
  }
  await writeEntries(trx, [entry]);
}

async function flushAudit(trx: Tx): Promise<void> {
  const entries = pending.get(trx) ?? [];
  pending.delete(trx);
  const orgs = [...new Set(entries.map((e) => e.orgId))];
  for (const org of orgs)
    await writeEntries(
      trx,
      entries.filter((e) => e.orgId === org),
    );
}

async function writeEntries(
  trx: Tx,
  entries: { orgId: string; actor: Actor; at: Date; event: AuditEvent }[],
): Promise<void> {
  if (entries.length === 0) return;
  const orgId = entries[0]!.orgId;
  const head = await reserveSeqs.firstOrThrow(trx, { orgId, count: entries.length });
  let seq = Number(head.audit_seq) - entries.length;
  let prev = head.audit_head;
  const rows = [];
  for (const { actor, at, event } of entries) {
    seq += 1;
    const fields: ChainedFields = {
      org_id: orgId,
      seq,
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
    const hash = entryHash(prev, fields);
    rows.push({ id: newId(), ...fields, prev_hash: prev, hash });
    prev = hash;
  }
  await insertRows(trx, 'audit_log', rows);
  await setHead.rows(trx, { orgId, head: prev });
}

/** Reserves the sequence numbers of `count` entries; takes the organisation's row lock on PostgreSQL. */
const reserveSeqs = preparedQuery((db, v: { orgId: string; count: number }) =>
  db
    .updateTable('organisations')
    .set({ audit_seq: sql`audit_seq + ${v.count}` })
    .where('id', '=', v.orgId)
    .returning(['audit_seq', 'audit_head']),
);

const setHead = preparedQuery((db, v: { orgId: string; head: string }) =>
  db.updateTable('organisations').set({ audit_head: v.head }).where('id', '=', v.orgId),
);
