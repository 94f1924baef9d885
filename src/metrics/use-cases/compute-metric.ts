import type { Deps } from '../../kernel/context.js';
import { inReadSnapshot } from '../../kernel/db/dialect.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { type MetricDefinition, metricNamed } from '../domain/metric-catalogue.js';
import {
  type Dimension,
  dimensionOf,
  type MetricFilterInput,
  type MetricFilters,
} from '../domain/metric-filters.js';
import { type MetricKey, type MetricRow, STATEMENTS } from '../metric-statements.js';
import { resolveFilters } from '../resolve-filters.js';
import { markedMonths } from '../rollups/rollups.js';

export interface MetricAnswer {
  metric: MetricDefinition;
  filters: MetricFilters;
  by: Dimension;
  rows: MetricRow[];
}

/**
 * One metric of the organisation for the filters, grouped as asked (`by`; the metric's first
 * dimension when not given): its definition and rows, read in one transaction. An unknown metric
 * is 404; bad filters 400 naming each.
 *
 * @example computeMetric(deps, principal, 'first_pass_rate', { from: '2026-01', to: '2026-03', by: 'period' })
 */
export async function computeMetric(
  deps: Pick<Deps, 'store'>,
  principal: Principal,
  key: string,
  query: MetricFilterInput & { by?: string | undefined },
): Promise<MetricAnswer> {
  requireCapability(principal, 'read', 'read the metrics');
  const metric = metricNamed(key);
  if (!metric) throw new AppError('not_found', `No metric ${key}.`);
  return inReadSnapshot(deps.store, async (trx) => {
    const issues: ErrorDetail[] = [];
    const by = dimensionOf(query.by, metric.dimensions, issues);
    const filters = await resolveFilters(trx, principal.orgId, query, issues);
    const marked = await markedMonths(trx, principal.orgId, filters);
    const rows = await STATEMENTS[metric.key as MetricKey](trx, {
      orgId: principal.orgId,
      filters,
      by,
      marked,
    });
    return { metric, filters, by, rows };
  });
}
