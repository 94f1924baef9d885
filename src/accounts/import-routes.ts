import type { Deps } from '../kernel/context.js';
import { acceptCsvUploads, csvUpload } from '../kernel/csv/upload.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses } from '../kernel/http/schemas.js';
import { IMPORT_KINDS } from './domain/import-headers.js';
import { RecordImportSchema } from './record-import-schema.js';
import { checkRecordImport, importRecords, MAX_RECORD_IMPORT_ROWS } from './use-cases/import-records.js';

/** The largest CSV file an import of records reads (32 MiB: well over 50,000 rows of a CRM export). */
export const RECORD_IMPORT_MAX_BYTES = 32 * 1024 * 1024;

const COLUMNS = {
  accounts:
    'Name (or Account Name, Company Name), Notes (or Description), Id (a Baton id, else a Salesforce id), Record ID / Company ID (HubSpot), External ids (JSON)',
  contacts:
    'Name, or First Name and Last Name; Email; Phone; Title (Job Title); Role; the account as Account ID (Baton, Salesforce or HubSpot id) or Account Name / Associated Company (created when none matches); Id, Contact ID (Salesforce), Record ID (HubSpot)',
  engagements:
    'Name (Opportunity Name, Deal Name); Stage (StageName, Deal Stage); Close Date (the contract signing day); the account as Account ID or Account Name / Associated Company (created when none matches); Id, Opportunity ID (Salesforce), Record ID / Deal ID (HubSpot)',
} as const;

/** Routes that import accounts, contacts and engagements from CSV files. */
export function recordImportRoutes(app: Api, deps: Deps): void {
  acceptCsvUploads(app);
  for (const kind of IMPORT_KINDS) {
    const noun = kind.slice(0, -1);
    app.post(
      `/${kind}/import`,
      {
        config: { scope: 'records' },
        // Checked before the upload is read: a caller who may not import is told so at once.
        preValidation: async (request) => checkRecordImport(principalOf(request)),
        schema: {
          operationId: `import${kind[0]!.toUpperCase()}${kind.slice(1)}`,
          summary: `Import ${kind} from CSV`,
          description: `Creates or updates one ${noun} per row of a CSV file (\`text/csv\`, UTF-8, a header row first), all or nothing: when any row is bad, nothing is written and the 422 names every bad row by its line and reason (\`errors[].line\`). Headers are read whatever their case, spacing and punctuation, through a dictionary that reads Baton's own exports and Salesforce's and HubSpot's exports as they are (docs/csv-import.md); columns those exports carry that Baton keeps nowhere are skipped, a column it does not know is refused. A row is matched to an existing ${noun} by Baton id, external id, then name${kind === 'contacts' ? ' or e-mail' : ''}, and updated only when something changed: a re-import creates nothing. At most ${MAX_RECORD_IMPORT_ROWS} rows and ${RECORD_IMPORT_MAX_BYTES / 1024 / 1024} MiB (413 beyond).`,
          tags: ['accounts'],
          body: { content: { 'text/csv': { schema: { description: `Columns: ${COLUMNS[kind]}` } } } },
          response: { 200: RecordImportSchema, ...errorResponses(403, 422) },
        },
      },
      async (request) =>
        importRecords(deps, principalOf(request), kind, csvUpload(request, RECORD_IMPORT_MAX_BYTES)),
    );
  }
}
