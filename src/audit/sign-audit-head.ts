import type { Kysely } from 'kysely';
import { dialectOf, lockRowsForWrite } from '../kernel/db/dialect.js';
import type { Database } from '../kernel/db/schema.js';
import { entryLeaf } from './domain/chain.js';
import { type CompactRange, rangeRoot } from './domain/merkle.js';
import { originOf, signHead } from './domain/signed-head.js';
import type { HeadSigningKey } from './head-keys.js';
import type { HeadPublisher } from './published-heads.js';
import { readSealedEntries } from './sealed-entries.js';

/**
 * Signs the organisation's tree head when it has grown since the last signed one, publishes it
 * with the leaves it adds (to the heads file, and to the witness's outbox in this transaction
 * when one is configured), then records it as published. Runs under the organisation's head lock
 * (skipping it when another process holds it), so heads are signed in order. Answers the size
 * signed, or null when there was nothing to sign or the head was busy.
 */
export async function signAuditHead(
  db: Kysely<Database>,
  orgId: string,
  now: Date,
  key: HeadSigningKey,
  publisher: HeadPublisher,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const org = await lockRowsForWrite(
      dialectOf(trx),
      trx
        .selectFrom('organisations')
        .select(['slug', 'audit_seq', 'audit_frontier', 'audit_signed_seq'])
        .where('id', '=', orgId),
      { skipLocked: true },
    ).executeTakeFirst();
    if (!org?.audit_frontier) return null;
    const size = Number(org.audit_seq);
    const signed = Number(org.audit_signed_seq);
    if (size <= signed) return null;
    const range = JSON.parse(org.audit_frontier) as CompactRange;
    if (range.size !== size) return null; // the sealer rebuilds the range first
    const entries = await readSealedEntries(trx, orgId, { afterSeq: signed });
    const note = signHead(
      { origin: originOf(orgId), size, root: rangeRoot(range) },
      key.name,
      key.privateKey,
      key.publicKey,
    );
    await publisher.publish(
      {
        org_id: orgId,
        org_slug: org.slug,
        first_seq: signed + 1,
        leaves: entries.map((e) => entryLeaf(e).toString('hex')),
        note,
      },
      { trx, now },
    );
    await trx
      .updateTable('organisations')
      .set({ audit_signed_seq: size, audit_signed_at: now.toISOString(), audit_signed_note: note })
      .where('id', '=', orgId)
      .execute();
    return size;
  });
}

/** Organisations whose log grew since their last signed head, signed at or before `before`. */
export async function organisationsToSign(db: Kysely<Database>, before: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('organisations')
    .select('id')
    .whereRef('audit_seq', '>', 'audit_signed_seq')
    .where((eb) =>
      eb.or([eb('audit_signed_at', 'is', null), eb('audit_signed_at', '<=', before.toISOString())]),
    )
    .execute();
  return rows.map((r) => r.id);
}
