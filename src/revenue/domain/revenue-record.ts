/**
 * Recurring revenue records: what a record is and how an account's records add up per period.
 * Pure: no I/O (docs/design-folders.md).
 */

/** What a record says of an account's recurring revenue in a month; the kind carries the sign. */
export const REVENUE_KINDS = ['starting', 'expansion', 'contraction', 'churn'] as const;
export type RevenueKind = (typeof REVENUE_KINDS)[number];

export const isRevenueKind = (value: string): value is RevenueKind =>
  (REVENUE_KINDS as readonly string[]).includes(value);

/** A month, `YYYY-MM` (January is `01`). */
export const PERIOD_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';
export const isPeriod = (value: string): boolean => new RegExp(PERIOD_PATTERN).test(value);

/** ISO 4217 shape: three capital letters. */
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
export const isCurrency = (value: string): boolean => new RegExp(CURRENCY_PATTERN).test(value);

/** The largest amount one record may carry, in minor units: sums of thousands stay exact in a double. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/** One record, as the arithmetic needs it. */
export interface RevenueMovement {
  accountId: string;
  period: string;
  kind: RevenueKind;
  amountMinor: number;
  currency: string;
}

/** An account's records of one period and currency added up, and where they leave it. */
export interface PeriodTotals {
  period: string;
  currency: string;
  starting_minor: number;
  expansion_minor: number;
  contraction_minor: number;
  churn_minor: number;
  /** starting + expansion − contraction − churn. */
  ending_minor: number;
}

/**
 * Records added up by period and currency (never across currencies), oldest period first, then
 * by currency.
 *
 * @example
 *   periodTotals([{ accountId: 'a', period: '2026-01', kind: 'starting', amountMinor: 1000, currency: 'EUR' },
 *                 { accountId: 'a', period: '2026-01', kind: 'churn', amountMinor: 200, currency: 'EUR' }])
 *   // [{ period: '2026-01', currency: 'EUR', starting_minor: 1000, …, churn_minor: 200, ending_minor: 800 }]
 */
export function periodTotals(records: readonly RevenueMovement[]): PeriodTotals[] {
  const by = new Map<string, PeriodTotals>();
  for (const r of records) {
    const key = `${r.period}|${r.currency}`;
    let t = by.get(key);
    if (!t) {
      t = {
        period: r.period,
        currency: r.currency,
        starting_minor: 0,
        expansion_minor: 0,
        contraction_minor: 0,
        churn_minor: 0,
        ending_minor: 0,
      };
      by.set(key, t);
    }
    t[`${r.kind}_minor`] += r.amountMinor;
    t.ending_minor += r.kind === 'starting' || r.kind === 'expansion' ? r.amountMinor : -r.amountMinor;
  }
  return [...by.values()].sort(
    (a, b) => compareText(a.period, b.period) || compareText(a.currency, b.currency),
  );
}

/** Code-unit order, the same on every machine and database collation. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
