import { describe, expect, it } from 'vitest';
import { formatPlaybookError } from './format-playbook-error.js';
import { type PlaybookError, parsePlaybook } from './parse-playbook.js';

// Line numbers in the tests below refer to this document (line 1 is `key: demo`).
const VALID = `key: demo
version: 1
name: Demo
stages:
  - key: sales
    name: Sales
  - key: ops
    name: Operations
transitions:
  - key: sales-to-ops
    name: Sales to ops
    from: sales
    to: ops
    sender_team: sales
    receiver_team: operations
    sections:
      - key: basics
        title: Basics
        fields:
          - key: goal
            type: text
            label: Goal
            required: true
          - key: has_site
            type: yes_no
            label: Has a site
    rejection_reasons:
      - code: unclear
        label: Unclear
`;

/** Replaces one 1-based line of the valid document. */
function withLine(line: number, text: string): string {
  const lines = VALID.split('\n');
  lines[line - 1] = text;
  return lines.join('\n');
}

/** Inserts lines after a 1-based line. */
function insertAfter(line: number, ...text: string[]): string {
  const lines = VALID.split('\n');
  lines.splice(line, 0, ...text);
  return lines.join('\n');
}

function errorsOf(source: string): PlaybookError[] {
  const result = parsePlaybook(source, 'demo.yaml');
  if (result.ok) throw new Error('expected the playbook to be rejected');
  return result.errors;
}

