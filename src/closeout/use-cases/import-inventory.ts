import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { loadEngagement } from '../../accounts/public.js';
import { insertRows } from '../../kernel/batch-writes.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import {
  csvRefusal,
  type ReadRow as ReadRowOf,
  type RowReading,
  readCsv,
} from '../../kernel/csv/read-csv.js';
import type { InventoryItemsTable } from '../../kernel/db/schema.js';
import type { ErrorDetail } from '../../kernel/errors.js';
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
/** Rows written between two returns to the event loop. */
const ROWS_PER_WRITE = 1_000;

type ReadRow = ReadRowOf<InventoryValues>;

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
  issues.push(...repeatedSerials(rows));
  if (issues.length) throw csvRefusal(issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));

  const now = deps.clock.now().toISOString();
  try {
    return await inTransaction(deps, async (trx) => {
      const onFile = await serialsOnFile(trx, principal.orgId, engagement.id, rows);
      const taken = rows.flatMap((r) =>
        r.value.serial !== null && onFile.has(r.value.serial)
          ? [
              {
                path: `/rows/${r.line}/serial`,
                line: r.line,
                code: 'duplicate_serial',
                message: `line ${r.line}: serial ${r.value.serial} is already the serial of an item of this engagement`,
              },
            ]
          : [],
      );
      if (taken.length) throw csvRefusal(taken);
      const written: InventoryItemsTable[] = rows.map((r) => ({
        id: newId(),
        org_id: principal.orgId,
        engagement_id: engagement.id,
        ...r.value,
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

/** Reads and checks every row of the file, as it streams in. */
function readRows(source: NodeJS.ReadableStream | AsyncIterable<string | Buffer>, maxRows: number) {
  return readCsv<InventoryValues>(source, {
    maxRows,
    noun: 'items',
    header: (cells) => {
      const header = mapHeader(cells);
      return header.ok ? { ok: true, row: (record, line) => rowOf(record, header.fields, line) } : header;
    },
  });
}

/** One record of the file as an item's values, or its problems. */
function rowOf(record: string[], fields: InventoryField[], line: number): RowReading<InventoryValues> {
  const input: Partial<Record<InventoryField, string>> = {};
  fields.forEach((field, i) => {
    input[field] = record[i]!;
  });
  const checked = checkInventoryItem(input, `/rows/${line}`);
  if (checked.ok) return { ok: true, value: checked.values };
  return {
    ok: false,
    issues: checked.issues.map((issue) => ({
      ...issue,
      line,
      message: `line ${line}: ${issue.path.split('/').pop()} ${issue.message}`,
    })),
  };
}

/** A serial given on two rows of the file: the later row is refused, naming the earlier. */
function repeatedSerials(rows: readonly ReadRow[]): ErrorDetail[] {
  const first = new Map<string, number>();
  const issues: ErrorDetail[] = [];
  for (const { line, value: values } of rows) {
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
  const serials = rows.flatMap((r) => (r.value.serial === null ? [] : [r.value.serial]));
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
