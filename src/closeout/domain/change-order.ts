/**
 * A change order's life: out-of-scope work is identified, quoted, approved by the client and
 * billed; it may be declined at any step before it is billed. Pure: no I/O, no clock.
 */
export const CHANGE_ORDER_STATES = ['identified', 'quoted', 'approved', 'billed', 'declined'] as const;
export type ChangeOrderState = (typeof CHANGE_ORDER_STATES)[number];

export const CHANGE_ORDER_ACTIONS = ['quote', 'approve', 'bill', 'decline'] as const;
export type ChangeOrderAction = (typeof CHANGE_ORDER_ACTIONS)[number];

/** The state each action moves to, and the states it may start from. */
const TRANSITIONS: Record<ChangeOrderAction, { from: readonly ChangeOrderState[]; to: ChangeOrderState }> = {
  quote: { from: ['identified'], to: 'quoted' },
  approve: { from: ['quoted'], to: 'approved' },
  bill: { from: ['approved'], to: 'billed' },
  decline: { from: ['identified', 'quoted', 'approved'], to: 'declined' },
};

/** The column that records when a change order reached each state. */
export const STATE_TIME_COLUMN = {
  identified: 'identified_at',
  quoted: 'quoted_at',
  approved: 'approved_at',
  billed: 'billed_at',
  declined: 'declined_at',
} as const satisfies Record<ChangeOrderState, string>;

/**
 * Where an action takes a change order in a state, or why it cannot.
 *
 * @example
 *   nextChangeOrderState('identified', 'quote') // { ok: true, to: 'quoted' }
 *   nextChangeOrderState('billed', 'decline')   // { ok: false, reason: 'A billed change order cannot be declined.' }
 */
export function nextChangeOrderState(
  state: ChangeOrderState,
  action: ChangeOrderAction,
): { ok: true; to: ChangeOrderState } | { ok: false; reason: string } {
  const t = TRANSITIONS[action];
  if (t.from.includes(state)) return { ok: true, to: t.to };
  const verb = { quote: 'quoted', approve: 'approved', bill: 'billed', decline: 'declined' }[action];
  const allowed = t.from.join(' or ');
  return {
    ok: false,
    reason: `A${state === 'identified' || state === 'approved' ? 'n' : ''} ${state} change order cannot be ${verb}: only ${allowed} ones can.`,
  };
}

/** True when no action can move a change order in this state. */
export const isFinalState = (state: ChangeOrderState): boolean => state === 'billed' || state === 'declined';

/** What the capture report counts per currency: how many reached each state, and their amounts. */
export interface CaptureTotals {
  currency: string;
  identified: { count: number; amount_minor: number };
  quoted: { count: number; amount_minor: number };
  approved: { count: number; amount_minor: number };
  billed: { count: number; amount_minor: number };
  declined: { count: number; amount_minor: number };
}

/**
 * Billed ÷ identified, or null when nothing was identified (no rate, rather than 0 or infinity).
 *
 * @example captureRate(1, 4) // 0.25
 */
export function captureRate(billed: number, identified: number): number | null {
  return identified === 0 ? null : billed / identified;
}

/** One change order as the report sees it: its amount, currency, and when it reached each state. */
export interface ChangeOrderHistory {
  amount_minor: number;
  currency: string;
  quoted_at: string | null;
  approved_at: string | null;
  billed_at: string | null;
  declined_at: string | null;
}

/**
 * The capture totals of change orders, grouped by currency (amounts in different currencies are
 * never added), currencies in alphabetical order. Each change order counts in every state it has
 * reached: a billed one was also identified, quoted and approved. This is the definition the SQL
 * report (`use-cases/change-order-report.ts`) computes; tests hold the two together.
 */
export function captureTotals(orders: readonly ChangeOrderHistory[]): CaptureTotals[] {
  const by = new Map<string, CaptureTotals>();
  const zero = () => ({ count: 0, amount_minor: 0 });
  for (const o of orders) {
    let t = by.get(o.currency);
    if (!t) {
      t = {
        currency: o.currency,
        identified: zero(),
        quoted: zero(),
        approved: zero(),
        billed: zero(),
        declined: zero(),
      };
      by.set(o.currency, t);
    }
    const add = (bucket: { count: number; amount_minor: number }) => {
      bucket.count += 1;
      bucket.amount_minor += o.amount_minor;
    };
    add(t.identified);
    if (o.quoted_at) add(t.quoted);
    if (o.approved_at) add(t.approved);
    if (o.billed_at) add(t.billed);
    if (o.declined_at) add(t.declined);
  }
  return [...by.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/** ISO 4217 shape: three capital letters. */
export const isCurrencyCode = (value: string): boolean => /^[A-Z]{3}$/.test(value);

/**
 * The explicit out-of-scope item a request matches when none was named: the one item whose
 * description and the request contain one another (case and spacing aside); none when no item or
 * more than one does (a guess between two would mislead the report).
 *
 * @example
 *   matchingScopeItem('Please add the second site', [{ id: 's1', description: 'second site' }]) // 's1'
 */
export function matchingScopeItem(
  request: string,
  items: readonly { id: string; description: string }[],
): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const asked = norm(request);
  if (!asked) return null;
  const hits = items.filter((i) => {
    const d = norm(i.description);
    return d !== '' && (asked.includes(d) || d.includes(asked));
  });
  return hits.length === 1 ? hits[0]!.id : null;
}
