import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isId, newId } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisOf = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('record ids', () => {
  it('are UUID version 7 with the creation time in their first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(id).toMatch(V7);
    expect(isId(id)).toBe(true);
    expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisOf(id)).toBeLessThanOrEqual(after);
  });

  it('sort in the order they were made, also many in one millisecond and when the clock steps back a little', () => {
    let start = Date.parse('2030-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6000 }), (steps) => {
        // Each run starts a day later; each step moves the clock forward by 0–4 ms, or back by 1 (5).
        start += 86_400_000;
        let clock = start;
        let highest = start;
        const ids = steps.map((step) => {
          clock += step === 5 ? -1 : step;
          highest = Math.max(highest, clock);
          return newId(clock);
        });
        for (const id of ids) expect(id).toMatch(V7);
        expect([...ids].sort()).toEqual(ids);
        expect(new Set(ids).size).toBe(ids.length);
        // An id is never far ahead of the latest time its clock showed: 4,096 ids fit in each
        // millisecond (after a small step back, ids keep that time until the clock catches up).
        expect(millisOf(ids.at(-1)!) - highest).toBeLessThanOrEqual(Math.ceil(ids.length / 4096));
      }),
      { numRuns: 50 },
    );
  });

  it('borrow the next millisecond only after 4,096 ids in one', () => {
    const now = Date.parse('2032-03-01T00:00:00Z');
    const ids = Array.from({ length: 10_000 }, () => newId(now));
    expect(ids.slice(0, 4096).every((id) => millisOf(id) === now)).toBe(true);
    expect(millisOf(ids[4096]!)).toBe(now + 1);
    expect(millisOf(ids.at(-1)!)).toBe(now + 2);
    expect([...ids].sort()).toEqual(ids);
  });

  it('follow the clock when it is set back by more than ten seconds', () => {
    const later = Date.parse('2031-06-01T00:00:00Z');
    newId(later);
    expect(millisOf(newId(later - 5_000))).toBe(later); // a small step back keeps the order
    expect(millisOf(newId(later - 60_000))).toBe(later - 60_000);
  });

  it('tell record ids from other text', () => {
    expect(isId('not-a-uuid')).toBe(false);
    expect(isId(`${newId()}x`)).toBe(false);
  });
});
