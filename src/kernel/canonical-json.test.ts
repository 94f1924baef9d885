import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** The definition: JSON.stringify of a copy whose objects have their keys sorted. */
function reference(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v as Record<string, unknown>).sort()) {
        const x = (v as Record<string, unknown>)[key];
        if (x !== undefined) out[key] = sortKeys(x);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, array indices first as an object lists them', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ b: 1, 10: 2, '': 3, 9: 4, '01': 5 })).toBe('{"9":4,"10":2,"":3,"01":5,"b":1}');
    // An own "__proto__" key (JSON.parse makes one) was never written, and is not.
    expect(canonicalJson(JSON.parse('{"a":1,"__proto__":{"x":1}}'))).toBe('{"a":1}');
  });

  it('writes exactly what JSON.stringify writes of the sorted copy, for any value', () => {
    const odd = fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, () => 1, Symbol('s'));
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.string({ unit: 'binary' }),
        fc.date({ noInvalidDate: true }),
        odd,
        fc.array(tie('any'), { maxLength: 5 }),
        fc.dictionary(
          fc.string({ unit: 'binary', maxLength: 6 }).filter((key) => key !== '__proto__'),
          tie('any'),
          { maxKeys: 6 },
        ),
        fc.dictionary(
          fc.oneof(
            fc.nat().map(String),
            fc.constantFrom('4294967294', '4294967295', '01', '-1', '1.5', '1e3'),
            fc.string({ maxLength: 3 }),
          ),
          tie('any'),
          { maxKeys: 6 },
        ),
      ),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });
});
