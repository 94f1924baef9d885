import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../kernel/canonical-json.js';
import { loadBuiltinPlaybooks } from '../../builtin/load-builtins.js';
import { parsePlaybook } from '../../domain/parse-playbook.js';
import { draftSource } from './draft-source.js';
import { diffHunks, diffLines } from './line-diff.js';
import { findField, kindFor, type SuggestionKind, suggestionOf, withChange } from './review-suggestions.js';

const builtins = loadBuiltinPlaybooks();
/** Every section field of every built-in, with the suggestion kinds that fit it. */
const places = builtins.flatMap(({ source, playbook }) =>
  playbook.transitions.flatMap((t) =>
    t.sections.flatMap((s) =>
      s.fields.map((f) => ({ source, playbook, transition: t.key, field: `${s.key}.${f.key}` })),
    ),
  ),
);

describe('writing a suggestion into the YAML document', () => {
  it('changes one line and the version line of a built-in, and nothing else', () => {
    const { source, playbook } = builtins.find((b) => b.playbook.key === 'professional-services')!;
    const place = findField(playbook, 'sales-to-delivery', 'promises.promises')!;
    const s = suggestionOf('require', 'sales-to-delivery', 'promises.promises', place);
    const draft = draftSource(source, s.change.pointer, true, 2);
    if (!draft.ok) throw new Error(draft.reason);
    const changed = diffLines(source, draft.source).filter((l) => l.op !== 'same');
    expect(changed.map((l) => `${l.op} ${l.text}`)).toEqual([
      'removed version: 1',
      'added version: 2',
      'added             required: true',
    ]);
    const hunks = diffHunks(source, draft.source);
    expect(hunks).toHaveLength(2);
    expect(hunks[0]).toMatchObject({ oldStart: 6, newStart: 6 });
    expect(hunks[1]!.lines.filter((l) => l.op === 'same')).toHaveLength(6);
  });

  it('replaces a block scalar prompt and keeps a flow mapping on its line', () => {
    const source = [
      'key: k # the key',
      'version: 4',
      'items:',
      '  - key: a',
      '    prompt: >-',
      '      folded',
      '      text',
      '',
      '  - { key: b, label: B }',
      '',
    ].join('\n');
    const a = draftSource(source, '/items/0/prompt', 'Why "now"?', 5);
    expect(a).toEqual({
      ok: true,
      source: source
        .replace('version: 4', 'version: 5')
        .replace('>-\n      folded\n      text\n', '"Why \\"now\\"?"\n'),
    });
    const b = draftSource(source, '/items/1/required', true, 5);
    expect(b.ok && b.source.split('\n')[8]).toBe('  - { key: b, label: B, required: true }');
    expect(draftSource('key: k\nversion: 1\nitems: []\n', '/items/0/required', true, 2)).toMatchObject({
      ok: false,
    });
  });

  it('keeps CRLF line ends and inserts a version line when the document names none', () => {
    const source = 'key: k\r\nitems:\r\n  - key: a\r\n    label: A\r\n';
    const out = draftSource(source, '/items/0/required', true, 2);
    expect(out).toEqual({
      ok: true,
      source: 'key: k\r\nversion: 2\r\nitems:\r\n  - key: a\r\n    label: A\r\n    required: true\r\n',
    });
  });

  it('for any field of any built-in and any prompt, the edited document means exactly the change', () => {
    const prompt = fc.oneof(
      fc.string({ minLength: 1, maxLength: 60 }).filter((s) => /\S/.test(s) && s === s.trim()),
      fc.constantFrom(
        'Why? # not a comment',
        'It\'s "quoted": yes',
        'ünïcødé 😀',
        '- a list?',
        '*alias',
        '{x}',
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...places), prompt, fc.boolean(), (p, text, forceSharpen) => {
        const place = findField(p.playbook, p.transition, p.field)!;
        let kind: SuggestionKind = kindFor(place.def);
        if (forceSharpen && kind !== 'require') kind = 'sharpen';
        const s = suggestionOf(kind, p.transition, p.field, place);
        const value = kind === 'require' ? true : text;
        const expected = withChange(p.playbook, s, kind === 'require' ? undefined : text);
        const draft = draftSource(p.source, s.change.pointer, value, expected.version);
        if (!draft.ok) throw new Error(draft.reason);
        const parsed = parsePlaybook(draft.source, 'draft.yaml');
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        expect(canonicalJson(parsed.playbook)).toBe(canonicalJson(expected));
        // The diff names the version line and the field's line, and nothing else.
        const changed = diffLines(p.source, draft.source).filter((l) => l.op !== 'same');
        expect(changed.filter((l) => l.op === 'added')).toHaveLength(2);
        expect(changed.filter((l) => l.op === 'removed').length).toBeLessThanOrEqual(1 + 8);
      }),
      { numRuns: 120 },
    );
  });
});

/** The length of the longest common subsequence, by the textbook table (small inputs only). */
function lcs(x: string[], y: string[]): number {
  const t = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++)
      t[i]![j] = x[i - 1] === y[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[x.length]![y.length]!;
}

describe('line diff', () => {
  it('rebuilds both texts from its lines, and finds no change in equal texts', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (x, y) => {
        const a = x.map((l) => `${l}\n`).join('');
        const b = y.map((l) => `${l}\n`).join('');
        const lines = diffLines(a, b);
        expect(lines.filter((l) => l.op !== 'added').map((l) => l.text)).toEqual(x);
        expect(lines.filter((l) => l.op !== 'removed').map((l) => l.text)).toEqual(y);
        // As short as the longest common subsequence allows: never more changes than all of both.
        expect(lines.filter((l) => l.op === 'same').length).toBe(lcs(x, y));
        expect(diffLines(a, a).every((l) => l.op === 'same')).toBe(true);
        // Every change is in some hunk, in order.
        const hunkChanges = diffHunks(a, b).flatMap((h) => h.lines.filter((l) => l.op !== 'same'));
        expect(hunkChanges).toEqual(lines.filter((l) => l.op !== 'same'));
      }),
      { numRuns: 500 },
    );
  });

  it('numbers lines in both texts', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\n')).toEqual([
      { op: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { op: 'removed', text: 'b', oldLine: 2 },
      { op: 'added', text: 'B', newLine: 2 },
      { op: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ]);
  });
});
