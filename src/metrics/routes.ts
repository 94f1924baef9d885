import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses } from '../kernel/http/schemas.js';
import { DashboardQuery, DashboardSchema } from './dashboard-schema.js';
import { metricCsv } from './metric-csv.js';
import { MetricAnswerSchema, MetricCatalogueSchema, MetricParams, MetricQuery } from './metric-schema.js';
import { computeDashboard } from './use-cases/compute-dashboard.js';
import { computeMetric } from './use-cases/compute-metric.js';
import { listMetrics } from './use-cases/list-metrics.js';

/** The metrics (docs/metrics.md): the catalogue, each metric's rows as JSON or CSV, the dashboard. */
export function metricRoutes(app: Api, deps: Deps): void {
  const tags = ['metrics'];
  app.get(
    '/metrics',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listMetrics',
        summary: 'The metrics',
        description:
          'Every metric: key, title, unit, definition in words, the dimensions it can be grouped by and the columns of its rows.',
        tags,
        response: { 200: MetricCatalogueSchema, ...errorResponses(403) },
      },
    },
    async (request) => listMetrics(principalOf(request)),
  );
  const description =
    'The metric of the organisation for the filters: `from`/`to` months (YYYY-MM, inclusive; the month a fact is counted in is in its definition), `team` (id or key; handoffs it sends or receives), `sender` (user id or e-mail), `playbook` (a version id), grouped `by` one of its dimensions. Bad filters answer 400 naming each; an unknown metric 404.';
  app.get(
    '/metrics/:key',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getMetric',
        summary: "A metric's rows",
        description,
        tags,
        params: MetricParams,
        querystring: MetricQuery,
        response: { 200: MetricAnswerSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => computeMetric(deps, principalOf(request), request.params.key, request.query),
  );
  app.get(
    '/metrics/:key.csv',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getMetricCsv',
        summary: "A metric's rows (CSV)",
        description: `${description} As a CSV file (UTF-8 with a byte-order mark): the group column, then the metric's columns, the same rows as the JSON.`,
        tags,
        params: MetricParams,
        querystring: MetricQuery,
        produces: ['text/csv'],
        response: {
          200: { description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const answer = await computeMetric(deps, principalOf(request), request.params.key, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${answer.metric.key}.csv"`)
        .header('x-content-type-options', 'nosniff')
        .send(metricCsv(answer) as unknown as string);
    },
  );
  app.get(
    '/dashboard',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getDashboard',
        summary: 'Every figure of the metrics dashboard',
        description:
          'Totals, cycle times, the monthly trend, rejections by reason, the lifecycle funnel, review gaps by field (worst first) and sender scorecards, for `from`/`to` months (YYYY-MM, inclusive), `team` (id or key) and `playbook` (a version id), all read in one transaction. Bad filters answer 400 naming each.',
        tags,
        querystring: DashboardQuery,
        response: { 200: DashboardSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => computeDashboard(deps, principalOf(request), request.query),
  );
}
