import { createHash } from 'node:crypto';
import { canonicalJson } from '../../kernel/canonical-json.js';

/** The hash before an organisation's first audit entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that its hash covers, exactly as stored. */
export interface ChainedFields {
  org_id: string;
  seq: number;
  at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  handoff_id: string | null;
  engagement_id: string | null;
  before: string | null;
  after: string | null;
}

/** sha256(prev_hash ‖ canonical JSON of the entry's fields). */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  const material = canonicalJson({
    org_id: fields.org_id,
    seq: Number(fields.seq),
    at: fields.at,
    actor_type: fields.actor_type,
    actor_id: fields.actor_id,
    action: fields.action,
    entity_type: fields.entity_type,
    entity_id: fields.entity_id,
    handoff_id: fields.handoff_id,
    engagement_id: fields.engagement_id,
    before: fields.before,
    after: fields.after,
  });
  return createHash('sha256').update(prevHash).update('\n').update(material).digest('hex');
}

export interface ChainBreak {
  seq: number;
  id: string | null;
  reason: string;
}

/**
 * Walks entries in sequence order and answers the first that does not match, or null.
 * `head` is the organisation's recorded latest hash, which catches entries cut off the end.
 */
export function findChainBreak(
  entries: Iterable<ChainedFields & { id: string; prev_hash: string; hash: string }>,
  head: { seq: number; hash: string },
): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    const seq = Number(entry.seq);
    if (seq !== expectedSeq) {
      return { seq: expectedSeq, id: null, reason: `entry ${expectedSeq} is missing (next found is ${seq})` };
    }
    if (entry.prev_hash !== prev) {
      return { seq, id: entry.id, reason: 'prev_hash does not match the hash of the entry before it' };
    }
    const computed = entryHash(prev, entry);
    if (computed !== entry.hash) {
      return { seq, id: entry.id, reason: 'content does not match its hash (the entry was altered)' };
    }
    prev = entry.hash;
    expectedSeq += 1;
  }
  if (expectedSeq - 1 !== Number(head.seq)) {
    return {
      seq: expectedSeq,
      id: null,
      reason: `the log ends at entry ${expectedSeq - 1} but the organisation recorded ${head.seq}`,
    };
  }
  if (prev !== head.hash) {
    return { seq: expectedSeq - 1, id: null, reason: 'the last entry does not match the recorded head' };
  }
  return null;
}
