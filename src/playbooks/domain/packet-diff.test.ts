import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PACKETS } from '../../../test/support/example-packets.js';
import { anyValue, validPacket } from '../../../test/support/packet-arbitraries.js';
import { loadBuiltinPlaybooks } from '../builtin/load-builtins.js';
import { deepEqual, diffPackets } from './packet-diff.js';
import type { Packet } from './playbook.js';

const services = loadBuiltinPlaybooks().find((b) => b.playbook.key === 'professional-services')?.playbook
  .transitions[0];
if (!services) throw new Error('professional-services built-in missing');
const example = () =>
  structuredClone(EXAMPLE_PACKETS['professional-services']?.['sales-to-delivery'] as Packet);

/** Canonical JSON with sorted keys, as an independent notion of equality. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

describe('diffPackets', () => {
  it('lists added, removed and changed fields in playbook order with labels', () => {
    const before = example();
    const after = example();
    (after.scope as Record<string, unknown>).in_scope = ['Map the current close process'];
    delete after.goal?.success_metric;
    delete before.promises?.promises;
    (after.people as Record<string, unknown>).buyer = {
      ...(before.people?.buyer as object),
      email: 'cfo@northwind.example',
    };
    expect(diffPackets(services, before, after)).toEqual([
      {
        path: '/goal/success_metric',
        field: 'goal.success_metric',
        label: 'Success metric',
        change: 'removed',
        before: 'Month-end close in 5 working days by the end of Q3',
      },
      {
        path: '/scope/in_scope',
        field: 'scope.in_scope',
        label: 'In-scope work',
        change: 'changed',
        before: ['Map the current close process', 'Automate bank reconciliations', 'Train the finance team'],
        after: ['Map the current close process'],
      },
      expect.objectContaining({ path: '/people/buyer', change: 'changed' }),
      expect.objectContaining({
        path: '/promises/promises',
        change: 'added',
        label: 'Promises made during the sales cycle',
      }),
    ]);
  });

  it('ignores key order and reports fields the playbook does not define, labelled by key', () => {
    const before: Packet = { people: { buyer: { name: 'A', role: 'CFO' } }, legacy: { old_field: 1 } };
    const after: Packet = { people: { buyer: { role: 'CFO', name: 'A' } }, goal: { note: 'x' } };
    expect(diffPackets(services, before, after)).toEqual([
      {
        path: '/legacy/old_field',
        field: 'legacy.old_field',
        label: 'old_field',
        change: 'removed',
        before: 1,
      },
      { path: '/goal/note', field: 'goal.note', label: 'note', change: 'added', after: 'x' },
    ]);
  });

  it('is empty for identical packets and lists exactly the differing fields otherwise', () => {
    const fields = services.sections.flatMap((s) => s.fields.map((f) => ({ section: s.key, field: f })));
    const sometimes = fc.record(
      Object.fromEntries(
        services.sections.map((s) => [
          s.key,
          fc.record(Object.fromEntries(s.fields.map((f) => [f.key, anyValue(f)])), { requiredKeys: [] }),
        ]),
      ),
      { requiredKeys: [] },
    ) as fc.Arbitrary<Packet>;
    const packet = fc.oneof(validPacket(services), sometimes);
    fc.assert(
      fc.property(packet, packet, (a, b) => {
        expect(diffPackets(services, a, structuredClone(a))).toEqual([]);
        const expected = fields
          .filter(
            ({ section, field }) => canonical(a[section]?.[field.key]) !== canonical(b[section]?.[field.key]),
          )
          .map(({ section, field }) => `${section}.${field.key}`);
        expect(diffPackets(services, a, b).map((c) => c.field)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('deepEqual', () => {
  it('compares JSON-like values structurally', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: [] }, { a: {} })).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual(Number.NaN, Number.NaN)).toBe(true);
  });
});
