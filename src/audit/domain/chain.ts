import { hash } from 'node:crypto';
import { canonicalJson } from '../../kernel/canonical-json.js';
import { leafHash } from './merkle.js';

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

/** sha256(prev_hash ‖ "\n" ‖ canonical JSON of the entry's fields). */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  return hash('sha256', `${prevHash}\n${entryMaterial(fields)}`, 'hex');
}

/** The Merkle leaf of an entry: SHA-256(0x00 ‖ canonical JSON of its fields), independent of the chain. */
export function entryLeaf(fields: ChainedFields): Buffer {
  return leafHash(entryMaterial(fields));
}

/** The canonical JSON of an entry's twelve fields, written in its (sorted) key order directly. */
export function entryMaterial(fields: ChainedFields): string {
  const f = fields;
  return (
    `{"action":${canonicalJson(f.action)},"actor_id":${canonicalJson(f.actor_id)},` +
    `"actor_type":${canonicalJson(f.actor_type)},"after":${canonicalJson(f.after)},"at":${canonicalJson(f.at)},` +
    `"before":${canonicalJson(f.before)},"engagement_id":${canonicalJson(f.engagement_id)},` +
    `"entity_id":${canonicalJson(f.entity_id)},"entity_type":${canonicalJson(f.entity_type)},` +
    `"handoff_id":${canonicalJson(f.handoff_id)},"org_id":${canonicalJson(f.org_id)},"seq":${Number(f.seq)}}`
  );
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
