/** Longer words get no suggestion: a typo hint for them helps no one and costs the most. */
const MAX_WORD_LENGTH = 64;
/** Comparison work (characters of the word times characters of a candidate) one call may do. */
const MAX_CELLS = 250_000;

/**
 * Suggests the closest candidate to a misspelt word, or `undefined` when nothing is close enough.
 * The work of one call is bounded, so a document with thousands of names cannot make it slow: very
 * long words get no suggestion, candidates whose length alone rules them out are skipped, and the
 * search stops after a fixed amount of comparison.
 * Example: `didYouMean('lable', ['label', 'help'])` is `'label'`.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_WORD_LENGTH) return undefined;
  // Allow roughly one typo per three characters, so "lable" finds "label" but "x" finds nothing.
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = tolerance + 1;
  let cells = 0;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    cells += (word.length + 1) * (candidate.length + 1);
    if (cells > MAX_CELLS) break;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  // Three rolling rows: the swap rule looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      row[j] = value;
    }
    [before, previous, row] = [previous, row, before];
  }
  return previous[b.length] as number;
}
