import SQLite from 'better-sqlite3';
import pg from 'pg';
import { HISTORY_TABLES, type HistoryBatch } from '../../src/demo/seed-history.js';

/**
 * Fast paths for writing a seeded history of a million handoffs in minutes (the product's own
 * `baton seed-demo` writes through the store with multi-row INSERTs; these are for benchmarks):
 * a bare better-sqlite3 connection with prepared single-row inserts in one transaction per batch,
 * or PostgreSQL `INSERT … SELECT * FROM unnest($1::text[], …)`, one statement per table and batch.
 * The facts reference only their organisation, so the bench can write them (`detail: 'facts'`)
 * without the live handoffs, checkpoints and promises they describe.
 */
export interface HistoryWriter {
  write(batch: HistoryBatch): Promise<void>;
  /** Updates the planner's statistics (as autovacuum or a periodic ANALYZE would) and closes. */
  finish(): Promise<void>;
}

export function sqliteHistoryWriter(path: string): HistoryWriter {
  const db = new SQLite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -262144');
  const statements = new Map<string, { columns: string[]; statement: SQLite.Statement }>();
  const insertOf = (table: string, row: Record<string, unknown>) => {
    let s = statements.get(table);
    if (!s) {
      const columns = Object.keys(row);
      s = {
        columns,
        statement: db.prepare(
          `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        ),
      };
      statements.set(table, s);
    }
    return s;
  };
  const writeAll = db.transaction((batch: HistoryBatch) => {
    for (const table of HISTORY_TABLES) {
      const rows = batch.get(table);
      if (!rows?.length) continue;
      const { columns, statement } = insertOf(table, rows[0]!);
      for (const row of rows) statement.run(columns.map((c) => row[c] ?? null));
    }
  });
  return {
    async write(batch) {
      writeAll(batch);
    },
    async finish() {
      db.exec('ANALYZE');
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

const ARRAY_TYPES: Record<string, string> = { text: 'text[]', integer: 'int4[]', bigint: 'int8[]' };

export async function postgresHistoryWriter(url: string): Promise<HistoryWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const types = new Map<string, Map<string, string>>();
  for (const row of (
    await client.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'public'`,
    )
  ).rows) {
    const table = types.get(row.table_name) ?? new Map<string, string>();
    table.set(row.column_name, ARRAY_TYPES[row.data_type] ?? 'text[]');
    types.set(row.table_name, table);
  }
  return {
    async write(batch) {
      await client.query('begin');
      try {
        for (const table of HISTORY_TABLES) {
          const rows = batch.get(table);
          if (!rows?.length) continue;
          const columns = Object.keys(rows[0]!);
          const casts = columns.map((c, i) => `$${i + 1}::${types.get(table)?.get(c) ?? 'text[]'}`);
          await client.query(
            `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${casts.join(', ')})`,
            columns.map((c) => rows.map((r) => r[c] ?? null)),
          );
        }
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
    async finish() {
      await client.query('analyze');
      await client.end();
    },
  };
}
