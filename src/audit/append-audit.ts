import type { Actor } from '../kernel/actor.js';
import { insertRows } from '../kernel/batch-writes.js';
import { canonicalJson } from '../kernel/canonical-json.js';
import { onBeforeCommit, type Tx } from '../kernel/context.js';
import { newId } from '../kernel/ids.js';
import type { AuditEntry } from './audit-entry.js';

/** What the writer needs of any entry: the stored form does not depend on the action. */
interface StoredEntry {
  action: string;
  entityType: string;
  entityId: string;
  handoffId?: string | null;
  engagementId?: string | null;
  before?: unknown;
  after?: unknown;
}

const pending = new WeakMap<Tx, { orgId: string; actor: Actor; at: Date; event: StoredEntry }[]>();

/**
 * Appends one entry to the organisation's audit log, inside the caller's transaction.
 *
 * The entry is written as pending, with no sequence number and no hash yet, and without any
 * organisation-wide lock: a transaction's entries are inserted together just before it commits,
 * and the sealer (seal-audit-log.ts) chains them after the commit, in the order it sees them
 * committed. So concurrent writers of one organisation never wait for each other here.
 * The entry's type is checked against its action's declaration (`audit-entry.ts`); how it is
 * stored (columns, canonical JSON) is the same for every action.
 *
 * @example
 *   await appendAudit(trx, orgId, actor, now, {
 *     action: 'promise.removed', entityType: 'promise', entityId: id, before: { text } });
 */
export async function appendAudit(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  event: AuditEntry,
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
  await writeEntries(trx, entries);
}

async function writeEntries(
  trx: Tx,
  entries: { orgId: string; actor: Actor; at: Date; event: StoredEntry }[],
): Promise<void> {
  if (entries.length === 0) return;
  await insertRows(
    trx,
    'audit_pending',
    entries.map(({ orgId, actor, at, event }) => ({
      id: newId(),
      org_id: orgId,
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
    })),
  );
}
