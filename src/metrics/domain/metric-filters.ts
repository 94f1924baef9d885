import type { ErrorDetail } from '../../kernel/errors.js';

/** What a metric's rows can be grouped by (docs/metrics.md, "Filters and grouping"). */
export const DIMENSIONS = ['period', 'team', 'sender', 'playbook', 'none'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * The filters of a metric, as asked: months as `YYYY-MM` (inclusive), a team (its id or key), a
 * sender (a user's id or e-mail address), a playbook (one version's id).
 */
export interface MetricFilterInput {
  from?: string | undefined;
  to?: string | undefined;
  team?: string | undefined;
  sender?: string | undefined;
  playbook?: string | undefined;
}

/** The filters once checked: months valid and in order, records resolved to their ids. */
export interface MetricFilters {
  from: string | null;
  to: string | null;
  team: string | null;
  sender: string | null;
  playbook: string | null;
}

const MONTH = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

/**
 * Checks the months of a filter: each a real `YYYY-MM`, `to` not before `from`. Pushes one
 * problem per bad parameter onto `issues`, named by its path (`/from`, `/to`).
 *
 * @example monthRange({ from: '2026-01', to: '2025-12' }, issues) // issues: /to must not be before from
 */
export function monthRange(
  input: Pick<MetricFilterInput, 'from' | 'to'>,
  issues: ErrorDetail[],
): { from: string | null; to: string | null } {
  const month = (name: 'from' | 'to') => {
    const value = input[name];
    if (value === undefined || value === '') return null;
    if (!MONTH.test(value)) {
      issues.push({ path: `/${name}`, message: 'must be a month, YYYY-MM' });
      return null;
    }
    return value;
  };
  const from = month('from');
  const to = month('to');
  if (from && to && to < from) issues.push({ path: '/to', message: 'must not be before from' });
  return { from, to };
}

/** The grouping asked for, or a problem at `/by` naming the ones the metric takes. */
export function dimensionOf(
  by: string | undefined,
  allowed: readonly Dimension[],
  issues: ErrorDetail[],
): Dimension {
  const fallback = allowed[0]!;
  if (by === undefined || by === '') return fallback;
  if ((allowed as readonly string[]).includes(by)) return by as Dimension;
  issues.push({ path: '/by', message: `must be one of ${allowed.join(', ')}` });
  return fallback;
}
