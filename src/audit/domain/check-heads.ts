import { EMPTY_RANGE, extendRange, rangeRoot } from './merkle.js';
import type { OpenedHead, TreeHead } from './signed-head.js';

/** A published head record, as read from a heads file (see published-heads.ts). */
export interface HeadRecord {
  line: number;
  first_seq: number;
  leaves: string[];
  note: string;
}

/** The first way a log disagrees with its published heads. */
export interface HeadMismatch {
  /** The entry named, when one can be; null when only a range or a record can be named. */
  seq: number | null;
  reason: string;
}

export interface HeadsCheck {
  /** Signed heads whose signature verified. */
  heads: number;
  /** The largest tree size a verified head covers. */
  signedSize: number;
  mismatch: HeadMismatch | null;
}

/**
 * Checks an organisation's log, given as the Merkle leaves of its entries in sequence order,
 * against the heads published for it outside the database. Every head must carry a valid
 * signature for this organisation's origin; published leaves must agree with each other and with
 * the log's (a rewritten entry is named by its number, even when every chain hash after it was
 * recomputed); the log must hold every entry a head covers (entries cut off the end are named);
 * and the root of the log's first n leaves must be each size-n head's root.
 */
export function checkAgainstHeads(
  leaves: readonly Buffer[],
  records: readonly HeadRecord[],
  origin: string,
  open: (note: string) => OpenedHead,
): HeadsCheck {
  const heads: (TreeHead & { line: number })[] = [];
  const published = new Map<number, { leaf: string; line: number }>();
  for (const r of records) {
    const opened = open(r.note);
    if (!opened.ok)
      return fail(heads, null, `the published head on line ${r.line} does not verify: ${opened.reason}`);
    if (opened.head.origin !== origin)
      return fail(heads, null, `the published head on line ${r.line} belongs to ${opened.head.origin}`);
    if (r.first_seq + r.leaves.length - 1 !== opened.head.size)
      return fail(heads, null, `the published head on line ${r.line} does not end at its own tree size`);
    heads.push({ ...opened.head, line: r.line });
    for (const [i, leaf] of r.leaves.entries()) {
      const seq = r.first_seq + i;
      const known = published.get(seq);
      if (!known) published.set(seq, { leaf, line: r.line });
      else if (known.leaf !== leaf)
        return fail(
          heads,
          seq,
          `the published heads on lines ${known.line} and ${r.line} disagree about entry ${seq}`,
        );
    }
  }
  const signedSize = heads.reduce((max, h) => Math.max(max, h.size), 0);
  if (signedSize > leaves.length) {
    const line = heads.find((h) => h.size === signedSize)!.line;
    return fail(
      heads,
      leaves.length + 1,
      `entry ${leaves.length + 1} is missing: the log ends at ${leaves.length}, and the head signed on line ${line} covers ${signedSize} entries (entries were removed and the head rewound)`,
    );
  }
  for (const seq of [...published.keys()].sort((a, b) => a - b)) {
    const { leaf, line } = published.get(seq)!;
    if (leaves[seq - 1]!.toString('hex') !== leaf)
      return fail(
        heads,
        seq,
        `entry ${seq} is not the entry the head signed on line ${line} covers (it was changed after it was signed)`,
      );
  }
  // Heads whose leaves were published elsewhere (another process's file) are checked by root.
  const bySize = [...heads].sort((a, b) => a.size - b.size);
  let range = EMPTY_RANGE;
  let lastGood = 0;
  for (const head of bySize) {
    range = extendRange(range, leaves.slice(range.size, head.size));
    if (!rangeRoot(range).equals(head.root))
      return fail(
        heads,
        null,
        `entries ${lastGood + 1} to ${head.size} do not match the head signed on line ${head.line}: one of them was changed`,
      );
    lastGood = head.size;
  }
  return { heads: heads.length, signedSize, mismatch: null };
}

function fail(heads: readonly TreeHead[], seq: number | null, reason: string): HeadsCheck {
  return {
    heads: heads.length,
    signedSize: heads.reduce((m, h) => Math.max(m, h.size), 0),
    mismatch: { seq, reason },
  };
}
