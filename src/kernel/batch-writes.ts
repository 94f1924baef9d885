import type { Insertable } from 'kysely';
import type { Db } from './context.js';
import type { Database } from './db/schema.js';

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
    // Kysely cannot relate a generic table name to its row type; the signature above does.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + ROWS_PER_STATEMENT) as never)
      .execute();
  }
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
