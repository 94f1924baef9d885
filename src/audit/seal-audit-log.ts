import type { Kysely } from 'kysely';
import { deleteRowsById, insertRows } from '../kernel/batch-writes.js';
import { dialectOf, lockRowsForWrite } from '../kernel/db/dialect.js';
import type { AuditLogTable, Database } from '../kernel/db/schema.js';
import { type ChainedFields, entryHash, entryLeaf } from './domain/chain.js';
import { type CompactRange, EMPTY_RANGE, extendRange } from './domain/merkle.js';
import { readSealedEntries } from './sealed-entries.js';

/** Pending entries chained per transaction: enough to keep up, small enough to hold the head briefly. */
const BATCH = 2000;

export interface SealResult {
  /** Entries chained by this call. */
  sealed: number;
  /** True when another sealer held the organisation's head and `wait` was false: nothing was done. */
  busy: boolean;
}

/**
 * Chains the organisation's pending audit entries, in the order this transaction sees them
 * committed (id order within what is visible), after the last sealed entry: each gets the next
 * sequence number, its chain hash and its Merkle leaf (into the head's compact range). One
 * sealer per organisation at a time, across processes: the organisation's head row is locked
 * (PostgreSQL FOR NO KEY UPDATE, so writers inserting rows that reference the organisation never
 * wait). With `wait: false` a sealer that finds the head taken leaves the work to its holder.
 */
export async function sealAuditLog(
  db: Kysely<Database>,
  orgId: string,
  now: Date,
  options: { wait?: boolean } = {},
): Promise<SealResult> {
  let sealed = 0;
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      const head = await lockRowsForWrite(
        dialectOf(trx),
        trx
          .selectFrom('organisations')
          .select(['audit_seq', 'audit_head', 'audit_frontier'])
          .where('id', '=', orgId),
        { skipLocked: options.wait === false },
      ).executeTakeFirst();
      if (!head) return null;
      const pending = await trx
        .selectFrom('audit_pending')
        .selectAll()
        .where('org_id', '=', orgId)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (pending.length === 0) return 0;
      let range: CompactRange = head.audit_frontier
        ? (JSON.parse(head.audit_frontier) as CompactRange)
        : EMPTY_RANGE;
      if (range.size !== Number(head.audit_seq)) range = await rebuildRange(trx, orgId);
      let seq = Number(head.audit_seq);
      let prev = head.audit_head;
      const sealedAt = now.toISOString();
      const rows: AuditLogTable[] = [];
      const leaves: Buffer[] = [];
      for (const p of pending) {
        seq += 1;
        const fields: ChainedFields = {
          org_id: orgId,
          seq,
          at: p.at,
          actor_type: p.actor_type,
          actor_id: p.actor_id,
          action: p.action,
          entity_type: p.entity_type,
          entity_id: p.entity_id,
          handoff_id: p.handoff_id,
          engagement_id: p.engagement_id,
          before: p.before,
          after: p.after,
        };
        const hash = entryHash(prev, fields);
        rows.push({ id: p.id, ...fields, prev_hash: prev, hash, sealed_at: sealedAt });
        leaves.push(entryLeaf(fields));
        prev = hash;
      }
      range = extendRange(range, leaves);
      await insertRows(trx, 'audit_log', rows);
      await deleteRowsById(
        trx,
        'audit_pending',
        pending.map((p) => p.id),
      );
      await trx
        .updateTable('organisations')
        .set({ audit_seq: seq, audit_head: prev, audit_frontier: JSON.stringify(range) })
        .where('id', '=', orgId)
        .execute();
      return pending.length;
    });
    if (batch === null) return { sealed, busy: true };
    sealed += batch;
    if (batch < BATCH) return { sealed, busy: false };
  }
}

/** The compact range of every entry sealed so far, read once for a log chained before ranges were kept. */
async function rebuildRange(db: Kysely<Database>, orgId: string): Promise<CompactRange> {
  return extendRange(EMPTY_RANGE, (await readSealedEntries(db, orgId)).map(entryLeaf));
}

/** The organisations that have entries waiting to be sealed. */
export async function organisationsWithPendingAudit(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('audit_pending').select('org_id').distinct().execute();
  return rows.map((r) => r.org_id);
}
