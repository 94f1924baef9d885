import { headerKey, resolveAccountReferences } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { csvRefusal, readCsv } from '../../kernel/csv/read-csv.js';
import { isId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { mapRevenueHeader, type RevenueRow } from '../domain/revenue-csv.js';
import type { RevenueImport } from '../revenue-schema.js';
import { storeRevenueRecords } from './revenue-records.js';

/** The most rows one file may hold: a bound on the memory an import holds before it writes. */
export const MAX_REVENUE_IMPORT_ROWS = 50_000;

/**
 * Imports revenue records from a CSV file, all or nothing: read as it streams in through the
 * kernel's CSV reader, each row checked (`mapRevenueHeader`), each account resolved as the batch
 * API resolves them (by Baton id or `system:id`); any bad line refuses the file (422 naming every
 * bad line and why) and nothing is written. Then, in one transaction, the records are stored as a
 * batch: a row whose `External ID` is stored already is a duplicate, left as it was, so a file
 * with external ids imports once however often it is sent. Published as one `revenue.recorded`.
 *
 * @example
 *   await importRevenue(deps, principal, Readable.from(['Account ID,Period,Kind,Amount minor,Currency\n…']))
 *   // { rows: 1, accepted: 1, duplicates: 0 }
 */
export async function importRevenue(
  deps: Deps,
  principal: Principal,
  source: NodeJS.ReadableStream | AsyncIterable<string | Buffer>,
  options: { maxRows?: number; onProgress?: (p: { rows: number; bytes: number }) => void } = {},
): Promise<RevenueImport> {
  checkRevenueImport(principal);
  const read = await readCsv<RevenueRow>(source, {
    header: (cells) => mapRevenueHeader(cells, headerKey, isId),
    maxRows: options.maxRows ?? MAX_REVENUE_IMPORT_ROWS,
    noun: 'revenue records',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (read.issues.length) throw csvRefusal(read.issues);
  const values = read.rows.map((r) => r.value);
  const { accountIds, errors } = await resolveAccountReferences(
    deps.store.db,
    principal.orgId,
    values,
    (i) => `/rows/${read.rows[i]!.line}`,
  );
  if (errors.length) {
    const lineOf = (path: string) => Number(path.split('/')[2]);
    throw csvRefusal(
      errors.map((e) => ({ ...e, line: lineOf(e.path), message: `line ${lineOf(e.path)}: ${e.message}` })),
    );
  }
  const now = deps.clock.now();
  const result = await inTransaction(deps, (trx) =>
    storeRevenueRecords(
      trx,
      principal,
      values.map((v, i) => ({
        accountId: accountIds[i]!,
        period: v.period,
        kind: v.kind,
        amountMinor: v.amount_minor,
        currency: v.currency,
        externalId: v.external_id,
        note: v.note,
      })),
      'csv',
      now,
    ),
  );
  return { rows: values.length, ...result };
}

/** What an import checks before it reads a byte: the caller's role. The route checks it before the upload, too. */
export function checkRevenueImport(principal: Principal): void {
  requireCapability(principal, 'write_records', 'import revenue records');
}
