import { leafHash, verifyInclusion } from './merkle.js';
import type { OpenedHead } from './signed-head.js';

/** What anyone needs to check that one entry is in the log a signed head vouches for. */
export interface InclusionProof {
  seq: number;
  /** The entry's canonical JSON: its Merkle leaf is SHA-256(0x00 ‖ these bytes). */
  entry_json: string;
  leaf_hash: string;
  tree_size: number;
  /** Sibling hashes from the leaf up to the root (RFC 9162 §2.1.3), hex. */
  proof: string[];
  /** The signed head (a C2SP signed note) whose root the proof leads to. */
  signed_head: string;
}

/**
 * Checks an inclusion proof with nothing but the log's public key: the entry hashes to the leaf,
 * the head's signature holds, and the proof leads from the leaf to the head's root. Answers why
 * not, or null when the entry is in the log.
 */
export function checkInclusionProof(p: InclusionProof, open: (note: string) => OpenedHead): string | null {
  const leaf = leafHash(p.entry_json);
  if (leaf.toString('hex') !== p.leaf_hash) return 'the entry does not hash to the leaf given';
  let seqInEntry: unknown;
  try {
    seqInEntry = (JSON.parse(p.entry_json) as { seq?: unknown }).seq;
  } catch {
    return 'the entry is not JSON';
  }
  if (seqInEntry !== p.seq) return `the entry is number ${String(seqInEntry)}, not ${p.seq}`;
  const opened = open(p.signed_head);
  if (!opened.ok) return `the signed head does not verify: ${opened.reason}`;
  if (opened.head.size !== p.tree_size)
    return `the signed head covers ${opened.head.size} entries, not ${p.tree_size}`;
  const proof = p.proof.map((h) => Buffer.from(h, 'hex'));
  if (!verifyInclusion(leaf, p.seq - 1, p.tree_size, proof, opened.head.root))
    return 'the proof does not lead to the signed root';
  return null;
}
