import { describe, expect, it } from 'vitest';
import { compilePacketSchema } from './compile-packet-schema.js';
import { parsePlaybook } from './parse-playbook.js';
import type { TransitionDef } from './playbook.js';

const SOURCE = `key: shapes
version: 1
name: Shapes
stages: [{ key: a, name: A }, { key: b, name: B }]
transitions:
  - key: a-to-b
    name: A to B
    description: Every field type.
    from: a
    to: b
    sender_team: a
    receiver_team: b
    rejection_reasons: [{ code: unclear, label: Unclear }]
    sections:
      - key: s
        title: Section
        help: Section help.
        fields:
          - { key: note, type: text, label: Note, required: true, help: Say it. }
          - { key: essay, type: long_text, label: Essay, max_length: 50 }
          - { key: count, type: number, label: Count, integer: true, min: 0, max: 9, required: true }
          - { key: price, type: money, label: Price, currency: EUR }
          - { key: due, type: date, label: Due }
          - { key: pick, type: enum, label: Pick, options: [{ value: x, label: X }, { value: y, label: Y }] }
          - { key: picks, type: enum, label: Picks, multiple: true, required: true, options: [{ value: x, label: X }] }
          - { key: who, type: contact, label: Who, contact_role: buyer }
          - { key: owner, type: user, label: Owner }
          - { key: items, type: list, of: text, label: Items, min_items: 2, max_items: 5 }
          - key: rows
            type: table
            label: Rows
            required: true
            columns: [{ key: c, type: text, label: C, required: true }, { key: n, type: number, label: N }]
          - { key: ticks, type: checklist, label: Ticks, required: true, items: [{ key: i, label: I }] }
          - { key: ok, type: yes_no, label: OK }
          - { key: why, type: text, label: Why, required_when: { field: s.ok, equals: false } }
`;

function transition(): TransitionDef {
  const result = parsePlaybook(SOURCE, 'shapes.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.playbook.transitions[0] as TransitionDef;
}

describe('compilePacketSchema', () => {
  it('compiles every field type for complete packets', () => {
    const schema = compilePacketSchema(transition(), 'complete');
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'A to B',
      description: 'Every field type.',
      type: 'object',
      required: ['s'],
      additionalProperties: false,
    });
    const section = (schema.properties as Record<string, Record<string, unknown>>).s;
    expect(section).toMatchObject({
      title: 'Section',
      description: 'Section help.',
      required: ['note', 'count', 'picks', 'rows', 'ticks'],
      additionalProperties: false,
    });
    expect(section?.properties).toEqual({
      note: {
        title: 'Note',
        description: 'Say it.',
        type: 'string',
        minLength: 1,
        pattern: '\\S',
        maxLength: 2000,
      },
      essay: { title: 'Essay', type: 'string', maxLength: 50 },
      count: { title: 'Count', type: 'integer', minimum: 0, maximum: 9 },
      price: {
        title: 'Price',
        type: 'object',
        properties: {
          amount_minor: { type: 'integer', title: 'Amount in minor units (e.g. cents)' },
          currency: { type: 'string', title: 'Currency', const: 'EUR' },
        },
        required: ['amount_minor', 'currency'],
        additionalProperties: false,
      },
      due: { title: 'Due', type: 'string', format: 'date' },
      pick: { title: 'Pick', type: 'string', enum: ['x', 'y'] },
      picks: {
        title: 'Picks',
        type: 'array',
        items: { type: 'string', enum: ['x'] },
        uniqueItems: true,
        minItems: 1,
      },
      who: expect.objectContaining({
        title: 'Who',
        type: 'object',
        required: ['name'],
        additionalProperties: false,
      }),
      owner: { title: 'Owner', type: 'string', format: 'email' },
      items: {
        title: 'Items',
        type: 'array',
        items: { type: 'string', minLength: 1, pattern: '\\S', maxLength: 2000 },
        minItems: 2,
        maxItems: 5,
      },
      rows: {
        title: 'Rows',
        type: 'array',
        items: {
          type: 'object',
          properties: {
            c: { title: 'C', type: 'string', minLength: 1, pattern: '\\S', maxLength: 2000 },
            n: { title: 'N', type: 'number' },
          },
          required: ['c'],
          additionalProperties: false,
        },
        minItems: 1,
      },
      ticks: {
        title: 'Ticks',
        type: 'object',
        properties: { i: { type: 'boolean', title: 'I', const: true } },
        required: ['i'],
        additionalProperties: false,
      },
      ok: { title: 'OK', type: 'boolean' },
      why: { title: 'Why', type: 'string', maxLength: 2000 },
    });
    expect(schema.allOf).toEqual([
      {
        if: {
          required: ['s'],
          properties: { s: { type: 'object', required: ['ok'], properties: { ok: { const: false } } } },
        },
        // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword.
        then: {
          required: ['s'],
          properties: {
            s: {
              type: 'object',
              required: ['why'],
              properties: {
                why: { title: 'Why', type: 'string', minLength: 1, pattern: '\\S', maxLength: 2000 },
              },
            },
          },
        },
      },
    ]);
  });

  it('requires nothing in draft mode but keeps types, shapes and limits', () => {
    const schema = compilePacketSchema(transition(), 'draft');
    expect(schema.required).toBeUndefined();
    expect(schema.allOf).toBeUndefined();
    const text = JSON.stringify(schema);
    expect(text).not.toContain('"const":true');
    expect(text).not.toContain('"minItems"');
    const fields = (
      schema.properties as Record<
        string,
        { properties: Record<string, Record<string, unknown>>; required?: unknown }
      >
    ).s;
    expect(fields?.required).toBeUndefined();
    expect(fields?.properties.note).toEqual({
      title: 'Note',
      description: 'Say it.',
      type: 'string',
      maxLength: 2000,
    });
    expect(fields?.properties.items).toEqual({
      title: 'Items',
      type: 'array',
      items: { type: 'string', maxLength: 2000 },
      maxItems: 5,
    });
    // Money and contacts keep their inner shape: an amount needs a currency even in a draft.
    expect(fields?.properties.price?.required).toEqual(['amount_minor', 'currency']);
    expect(fields?.properties.who?.required).toEqual(['name']);
  });

  it('takes a file field as the id and version of a file of the engagement', () => {
    const t = transition();
    const withFile: TransitionDef = {
      ...t,
      sections: [
        {
          key: 's',
          title: 'S',
          fields: [{ key: 'drawings', type: 'file', label: 'As-built', required: true }],
        },
      ],
    };
    const schema = compilePacketSchema(withFile, 'complete');
    const section = (
      schema.properties as Record<string, { properties: Record<string, unknown>; required?: unknown }>
    ).s;
    expect(section?.properties.drawings).toMatchObject({
      type: 'object',
      properties: { file_id: { type: 'string' }, version: { type: 'integer', minimum: 1 } },
      required: ['file_id', 'version'],
      additionalProperties: false,
    });
    expect(section?.required).toEqual(['drawings']);
  });

  it('takes a secret as a new value or a vault reference, nothing else', () => {
    const t = transition();
    const withSecret: TransitionDef = {
      ...t,
      sections: [
        { key: 's', title: 'S', fields: [{ key: 'f', type: 'secret', label: 'F', required: true }] },
      ],
    };
    const schema = compilePacketSchema(withSecret, 'complete') as {
      properties: { s: { properties: { f: { oneOf: unknown[] } } } };
    };
    expect(schema.properties.s.properties.f.oneOf).toEqual([
      expect.objectContaining({ type: 'string', minLength: 1 }),
      expect.objectContaining({ type: 'object', required: ['vault'], additionalProperties: false }),
    ]);
  });
});
