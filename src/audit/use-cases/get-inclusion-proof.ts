import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { entryLeaf, entryMaterial } from '../domain/chain.js';
import type { InclusionProof } from '../domain/inclusion.js';
import { inclusionProof } from '../domain/merkle.js';
import { sealAuditLog } from '../seal-audit-log.js';
import { readSealedEntries } from '../sealed-entries.js';

/**
 * The inclusion proof of entry `seq` of the organisation's log against the latest signed head.
 * Refused with 409 while no signed head covers the entry yet (heads are signed every second or
 * so while a sealer runs with a key).
 */
export async function getInclusionProof(
  db: Kysely<Database>,
  orgId: string,
  seq: number,
  now: Date,
): Promise<InclusionProof> {
  await sealAuditLog(db, orgId, now);
  const org = await db
    .selectFrom('organisations')
    .select(['audit_seq', 'audit_signed_seq', 'audit_signed_note'])
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  if (!Number.isInteger(seq) || seq < 1 || seq > Number(org.audit_seq))
    throw new AppError('not_found', `No audit entry ${seq}: the log has ${org.audit_seq}.`);
  const size = Number(org.audit_signed_seq);
  if (!org.audit_signed_note || seq > size)
    throw new AppError(
      'conflict',
      size === 0
        ? 'No signed head covers this log yet: heads are signed by a sealer that has the signing key.'
        : `Entry ${seq} is not covered by a signed head yet (the latest covers ${size}); ask again in a moment.`,
    );
  const entries = await readSealedEntries(db, orgId, { toSeq: size });
  const leaves = entries.map(entryLeaf);
  const entry = entries[seq - 1]!;
  return {
    seq,
    entry_json: entryMaterial(entry),
    leaf_hash: leaves[seq - 1]!.toString('hex'),
    tree_size: size,
    proof: inclusionProof(leaves, seq - 1).map((h) => h.toString('hex')),
    signed_head: org.audit_signed_note,
  };
}
