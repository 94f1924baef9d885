/**
 * What other features and the composition root may use of revenue, its public face: the routes,
 * and the retention report (its TypeBox answer schema, for the dashboard to chart, the use case
 * and the pure definition it is held to).
 *
 * Example: `import { RetentionReportSchema, retentionReport } from '../../revenue/public.js'`.
 */
export { NO_GO_LIVE, type RetentionQuery, retention } from './domain/retention.js';
export {
  RetentionQuerySchema,
  type RetentionReport,
  RetentionReportSchema,
  type RetentionRow,
  RetentionRowSchema,
} from './revenue-schema.js';
export { revenueRoutes } from './routes.js';
export { retentionReport } from './use-cases/retention-report.js';