describe('parsePlaybook', () => {
  it('compiles a valid document to camelCase definitions with defaults', () => {
    const result = parsePlaybook(VALID, 'demo.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [transition] = result.playbook.transitions;
    expect(transition).toMatchObject({
      key: 'sales-to-ops',
      senderTeam: 'sales',
      receiverTeam: 'operations',
      checkpoints: [],
      rejectionReasons: [{ code: 'unclear', label: 'Unclear' }],
    });
    expect(transition?.sections[0]?.fields).toEqual([
      { key: 'goal', type: 'text', label: 'Goal', required: true },
      { key: 'has_site', type: 'yes_no', label: 'Has a site', required: false },
    ]);
  });

  it('reports a YAML syntax error with its line and column, and nothing else', () => {
    const errors = errorsOf(withLine(22, '            label: Goal: the one thing'));
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'demo.yaml',
        line: 22,
        column: 20,
        message: 'YAML syntax error: Nested mappings are not allowed in compact mappings',
      }),
    ]);
    expect(errors[0]?.path.startsWith('/transitions/0/sections/0/fields/0/label')).toBe(true);
  });

  it('reports a duplicate YAML mapping key at the second occurrence', () => {
    const errors = errorsOf(insertAfter(22, '            label: Goal again'));
    expect(errors).toEqual([
      {
        file: 'demo.yaml',
        line: 23,
        column: 13,
        path: '/transitions/0/sections/0/fields/0/label',
        message: 'duplicate key "label" in the same mapping',
      },
    ]);
  });

  it('reports an unknown key at the key, with a suggestion, and the missing key at its parent', () => {
    const errors = errorsOf(withLine(22, '            lable: Goal'));
    expect(errors).toEqual([
      {
        file: 'demo.yaml',
        line: 20,
        column: 13,
        path: '/transitions/0/sections/0/fields/0/label',
        message: 'missing required key "label"',
      },
      expect.objectContaining({
        line: 22,
        column: 13,
        path: '/transitions/0/sections/0/fields/0/lable',
        message: expect.stringContaining('unknown key "lable" (did you mean "label"?)'),
      }),
    ]);
  });

  it('reports a duplicate field key with the line of the first definition', () => {
    const errors = errorsOf(withLine(24, '          - key: goal'));
    expect(errors).toEqual([
      {
        file: 'demo.yaml',
        line: 24,
        column: 18,
        path: '/transitions/0/sections/0/fields/1/key',
        message: 'duplicate field key in section "basics" "goal" (first defined at line 20)',
      },
    ]);
  });

  it('reports a bad field type at the value, with a suggestion', () => {
    const errors = errorsOf(withLine(21, '            type: txt'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      line: 21,
      column: 19,
      path: '/transitions/0/sections/0/fields/0/type',
    });
    expect(errors[0]?.message).toMatch(
      /^must be one of: text, long_text, .*got the text "txt" \(did you mean "text"\?\)$/,
    );
  });

  it('reports required_when naming an unknown field', () => {
    const errors = errorsOf(
      insertAfter(23, '            required_when: { field: basics.gaol, filled: true }'),
    );
    expect(errors).toHaveLength(2);
    expect(errors).toContainEqual(
      expect.objectContaining({
        line: 24,
        path: '/transitions/0/sections/0/fields/0/required_when/field',
        message: expect.stringMatching(
          /^required_when refers to unknown field "basics.gaol" \(did you mean "basics.goal"\?\)/,
        ),
      }),
    );
    // The same field is also marked required: true, which contradicts required_when.
    expect(errors).toContainEqual(
      expect.objectContaining({ line: 23, column: 13, path: '/transitions/0/sections/0/fields/0/required' }),
    );
  });

  it('accepts file and secret fields', () => {
    for (const type of ['file', 'secret']) {
      const parsed = parsePlaybook(withLine(25, `            type: ${type}`), 'demo.yaml');
      expect(parsed.ok && parsed.playbook.transitions[0]?.sections[0]?.fields[1]?.type).toBe(type);
    }
  });

  it('reports every error at once, sorted by position', () => {
    let source = withLine(13, '    to: operations');
    source = source.replace('            type: yes_no', '            type: enum');
    source = source.replace('    rejection_reasons:\n      - code: unclear\n        label: Unclear\n', '');
    source = source.replace('version: 1', 'version: 0');
    const errors = errorsOf(source);
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [2, '/version'],
      [10, '/transitions/0/rejection_reasons'],
      [13, '/transitions/0/to'],
      [24, '/transitions/0/sections/0/fields/1/options'],
    ]);
    expect(errors[2]?.message).toBe('unknown stage "operations"; the stages are: sales, ops');
  });

  it('checks type attributes against the field type', () => {
    const source = VALID.replace(
      '            type: yes_no\n            label: Has a site',
      [
        '            type: list',
        '            label: Sites',
        '          - key: rows',
        '            type: table',
        '            label: Rows',
        '          - key: tone',
        '            type: text',
        '            label: Tone',
        '            options: [{ value: a, label: A }]',
      ].join('\n'),
    );
    const messages = errorsOf(source).map((e) => `${e.line}:${e.column} ${e.path} ${e.message}`);
    expect(messages).toEqual([
      '24:13 /transitions/0/sections/0/fields/1/of a list field needs "of" (text, number or date) to say what it lists',
      '27:13 /transitions/0/sections/0/fields/2/columns a table field needs at least one entry in "columns"',
      '33:13 /transitions/0/sections/0/fields/3/options "options" only applies to enum fields, not to a text field',
    ]);
  });

  it('takes min_minor on money fields alone, as an integer', () => {
    const source = VALID.replace(
      '            type: yes_no\n            label: Has a site',
      [
        '            type: money',
        '            label: Price',
        '            min_minor: 1',
        '          - key: tone',
        '            type: text',
        '            label: Tone',
        '            min_minor: 1',
      ].join('\n'),
    );
    expect(errorsOf(source).map((e) => `${e.path} ${e.message}`)).toEqual([
      '/transitions/0/sections/0/fields/2/min_minor "min_minor" only applies to money fields, not to a text field',
    ]);
    const fraction = VALID.replace(
      '            type: yes_no\n            label: Has a site',
      ['            type: money', '            label: Price', '            min_minor: 0.5'].join('\n'),
    );
    expect(errorsOf(fraction).map((e) => e.path)).toEqual(['/transitions/0/sections/0/fields/1/min_minor']);
  });

  it('checks required_when values against the field they test, and refuses self-references', () => {
    const bad = insertAfter(26, '            required_when: { field: basics.goal, equals: 3 }');
    expect(errorsOf(bad)[0]?.message).toBe(
      'required_when on "basics.goal": a text field can only be compared with text',
    );
    const self = insertAfter(26, '            required_when: { field: basics.has_site, equals: true }');
    expect(errorsOf(self)[0]).toMatchObject({
      line: 27,
      path: '/transitions/0/sections/0/fields/1/required_when/field',
      message: 'required_when cannot depend on the field itself',
    });
    const yesNo = insertAfter(
      23,
      '          - key: site',
      '            type: text',
      '            label: Site',
      '            required_when: { field: basics.has_site, equals: "yes" }',
    );
    expect(errorsOf(yesNo)[0]?.message).toBe(
      'required_when on "basics.has_site": a yes/no field can only equal true or false',
    );
    const both = insertAfter(
      26,
      '            required_when: { field: basics.goal, equals: a, filled: true }',
    );
    expect(errorsOf(both)[0]?.message).toBe(
      'required_when needs exactly one of "equals", "in" or "filled", not equals and filled',
    );
  });

  it('checks maps_to compatibility and uniqueness', () => {
    const source = VALID.replace(
      '            required: true\n',
      '            required: true\n            maps_to: scope_in\n',
    ).replace(
      '            label: Has a site\n',
      '            label: Has a site\n            maps_to: success.goal\n',
    );
    const messages = errorsOf(source).map((e) => e.message);
    expect(messages).toEqual([
      'maps_to "scope_in" needs a list field with "of: text" (one scope item per entry)',
      'maps_to "success.goal" needs a text or long_text field',
    ]);
  });

  it('finds duplicates among stages, transitions, sections, options, columns, items, reasons and checkpoints', () => {
    const source = `key: dupes
version: 1
name: Dupes
stages:
  - { key: a, name: A }
  - { key: a, name: A again }
  - { key: b, name: B }
transitions:
  - key: a-to-b
    name: A to B
    from: a
    to: b
    sender_team: a
    receiver_team: b
    sections:
      - key: s
        title: S
        fields:
          - key: choice
            type: enum
            label: Choice
            options: [{ value: x, label: X }, { value: x, label: X again }]
          - key: rows
            type: table
            label: Rows
            columns: [{ key: c, type: text, label: C }, { key: c, type: number, label: C again }]
          - key: ticks
            type: checklist
            label: Ticks
            items: [{ key: i, label: I }, { key: i, label: I again }]
      - key: s
        title: S again
        fields: [{ key: f, type: text, label: F }]
    rejection_reasons: [{ code: r, label: R }, { code: r, label: R again }]
    checkpoints: [{ key: k, name: K }, { key: k, name: K again }]
  - key: a-to-b
    name: Again
    from: a
    to: a
    sender_team: a
    receiver_team: b
    sections: [{ key: s, title: S, fields: [{ key: f, type: text, label: F }] }]
`;
    const messages = errorsOf(source).map((e) => `${e.line} ${e.message}`);
    expect(messages).toEqual([
      '6 duplicate stage key "a" (first defined at line 5)',
      '22 duplicate option value "x" (first defined at line 22)',
      '26 duplicate column key "c" (first defined at line 26)',
      '30 duplicate checklist item key "i" (first defined at line 30)',
      '31 duplicate section key "s" (first defined at line 16)',
      '34 duplicate rejection reason code "r" (first defined at line 34)',
      '35 duplicate checkpoint key "k" (first defined at line 35)',
      '36 a transition needs at least one rejection reason, so the receiver can say why a packet is not acceptable',
      '36 duplicate transition key "a-to-b" (first defined at line 9)',
      '39 a transition must lead to a different stage than it starts from',
    ]);
  });

  it('reports key patterns and wrong value types in plain words', () => {
    const source = VALID.replace('key: demo', 'key: Demo_Playbook').replace(
      '            required: true',
      '            required: "yes"',
    );
    const messages = errorsOf(source).map((e) => `${e.path} ${e.message}`);
    expect(messages).toEqual([
      '/key must be a lowercase key: a letter, then letters, digits or hyphens (e.g. "sales-to-operations"), got the text "Demo_Playbook"',
      '/transitions/0/sections/0/fields/0/required must be true or false, got the text "yes"',
    ]);
  });

  it('reports an empty or non-mapping document', () => {
    expect(errorsOf('')[0]).toMatchObject({
      line: 1,
      column: 1,
      path: '',
      message: 'must be a mapping (key: value pairs), got nothing',
    });
    expect(errorsOf('- a\n- b\n')[0]?.message).toBe('must be a mapping (key: value pairs), got a list');
  });

  it('keeps checkpoints in the compiled definition', () => {
    const source = `${VALID}    checkpoints:\n      - key: meeting\n        name: Handoff meeting\n        due: 48 business hours after contract_signed\n`;
    const result = parsePlaybook(source, 'demo.yaml');
    expect(result.ok && result.playbook.transitions[0]?.checkpoints).toEqual([
      { key: 'meeting', name: 'Handoff meeting', due: '48 business hours after contract_signed' },
    ]);
  });
});

describe('formatPlaybookError', () => {
  it('renders file:line:column path message', () => {
    expect(
      formatPlaybookError({
        file: 'a.yaml',
        line: 3,
        column: 7,
        path: '/name',
        message: 'must not be blank',
      }),
    ).toBe('a.yaml:3:7 /name must not be blank');
  });
});
