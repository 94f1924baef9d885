/**
 * A line diff of two texts, as hunks with a few lines of context around each change (what
 * `diff -u` prints, as data): the shortest edit script (Myers, O((N+M)·D)), so a one-line change
 * in a long document costs a few passes, not N·M.
 */

export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** Its 1-based line number in the old text (same, removed) and in the new one (same, added). */
  oldLine?: number;
  newLine?: number;
}

export interface DiffHunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

const splitLines = (text: string) => (text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/));

/** Every line of the two texts, in order, marked same, added or removed. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to the start, collecting the script in reverse.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK =
      d === 0 ? 0 : k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'same', text: a[x - 1]!, oldLine: x, newLine: y });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) out.push({ op: 'added', text: b[y - 1]!, newLine: y });
      else out.push({ op: 'removed', text: a[x - 1]!, oldLine: x });
      x = prevX;
      y = prevY;
    }
  }
  return out.reverse();
}

/** The changes of `diffLines`, each with up to `context` unchanged lines either side; close ones share a hunk. */
export function diffHunks(before: string, after: string, context = 3): DiffHunk[] {
  const lines = diffLines(before, after);
  const hunks: DiffHunk[] = [];
  let current: DiffLine[] = [];
  let lastChange = -Infinity;
  const close = () => {
    // Drop the context after the last change beyond `context` lines.
    let end = current.length;
    while (end > 0 && current[end - 1]!.op === 'same' && end - 1 > lastChange + context) end--;
    const kept = current.slice(0, end);
    const first = kept[0];
    if (first) {
      hunks.push({
        oldStart: first.oldLine ?? kept.find((l) => l.oldLine)?.oldLine ?? 1,
        newStart: first.newLine ?? kept.find((l) => l.newLine)?.newLine ?? 1,
        lines: kept,
      });
    }
    current = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.op === 'same') {
      if (current.length > 0 && current.length - 1 - lastChange > 2 * context) {
        close();
      }
      if (current.length > 0) current.push(line);
      continue;
    }
    if (current.length === 0) {
      const from = Math.max(0, i - context);
      current = lines.slice(from, i);
    }
    current.push(line);
    lastChange = current.length - 1;
  }
  if (current.length > 0) close();
  return hunks;
}
