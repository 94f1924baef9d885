import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS, type ParseResult, parsePlaybook } from './parse-playbook.js';
import { withVersion } from './version-slot.js';

const HEAD = `key: demo
name: Demo
stages:
  - { key: sales, name: Sales }
  - { key: ops, name: Operations }
transitions:
`;
const TRANSITION = `  - key: sales-to-ops
    name: Sales to ops
    from: sales
    to: ops
    sender_team: sales
    receiver_team: operations
    rejection_reasons: [{ code: unclear, label: Unclear }]
`;

/** Repeats `unit(i)` after `head` until the document is about `size` characters long. */
function grow(size: number, unit: (i: number) => string, head = ''): string {
  const parts = [head];
  let length = head.length;
  for (let i = 0; length < size; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

/** Documents shaped to make a checker slow: each problem repeated until the document is big. */
const HOSTILE: Record<string, (size: number) => string> = {
  'one duplicate key, again and again': (size) => grow(size, () => 'key: a\n'),
  'thousands of unknown keys': (size) => grow(size, (i) => `k${i}: 1\n`, HEAD),
  'thousands of fields with the same key': (size) =>
    grow(
      size,
      () => '          - { key: f, type: text, label: F }\n',
      `${HEAD}${TRANSITION}    sections:\n      - key: s\n        title: S\n        fields:\n`,
    ),
  'thousands of references to unknown fields': (size) =>
    grow(
      size,
      (i) =>
        `          - { key: f${i}, type: text, label: F, required_when: { field: s.g${i}, filled: true } }\n`,
      `${HEAD}${TRANSITION}    sections:\n      - key: s\n        title: S\n        fields:\n`,
    ),
  'thousands of stages, and transitions between unknown ones': (size) =>
    grow(
      size,
      (i) =>
        `  - { key: t${i}, name: T, from: x${i}, to: y${i}, sender_team: a, receiver_team: b, sections: [{ key: s, title: S, fields: [{ key: f, type: text, label: F }] }], rejection_reasons: [{ code: r, label: R }] }\n`,
      `${grow(size / 4, (i) => `  - { key: s${i}, name: S }\n`, 'key: demo\nname: Demo\nstages:\n')}transitions:\n`,
    ),
  'thousands of sections without a title': (size) =>
    grow(
      size,
      (i) => `      - { key: s${i}, fields: [{ key: f, type: text, label: F }] }\n`,
      `${HEAD}${TRANSITION}    sections:\n`,
    ),
  'thousands of checkpoints, each due before the one above it': (size) =>
    grow(
      size,
      (i) =>
        `      - { key: c${i + 1}, name: C, due: 1 day before c${i} }\n      - { key: c${i + 1}, name: Again }\n`,
      `${HEAD}${TRANSITION}    sections: [{ key: s, title: S, fields: [{ key: f, type: text, label: F }] }]\n    checkpoints:\n      - { key: c0, name: C, due: 2 days after accepted }\n`,
    ),
  'thousands of YAML syntax errors': (size) => grow(size, () => 'a:\n\tb: 1\n'),
  'thousands of aliases': (size) => grow(size, (i) => `k${i}: *a\n`, 'a: &a x\n'),
};

/** The least CPU time of a few runs, in milliseconds: the run least disturbed by other work. */
function cpuTime(run: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

function failed(result: ParseResult) {
  if (result.ok) throw new Error('expected the playbook to be rejected');
  return result;
}

describe('parsePlaybook on large and hostile documents', () => {
  it('reports the first errors by position and counts them all', () => {
    const result = failed(parsePlaybook('key: a\n'.repeat(1000), 'dup.yaml'));
    expect(result.errorCount).toBe(999);
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.errors.map((e) => e.line)).toEqual(
      Array.from({ length: MAX_REPORTED_ERRORS }, (_, i) => i + 2),
    );
    expect(result.errors[0]).toEqual({
      file: 'dup.yaml',
      line: 2,
      column: 1,
      path: '/key',
      message: 'duplicate key "key" in the same mapping',
    });

    const unknown = failed(parsePlaybook(HOSTILE['thousands of unknown keys']?.(20_000) as string, 'u.yaml'));
    expect(unknown.errorCount).toBeGreaterThan(1000);
    expect(unknown.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(unknown.errors.map((e) => e.message)).toContain(
      'unknown key "k0"; allowed keys are: key, version, name, description, stages, transitions, closeout, after_closeout, inbound',
    );
  });

  it.each(Object.keys(HOSTILE))('checks %s in time proportional to its size', (shape) => {
    const make = HOSTILE[shape] as (size: number) => string;
    const small = make(16 * 1024);
    const large = make(128 * 1024);
    parsePlaybook(small, 'warm-up.yaml');
    const ratio =
      cpuTime(() => parsePlaybook(large, 'x.yaml')) / cpuTime(() => parsePlaybook(small, 'x.yaml'));
    // Eight times the document: about eight times the work when linear, sixty-four when
    // quadratic; the wide gap keeps a busy machine's noise from passing for either.
    if (process.env.SHOW_RATIOS) console.log(shape, ratio.toFixed(2));
    expect(ratio).toBeLessThan(24);
  });

  it('bounds what aliases can make of a document', () => {
    let laughs = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) laughs += `a${i}: &a${i} [${`*a${i - 1}, `.repeat(9)}*a${i - 1}]\n`;
    expect(failed(parsePlaybook(laughs, 'laughs.yaml')).errors).toEqual([
      expect.objectContaining({ message: 'aliases expand the document by more than 100,000 values' }),
    ]);
    expect(failed(parsePlaybook('a: &a [1, *a]\n', 'loop.yaml')).errors).toEqual([
      expect.objectContaining({
        line: 1,
        column: 11,
        message: 'alias "*a" stands for a value that contains it',
      }),
    ]);
    expect(failed(parsePlaybook('a: *nowhere\n', 'unknown.yaml')).errors[0]?.message).toBe(
      'unknown alias "*nowhere": an anchor "&nowhere" must come before it',
    );
  });

  it('refuses nesting deeper than any playbook needs', () => {
    const deep = `key: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    expect(failed(parsePlaybook(deep, 'deep.yaml')).errors).toEqual([
      expect.objectContaining({ message: 'the document is nested more than 64 levels deep' }),
    ]);
  });

  it('keeps long values out of its messages', () => {
    const long = 'x'.repeat(100_000);
    const source = `${HEAD}  - { key: a-to-b, name: T, from: &far ${long}, to: *far }\n`;
    const result = failed(parsePlaybook(source, 'long.yaml'));
    for (const error of result.errors) expect(error.message.length).toBeLessThanOrEqual(1000);
  });
});

describe('a document without a version', () => {
  const VALID = `key: demo # the playbook
name: Demo
stages: [{ key: sales, name: Sales }, { key: ops, name: Operations }]
transitions:
  - key: sales-to-ops
    name: Sales to ops
    from: sales
    to: ops
    sender_team: sales
    receiver_team: operations
    sections: [{ key: s, title: S, fields: [{ key: f, type: text, label: F }] }]
    rejection_reasons: [{ code: unclear, label: Unclear }]
`;

  it('parses, and gets its version line after its key, as its author would write it', () => {
    for (const [source, expected] of [
      [VALID, 'key: demo # the playbook\nversion: 7\nname: Demo\n'],
      [VALID.replaceAll('\n', '\r\n'), 'key: demo # the playbook\r\nversion: 7\r\nname: Demo\r\n'],
      [`  ${VALID.replaceAll('\n', '\n  ')}`, '  key: demo # the playbook\n  version: 7\n  name: Demo\n'],
    ] as const) {
      const result = parsePlaybook(source, 'demo.yaml');
      if (!result.ok || !result.versionSlot) throw new Error(JSON.stringify(result));
      expect(result.playbook.version).toBe(0);
      const numbered = withVersion(source, result.versionSlot, 7);
      expect(numbered.startsWith(expected)).toBe(true);
      const again = parsePlaybook(numbered, 'demo.yaml');
      expect(again.ok && again.playbook).toEqual({ ...result.playbook, version: 7 });
      expect(again.ok && again.versionSlot).toBeUndefined();
    }
  });

  it('gets it inside a one-line mapping too', () => {
    const source =
      '{ name: Demo, key: demo, stages: [{ key: a, name: A }, { key: b, name: B }], transitions: [{ key: a-to-b, name: T, from: a, to: b, sender_team: a, receiver_team: b, sections: [{ key: s, title: S, fields: [{ key: f, type: text, label: F }] }], rejection_reasons: [{ code: r, label: R }] }] }\n';
    const result = parsePlaybook(source, 'flow.yaml');
    if (!result.ok || !result.versionSlot) throw new Error(JSON.stringify(result));
    const numbered = withVersion(source, result.versionSlot, 2);
    expect(numbered.startsWith('{ name: Demo, key: demo, version: 2, stages:')).toBe(true);
    const again = parsePlaybook(numbered, 'flow.yaml');
    expect(again.ok && again.playbook.version).toBe(2);
  });
});
