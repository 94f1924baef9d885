import type { Insertable } from 'kysely';
import type { Db } from './context.js';
import type { Database } from './db/schema.js';
import { type PreparedQuery, preparedByShape, preparedInsert } from './prepared-query.js';

/**
 * Rows per multi-row INSERT, and ids per DELETE. A statement binds rows × columns parameters; at
 * 100 rows of up to 30 columns, or 500 ids, that stays far below SQLite's limit (32,766) and
 * PostgreSQL's (65,535).
 */
const ROWS_PER_STATEMENT = 100;
const IDS_PER_STATEMENT = 500;

/** Tables whose rows are identified by an `id` column. */
type TableWithId = { [T in keyof Database]: Database[T] extends { id: string } ? T : never }[keyof Database];

/**
 * Inserts the rows, in their order, with as few statements as the parameter limits allow.
 *
 * Example: `await insertRows(trx, 'scope_items', [inScope, outOfScope])`.
 */
export async function insertRows<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT) as readonly Record<string, unknown>[];
    const insert = insertOf(table, chunk);
    if (insert) await insert.rows(db, chunk);
    // Kysely cannot relate a generic table name to its row type; the signature above does.
    else
      await db
        .insertInto(table)
        .values(chunk as never)
        .execute();
  }
}

// Inserts prepared by table, row count and columns: a few shapes per table on the paths that use them.
const insertOfShape = preparedByShape(
  (shape: { table: keyof Database & string; columns: string[]; count: number }) =>
    `${shape.table}|${shape.count}|${shape.columns.join(',')}`,
  (shape) => preparedInsert(shape.table, shape.columns, shape.count),
);

/**
 * The prepared insert of rows that all have the same columns, none undefined; undefined for any
 * other rows (Kysely then decides, row by row, what an absent value means).
 */
function insertOf(
  table: keyof Database & string,
  rows: readonly Record<string, unknown>[],
): PreparedQuery<readonly Record<string, unknown>[], unknown> | undefined {
  const columns = Object.keys(rows[0]!);
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length !== columns.length) return undefined;
    for (let c = 0; c < keys.length; c += 1) {
      if (keys[c] !== columns[c] || row[keys[c]!] === undefined) return undefined;
    }
  }
  return insertOfShape({ table, columns, count: rows.length });
}

/** Deletes the rows with these ids, with as few statements as the parameter limits allow. */
export async function deleteRowsById(db: Db, table: TableWithId, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    await db
      .deleteFrom(table)
      .where('id', 'in', ids.slice(i, i + IDS_PER_STATEMENT))
      .execute();
  }
}
