import { pipeline, Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
import { loadEngagement } from '../../accounts/public.js';
import { insertRows } from '../../kernel/batch-writes.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import type { InventoryItemsTable } from '../../kernel/db/schema.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { unescapeCsvCell } from '../../kernel/escape/csv.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import {
  checkInventoryItem,
  type InventoryField,
  type InventoryValues,
  mapHeader,
} from '../domain/inventory-item.js';
import { duplicateSerialOr } from './add-inventory-item.js';

/** The most rows one file may hold: a bound on the memory an import holds before it writes. */
export const MAX_IMPORT_ROWS = 50_000;
/** Rows read between two returns to the event loop, so a large file never stalls other requests. */
const ROWS_PER_YIELD = 500;
/** Rows written between two returns to the event loop. */
const ROWS_PER_WRITE = 1_000;

/** A line break inside a quoted cell, as CSV files write them. */
const LINE_BREAK = /\r\n|\r|\n/g;

/** A row read from the file, checked, with the line it starts on. */
interface ReadRow {
  line: number;
  values: InventoryValues;
}

/**
 * Imports a CSV file into the engagement's inventory, all or nothing. The file is read as it
 * streams in (csv-parse), row by row, each row checked as an item is (`checkInventoryItem`) and
 * its cells read back from their CSV-injection escape (`unescapeCsvCell`); the header maps columns
 * to fields by name, case and spaces aside. Only when every row is good are they written, in one
 * transaction opened after the upload ends (a slow upload holds no transaction open). Otherwise
 * nothing is written and the 422 names every bad row by its line (the line it starts on) and
 * reason, serials repeated in the file or already on the engagement included.
 * Publishes `inventory.imported` with the count.
 *
 * @example
 *   await importInventory(deps, principal, engagementId, Readable.from(['Type,Serial\nCamera,AX-1\n']))
 *   // { imported: 1 }
 */
export async function importInventory(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  source: NodeJS.ReadableStream | AsyncIterable<string | Buffer>,
  limits: { maxRows?: number } = {},
): Promise<{ imported: number }> {
  const engagement = await checkImportTarget(deps, principal, engagementId);
  const { rows, issues, bytes } = await readRows(source, limits.maxRows ?? MAX_IMPORT_ROWS);
  if (issues.length === 0 && rows.length === 0)
    issues.push({
      path: '/rows',
      message: 'the file has no rows to import (a header row, then one row per item)',
    });
  issues.push(...repeatedSerials(rows));
  if (issues.length) throw refusal(issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));

  const now = deps.clock.now().toISOString();
  try {
    return await inTransaction(deps, async (trx) => {
      const onFile = await serialsOnFile(trx, principal.orgId, engagement.id, rows);
      const taken = rows.flatMap((r) =>
        r.values.serial !== null && onFile.has(r.values.serial)
          ? [
              {
                path: `/rows/${r.line}/serial`,
                line: r.line,
                code: 'duplicate_serial',
                message: `line ${r.line}: serial ${r.values.serial} is already the serial of an item of this engagement`,
              },
            ]
          : [],
      );
      if (taken.length) throw refusal(taken);
      const written: InventoryItemsTable[] = rows.map((r) => ({
        id: newId(),
        org_id: principal.orgId,
        engagement_id: engagement.id,
        ...r.values,
        created_by: principal.userId,
        created_at: now,
        updated_at: now,
      }));
      for (let i = 0; i < written.length; i += ROWS_PER_WRITE) {
        await insertRows(trx, 'inventory_items', written.slice(i, i + ROWS_PER_WRITE));
        if (i + ROWS_PER_WRITE < written.length) await yieldToEventLoop();
      }
      await publish(trx, {
        type: 'inventory.imported',
        orgId: principal.orgId,
        actor: { type: 'user', id: principal.userId },
        at: new Date(now),
        engagementId: engagement.id,
        count: written.length,
        bytes,
      });
      return { imported: written.length };
    });
  } catch (error) {
    throw duplicateSerialOr(error);
  }
}

/**
 * What an import checks before it reads a byte: the caller's role, and the engagement (in the
 * caller's organisation). The route checks it before the upload is read, too.
 */
export async function checkImportTarget(deps: Deps, principal: Principal, engagementId: string) {
  requireCapability(principal, 'write_records', 'import the inventory');
  return loadEngagement(deps.store.db, principal.orgId, engagementId);
}

function refusal(issues: ErrorDetail[]): AppError {
  const lines = new Set(issues.map((i) => i.line).filter((l) => l !== undefined));
  return new AppError(
    'unprocessable',
    lines.size > 0
      ? `${lines.size} line${lines.size === 1 ? '' : 's'} of the file ${lines.size === 1 ? 'is' : 'are'} not valid: nothing was imported.`
      : 'The file cannot be imported: nothing was imported.',
    issues,
  );
}

