import { createHash } from 'node:crypto';

/**
 * Merkle tree hashing as RFC 6962 and RFC 9162 §2.1 define it: a leaf hash is
 * SHA-256(0x00 ‖ data), a node SHA-256(0x01 ‖ left ‖ right), and the tree over n leaves splits
 * at the largest power of two below n. The prefixes keep a leaf from ever passing for a node.
 */

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(data: string | Buffer): Buffer {
  return createHash('sha256').update(LEAF).update(data).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) of RFC 9162 §2.1.1, over leaf hashes already computed. */
export function treeRoot(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  return subtreeRoot(leaves, 0, leaves.length);
}

function subtreeRoot(leaves: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/**
 * A tree's compact range: the roots of its perfect subtrees, largest (leftmost) first, one per
 * bit set in its size. Appending a leaf merges equal-sized subtrees, so keeping the range costs
 * O(log n) per leaf and the root never needs the leaves again.
 */
export interface CompactRange {
  size: number;
  /** Hex roots of the perfect subtrees, largest first. */
  roots: string[];
}

export const EMPTY_RANGE: CompactRange = { size: 0, roots: [] };

/** The range after appending `leaves` (leaf hashes) to `range`. */
export function extendRange(range: CompactRange, leaves: readonly Buffer[]): CompactRange {
  const roots: Buffer[] = range.roots.map((r) => Buffer.from(r, 'hex'));
  let size = range.size;
  for (const leaf of leaves) {
    let node: Buffer = leaf;
    // Each trailing 1 bit of the old size is a subtree as large as what we carry: merge them.
    for (let s = size; s & 1; s >>= 1) node = nodeHash(roots.pop()!, node);
    roots.push(node);
    size += 1;
  }
  return { size, roots: roots.map((r) => r.toString('hex')) };
}

/** The tree root a compact range stands for (RFC 6962 splits leftmost-largest, so fold from the right). */
export function rangeRoot(range: CompactRange): Buffer {
  if (range.size === 0) return EMPTY_ROOT;
  const roots: Buffer[] = range.roots.map((r) => Buffer.from(r, 'hex'));
  let acc: Buffer = roots[roots.length - 1]!;
  for (let i = roots.length - 2; i >= 0; i--) acc = nodeHash(roots[i]!, acc);
  return acc;
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1: the sibling hashes from leaf m up to the root of n leaves. */
export function inclusionProof(leaves: readonly Buffer[], index: number): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length)
    throw new RangeError(`leaf ${index} is outside a tree of ${leaves.length}`);
  const path: Buffer[] = [];
  let from = 0;
  let to = leaves.length;
  let m = index;
  const siblings: Buffer[] = [];
  while (to - from > 1) {
    const k = split(to - from);
    if (m < k) {
      siblings.push(subtreeRoot(leaves, from + k, to));
      to = from + k;
    } else {
      siblings.push(subtreeRoot(leaves, from, from + k));
      from += k;
      m -= k;
    }
  }
  // The path lists the siblings from the leaf upwards.
  for (let i = siblings.length - 1; i >= 0; i--) path.push(siblings[i]!);
  return path;
}

/**
 * Checks an inclusion proof as RFC 9162 §2.1.3.2 does: true when `leaf` at `index` of a tree of
 * `size` leaves, with the sibling hashes `proof`, leads to `root`.
 */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      r = nodeHash(p, r);
      if (!(fn & 1)) {
        while (fn !== 0 && !(fn & 1)) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && r.equals(root);
}
