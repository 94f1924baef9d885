import { compareText, type RevenueMovement } from './revenue-record.js';

/**
 * Net and gross revenue retention (docs/metrics.md, "Revenue and retention"). Pure: the SQL of
 * `use-cases/retention-report.ts` computes the same figures in one statement, and a property test
 * holds the two together on random records.
 *
 * For a window W (a month, or a quarter of three) and a currency C (never added across currencies):
 *   starting    = Σ `starting` records of W's first month (the revenue W began with)
 *   expansion   = Σ `expansion` records of every month of W, and likewise contraction and churn
 *   NRR = (starting + expansion − contraction − churn) ÷ starting
 *   GRR = (starting − contraction − churn) ÷ starting
 * both null when starting is 0. By cohort, the same per group of accounts: those that went live
 * (first closeout) in one calendar quarter (UTC), and those that have not (`none`).
 */

export type RetentionGrain = 'month' | 'quarter';
export type RetentionBy = 'period' | 'cohort';

/** The cohort of accounts that have not gone live. */
export const NO_GO_LIVE = 'none';

export interface RetentionQuery {
  /** First month, `YYYY-MM`, inclusive. */
  from: string;
  /** Last month, `YYYY-MM`, inclusive. */
  to: string;
  grain: RetentionGrain;
  by: RetentionBy;
}

/** One row of the answer: a window, a currency and (by cohort) a cohort. */
export interface RetentionFigures {
  period: string;
  cohort?: string;
  currency: string;
  starting_minor: number;
  expansion_minor: number;
  contraction_minor: number;
  churn_minor: number;
  nrr: number | null;
  grr: number | null;
}

/** The window a month falls in: the month itself, or its quarter (`2026-02` → `2026-Q1`). */
export function windowOf(period: string, grain: RetentionGrain): string {
  return grain === 'month' ? period : quarterOf(period);
}

/** The calendar quarter of a month or an instant (`2026-05`, `2026-05-17T…` → `2026-Q2`). */
export function quarterOf(monthOrInstant: string): string {
  return `${monthOrInstant.slice(0, 4)}-Q${Math.floor((Number(monthOrInstant.slice(5, 7)) + 2) / 3)}`;
}

/** Whether a month opens its window (every month does by month; January, April, July, October by quarter). */
export function opensWindow(period: string, grain: RetentionGrain): boolean {
  return grain === 'month' || ['01', '04', '07', '10'].includes(period.slice(5, 7));
}

/** The months a query reads: by quarter, widened to whole quarters (`2026-02`…`2026-04` → `2026-01`…`2026-06`). */
export function monthsRead(query: Pick<RetentionQuery, 'from' | 'to' | 'grain'>): {
  from: string;
  to: string;
} {
  if (query.grain === 'month') return { from: query.from, to: query.to };
  const first = (p: string) =>
    `${p.slice(0, 4)}-${String(Math.floor((Number(p.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}`;
  const last = (p: string) =>
    `${p.slice(0, 4)}-${String(Math.floor((Number(p.slice(5, 7)) - 1) / 3) * 3 + 3).padStart(2, '0')}`;
  return { from: first(query.from), to: last(query.to) };
}

/** NRR and GRR of the sums, null when nothing was there to retain. */
export function retentionRates(s: {
  starting_minor: number;
  expansion_minor: number;
  contraction_minor: number;
  churn_minor: number;
}): { nrr: number | null; grr: number | null } {
  if (s.starting_minor === 0) return { nrr: null, grr: null };
  return {
    nrr: (s.starting_minor + s.expansion_minor - s.contraction_minor - s.churn_minor) / s.starting_minor,
    grr: (s.starting_minor - s.contraction_minor - s.churn_minor) / s.starting_minor,
  };
}

/**
 * Retention of the records in the query's months, by window and currency (and cohort), one row per
 * window, currency (and cohort) that has any record, ordered by cohort, window, currency.
 * `goLive` maps each account that has gone live to its go-live instant.
 *
 * @example
 *   retention(records, { from: '2026-01', to: '2026-03', grain: 'month', by: 'period' }, new Map())
 */
export function retention(
  records: readonly RevenueMovement[],
  query: RetentionQuery,
  goLive: ReadonlyMap<string, string>,
): RetentionFigures[] {
  const { from, to } = monthsRead(query);
  const rows = new Map<string, RetentionFigures>();
  for (const r of records) {
    if (r.period < from || r.period > to) continue;
    const period = windowOf(r.period, query.grain);
    const at = goLive.get(r.accountId);
    const cohort = query.by === 'cohort' ? (at === undefined ? NO_GO_LIVE : quarterOf(at)) : undefined;
    const key = `${cohort ?? ''}|${period}|${r.currency}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        period,
        ...(cohort === undefined ? {} : { cohort }),
        currency: r.currency,
        starting_minor: 0,
        expansion_minor: 0,
        contraction_minor: 0,
        churn_minor: 0,
        nrr: null,
        grr: null,
      };
      rows.set(key, row);
    }
    if (r.kind !== 'starting') row[`${r.kind}_minor`] += r.amountMinor;
    else if (opensWindow(r.period, query.grain)) row.starting_minor += r.amountMinor;
  }
  return sortRetention([...rows.values()].map((row) => ({ ...row, ...retentionRates(row) })));
}

/** The answer's order: cohort, window, currency, each in code-unit order. */
export function sortRetention(rows: RetentionFigures[]): RetentionFigures[] {
  return rows.sort(
    (a, b) =>
      compareText(a.cohort ?? '', b.cohort ?? '') ||
      compareText(a.period, b.period) ||
      compareText(a.currency, b.currency),
  );
}
