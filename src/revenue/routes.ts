import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { acceptCsvUploads, csvUpload } from '../kernel/csv/upload.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import {
  AccountRevenueSchema,
  RetentionQuerySchema,
  RetentionReportSchema,
  RevenueBatchResultSchema,
  RevenueBatchSchema,
  RevenueImportSchema,
  RevenueListQuery,
  RevenueRecordSchema,
} from './revenue-schema.js';
import { accountRevenue } from './use-cases/account-revenue.js';
import { checkRevenueImport, importRevenue, MAX_REVENUE_IMPORT_ROWS } from './use-cases/import-revenue.js';
import { listRevenueRecords } from './use-cases/list-revenue-records.js';
import { recordRevenue } from './use-cases/record-revenue.js';
import { removeRevenueRecord } from './use-cases/remove-revenue-record.js';
import { retentionReport } from './use-cases/retention-report.js';

/** A batch of 5,000 records with long ids and notes fits with room to spare. */
const REVENUE_BATCH_BODY_LIMIT = 16 * 1024 * 1024;
/** The largest CSV file of revenue records an import reads. */
export const REVENUE_IMPORT_MAX_BYTES = 32 * 1024 * 1024;

/** Recurring revenue records of accounts, their CSV import, and the retention report. */
export function revenueRoutes(app: Api, deps: Deps): void {
  const tags = ['revenue'];
  acceptCsvUploads(app);
  app.post(
    '/revenue-records',
    {
      bodyLimit: REVENUE_BATCH_BODY_LIMIT,
      config: { scope: 'records' },
      schema: {
        operationId: 'recordRevenue',
        summary: 'Post a batch of revenue records',
        description:
          "Up to 5,000 records of accounts' recurring revenue, all or nothing: each a month (`period`), a kind (`starting`, `expansion`, `contraction`, `churn`), a non-negative amount in minor units and an ISO 4217 currency. Each names its account by `account_id` or `account_external_id` (`system:id`). A malformed item is refused (400), one naming an account not of this organisation too (422), each named by path; nothing is stored then. Idempotent on `external_id`: a record posted before is counted in `duplicates` and left as it was. Audited as one `revenue.recorded` entry.",
        tags,
        body: RevenueBatchSchema,
        response: { 200: RevenueBatchResultSchema, ...errorResponses(400, 403, 422) },
      },
    },
    async (request) => recordRevenue(deps, principalOf(request), request.body.records),
  );
  app.get(
    '/revenue-records',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listRevenueRecords',
        summary: 'Revenue records',
        description:
          "The organisation's revenue records, optionally of one account (`account_id`) and within months `[from, to]`, oldest period first.",
        tags,
        querystring: RevenueListQuery,
        response: { 200: Page(RevenueRecordSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => listRevenueRecords(deps, principalOf(request), request.query),
  );
  app.delete(
    '/revenue-records/:id',
    {
      config: { scope: 'records' },
      schema: {
        operationId: 'removeRevenueRecord',
        summary: 'Remove a revenue record',
        description: 'Removes a record made in error; audited as `revenue.removed` with what it said.',
        tags,
        params: IdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await removeRevenueRecord(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/revenue-records/import',
    {
      config: { scope: 'records' },
      preValidation: async (request) => checkRevenueImport(principalOf(request)),
      schema: {
        operationId: 'importRevenueRecords',
        summary: 'Import revenue records from CSV',
        description: `One record per row of a CSV file (\`text/csv\`, UTF-8, a header row first), all or nothing: when any row is bad, nothing is written and the 422 names every bad line and why (\`errors[].line\`). Columns (case and punctuation aside): Account ID (a Baton id or \`system:id\`) or Account External ID, Period (YYYY-MM), Kind, Amount minor (integer minor units) or Amount (in the currency's units), Currency, External ID, Note; Baton's own \`/revenue-records.csv\` reads back. Rows whose External ID is stored already are duplicates, left as they were. At most ${MAX_REVENUE_IMPORT_ROWS} rows and ${REVENUE_IMPORT_MAX_BYTES / 1024 / 1024} MiB (413 beyond).`,
        tags,
        body: { content: { 'text/csv': { schema: { description: 'The revenue records, one per row' } } } },
        response: { 200: RevenueImportSchema, ...errorResponses(403, 422) },
      },
    },
    async (request) =>
      importRevenue(deps, principalOf(request), csvUpload(request, REVENUE_IMPORT_MAX_BYTES)),
  );
  app.get(
    '/accounts/:id/revenue',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getAccountRevenue',
        summary: "An account's recurring revenue",
        description:
          'Every revenue record of the account and their totals per month and currency (starting, expansion, contraction, churn, ending), never added across currencies.',
        tags,
        params: IdParams,
        response: { 200: AccountRevenueSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => accountRevenue(deps, principalOf(request), request.params.id),
  );
  app.get(
    '/reports/retention',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getRetentionReport',
        summary: 'Net and gross revenue retention',
        description:
          "NRR = (starting + expansion − contraction − churn) ÷ starting and GRR = (starting − contraction − churn) ÷ starting, both null when starting is 0, per window (`grain`: month, or quarter with `from` and `to` widened to whole quarters) and currency, never added across currencies; `by=cohort` groups the accounts by the quarter of their go-live (first closeout), `none` for those not live. Starting is the sum of `starting` records of the window's first month; the movements are those of every month of it. Definitions: docs/metrics.md.",
        tags,
        querystring: RetentionQuerySchema,
        response: { 200: RetentionReportSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => retentionReport(deps, principalOf(request), request.query),
  );
}
