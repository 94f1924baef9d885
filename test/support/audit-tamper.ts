import { entryHash, entryLeaf } from '../../src/audit/domain/chain.js';
import { EMPTY_RANGE, extendRange } from '../../src/audit/domain/merkle.js';
import type { Store } from '../../src/kernel/db/dialect.js';

/**
 * What someone with write access to the database can do to an audit log without the chain
 * noticing: change entry `seq` and recompute every hash after it, and the stored head.
 */
export async function rewriteEntry(store: Store, orgId: string, seq: number, after: string): Promise<void> {
  const entries = await store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
  let prev = entries[seq - 2]?.hash ?? '0'.repeat(64);
  for (const e of entries.slice(seq - 1)) {
    const fields = { ...e, seq: Number(e.seq), after: Number(e.seq) === seq ? after : e.after };
    const hash = entryHash(prev, fields);
    await store.db
      .updateTable('audit_log')
      .set({ after: fields.after, prev_hash: prev, hash })
      .where('id', '=', e.id)
      .execute();
    prev = hash;
  }
  await store.db.updateTable('organisations').set({ audit_head: prev }).where('id', '=', orgId).execute();
}

/** …or delete the entries after `keep` and rewind the stored head (and Merkle range) to match. */
export async function truncateLog(store: Store, orgId: string, keep: number): Promise<void> {
  await store.db.deleteFrom('audit_log').where('org_id', '=', orgId).where('seq', '>', keep).execute();
  const kept = await store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq')
    .execute();
  await store.db
    .updateTable('organisations')
    .set({
      audit_seq: keep,
      audit_head: kept.at(-1)?.hash ?? '0'.repeat(64),
      audit_frontier: JSON.stringify(extendRange(EMPTY_RANGE, kept.map(entryLeaf))),
    })
    .where('id', '=', orgId)
    .execute();
}
