import { type Principal, requireCapability } from '../../kernel/principal.js';
import { METRICS, type MetricDefinition } from '../domain/metric-catalogue.js';

/** The catalogue of metrics: key, title, unit, definition, what each can be grouped by, its columns. */
export function listMetrics(principal: Principal): { items: MetricDefinition[] } {
  requireCapability(principal, 'read', 'read the metrics');
  return { items: [...METRICS] };
}