/** Reads and checks every row of the file, as it streams in. */
async function readRows(
  source: NodeJS.ReadableStream | AsyncIterable<string | Buffer>,
  maxRows: number,
): Promise<{ rows: ReadRow[]; issues: ErrorDetail[]; bytes: number }> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  const input = 'pipe' in source ? source : Readable.from(source);
  // The pipeline destroys the parser when the upload fails (and the upload when parsing stops).
  pipeline(input as NodeJS.ReadableStream, parser, () => {});
  const rows: ReadRow[] = [];
  const issues: ErrorDetail[] = [];
  let fields: InventoryField[] | null = null;
  let nextLine = 1;
  let previousEmpty = 0;
  let read = 0;
  try {
    for await (const { info, record } of parser as AsyncIterable<{
      info: { empty_lines: number };
      record: string[];
    }>) {
      // The line a record starts on: after the previous record's lines and the empty lines skipped.
      // (Counted here: csv-parse's own count takes a CRLF inside a quoted cell for two lines.)
      const line = nextLine + (info.empty_lines - previousEmpty);
      nextLine = line + 1 + record.reduce((n, cell) => n + (cell.match(LINE_BREAK)?.length ?? 0), 0);
      previousEmpty = info.empty_lines;
      if (fields === null) {
        const header = mapHeader(record);
        if (!header.ok) {
          issues.push(...header.issues);
          break;
        }
        fields = header.fields;
        continue;
      }
      // A row of empty cells (",,,,": spreadsheets save trailing rows so) is no item; it is skipped.
      if (record.every((cell) => cell.trim() === '')) continue;
      if (++read > maxRows) {
        issues.push({
          path: '/rows',
          line,
          message: `the file has more than ${maxRows} rows; import it in parts`,
        });
        break;
      }
      const row = rowOf(record, fields, line, issues);
      if (row) rows.push(row);
      if (read % ROWS_PER_YIELD === 0) await yieldToEventLoop();
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The file stops being CSV here (a quote never closed…): what came before is reported too.
    const line = (error as CsvError & { lines?: number }).lines ?? nextLine;
    issues.push({
      path: '/rows',
      line,
      code: error.code,
      message: `the file is not valid CSV: ${error.message}`,
    });
  } finally {
    parser.destroy();
  }
  if (fields === null && issues.length === 0)
    issues.push({
      path: '/header',
      line: 1,
      message: 'the file is empty: it needs a header row naming the columns',
    });
  return { rows, issues, bytes: (parser.info as { bytes: number }).bytes };
}

/** One record of the file as an item's values, or its problems added to `issues`. */
function rowOf(
  record: string[],
  fields: InventoryField[],
  line: number,
  issues: ErrorDetail[],
): ReadRow | null {
  if (record.length !== fields.length) {
    issues.push({
      path: `/rows/${line}`,
      line,
      message: `line ${line} has ${record.length} cell${record.length === 1 ? '' : 's'}; the header has ${fields.length}`,
    });
    return null;
  }
  const input: Partial<Record<InventoryField, string>> = {};
  fields.forEach((field, i) => {
    input[field] = unescapeCsvCell(record[i]!);
  });
  const checked = checkInventoryItem(input, `/rows/${line}`);
  if (checked.ok) return { line, values: checked.values };
  for (const issue of checked.issues)
    issues.push({ ...issue, line, message: `line ${line}: ${issue.path.split('/').pop()} ${issue.message}` });
  return null;
}

/** A serial given on two rows of the file: the later row is refused, naming the earlier. */
function repeatedSerials(rows: readonly ReadRow[]): ErrorDetail[] {
  const first = new Map<string, number>();
  const issues: ErrorDetail[] = [];
  for (const { line, values } of rows) {
    if (values.serial === null) continue;
    const seen = first.get(values.serial);
    if (seen === undefined) first.set(values.serial, line);
    else
      issues.push({
        path: `/rows/${line}/serial`,
        line,
        code: 'duplicate_serial',
        message: `line ${line}: serial ${values.serial} is also on line ${seen}`,
      });
  }
  return issues;
}

/** The serials of the rows that items of the engagement already have. */
async function serialsOnFile(
  db: Parameters<typeof insertRows>[0],
  orgId: string,
  engagementId: string,
  rows: readonly ReadRow[],
): Promise<Set<string>> {
  const serials = rows.flatMap((r) => (r.values.serial === null ? [] : [r.values.serial]));
  const found = new Set<string>();
  for (let i = 0; i < serials.length; i += 500) {
    const chunk = await db
      .selectFrom('inventory_items')
      .select('serial')
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .where('serial', 'in', serials.slice(i, i + 500))
      .execute();
    for (const r of chunk) if (r.serial !== null) found.add(r.serial);
  }
  return found;
}
