import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHANGE_ORDER_ACTIONS,
  CHANGE_ORDER_STATES,
  type ChangeOrderHistory,
  type ChangeOrderState,
  captureRate,
  captureTotals,
  isFinalState,
  matchingScopeItem,
  nextChangeOrderState,
  STATE_TIME_COLUMN,
} from './change-order.js';

const action = fc.constantFrom(...CHANGE_ORDER_ACTIONS);

/** Plays actions from identified, skipping refused ones; answers the states visited. */
function play(actions: readonly (typeof CHANGE_ORDER_ACTIONS)[number][]): ChangeOrderState[] {
  const visited: ChangeOrderState[] = ['identified'];
  for (const a of actions) {
    const next = nextChangeOrderState(visited.at(-1)!, a);
    if (next.ok) visited.push(next.to);
  }
  return visited;
}

/** A change order's history as the report sees it, from the states it visited. */
const historyOf = (visited: ChangeOrderState[], amount: number, currency: string): ChangeOrderHistory => {
  const when = (s: ChangeOrderState) => (visited.includes(s) ? '2026-01-01T00:00:00.000Z' : null);
  return {
    amount_minor: amount,
    currency,
    quoted_at: when('quoted'),
    approved_at: when('approved'),
    billed_at: when('billed'),
    declined_at: when('declined'),
  };
};

const order = fc
  .record({
    actions: fc.array(action, { maxLength: 8 }),
    amount: fc.integer({ min: 0, max: 10_000_000_00 }),
    currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  })
  .map(({ actions, amount, currency }) => historyOf(play(actions), amount, currency));

describe('change order states', () => {
  it('walks only forward along identified → quoted → approved → billed, or to declined, and never leaves a final state', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 12 }), (actions) => {
        const visited = play(actions);
        const order = ['identified', 'quoted', 'approved', 'billed'];
        const main = visited.filter((s) => s !== 'declined');
        expect(main).toEqual(order.slice(0, main.length));
        expect(visited.filter((s) => s === 'declined').length).toBeLessThanOrEqual(1);
        expect(visited.includes('billed') && visited.includes('declined')).toBe(false);
        const final = visited.findIndex(isFinalState);
        if (final >= 0) expect(final).toBe(visited.length - 1);
      }),
    );
  });

  it('refuses every action from a final state, naming the state', () => {
    for (const state of CHANGE_ORDER_STATES.filter(isFinalState))
      for (const a of CHANGE_ORDER_ACTIONS) {
        const next = nextChangeOrderState(state, a);
        expect(next.ok).toBe(false);
        if (!next.ok) expect(next.reason).toContain(state);
      }
    expect(nextChangeOrderState('identified', 'bill')).toEqual({
      ok: false,
      reason: 'An identified change order cannot be billed: only approved ones can.',
    });
  });

  it('keeps an instant column for every state', () => {
    expect(Object.keys(STATE_TIME_COLUMN).sort()).toEqual([...CHANGE_ORDER_STATES].sort());
  });
});

describe('capture', () => {
  it('counts each order in every state it reached, per currency, never across currencies', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 40 }), (orders) => {
        const totals = captureTotals(orders);
        expect(totals.map((t) => t.currency)).toEqual([...new Set(orders.map((o) => o.currency))].sort());
        for (const t of totals) {
          const mine = orders.filter((o) => o.currency === t.currency);
          expect(t.identified.count).toBe(mine.length);
          expect(t.identified.amount_minor).toBe(mine.reduce((s, o) => s + o.amount_minor, 0));
          // Each stage is a subset of the one before; billed and declined never overlap.
          expect(t.billed.count).toBeLessThanOrEqual(t.approved.count);
          expect(t.approved.count).toBeLessThanOrEqual(t.quoted.count);
          expect(t.quoted.count).toBeLessThanOrEqual(t.identified.count);
          expect(t.billed.count + t.declined.count).toBeLessThanOrEqual(t.identified.count);
          expect(t.billed.amount_minor + t.declined.amount_minor).toBeLessThanOrEqual(
            t.identified.amount_minor,
          );
          const rate = captureRate(t.billed.count, t.identified.count)!;
          expect(rate).toBeGreaterThanOrEqual(0);
          expect(rate).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('has no rate when nothing was identified', () => {
    fc.assert(
      fc.property(fc.nat(), (billed) => {
        expect(captureRate(billed, 0)).toBeNull();
      }),
    );
    expect(captureRate(1, 4)).toBe(0.25);
  });
});

describe('matching the out-of-scope item', () => {
  const items = [
    { id: 's1', description: 'Second site commissioning' },
    { id: 's2', description: 'After-hours support' },
  ];
  it('links the one item the request mentions, ignoring case and spacing', () => {
    expect(matchingScopeItem('Can you do SECOND  site commissioning too?', items)).toBe('s1');
    expect(matchingScopeItem('after-hours', items)).toBe('s2');
    expect(matchingScopeItem('Paint the racks', items)).toBeNull();
  });
  it('links nothing when more than one item matches, or the request is blank', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (text) => {
        const twins = [
          { id: 'a', description: text },
          { id: 'b', description: text },
        ];
        expect(matchingScopeItem(`x ${text} y`, twins)).toBeNull();
      }),
    );
    expect(matchingScopeItem('   ', items)).toBeNull();
  });
});
