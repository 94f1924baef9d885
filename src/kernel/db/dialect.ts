import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  type SelectQueryBuilder,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { GroupCommitDriver, type GroupCommitStats, sqliteDialect } from './sqlite-group-commit.js';
import { sqliteSnapshotDialect } from './sqlite-snapshots.js';
import { statementName } from './statement-names.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import { GroupSyncer, walFileSync } from './wal-syncer.js';

/**
 * Everything that differs between SQLite and PostgreSQL lives in this file (and, for how SQLite
 * commits, in sqlite-group-commit.ts): how to connect, how a row lock is spelled, and how a
 * unique violation is recognised. (How text is matched in any case: text-match.ts.)
 */
export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the store lives, with any password removed; safe to print. */
  description: string;
  /** On SQLite, how many commits carried how many transactions (see sqlite-group-commit.ts). */
  groupCommit?: GroupCommitStats;
  /**
   * On a SQLite file, read snapshots on worker threads (sqlite-snapshots.ts): `inReadSnapshot`
   * runs there, so a long read does not hold the server's thread.
   */
  snapshots?: Kysely<Database>;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (COUNT(*), SUM) as text by default; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Makes a new PostgreSQL connection send each named statement (`statement-names.ts`) as a
 * prepared one: parsed and planned on the server the first time the connection runs it, then
 * only bound and executed. Everything else goes as before, unnamed.
 */
function sendNamedStatementsPrepared(client: pg.PoolClient): void {
  // The class's own query, looked up at each call (so whatever wraps it, a test's spy, sees each).
  const query = (...args: unknown[]) =>
    (pg.Client.prototype.query as (...a: unknown[]) => unknown).apply(client, args);
  // Kysely calls query(sql, parameters); every other form (a config object, a cursor) passes through.
  (client as { query: unknown }).query = (first: unknown, ...rest: unknown[]) => {
    const name = typeof first === 'string' ? statementName(first) : undefined;
    if (name === undefined || rest.length !== 1 || !Array.isArray(rest[0])) return query(first, ...rest);
    return query({ name, text: first, values: rest[0] });
  };
}

/** Worker threads reading snapshots of a SQLite file: two long reads at once, a third waits. */
const SNAPSHOT_READERS = 2;

/** Opens the store named by `url`: a `postgres://` URL, or a SQLite file path (or `:memory:`). */
export function openStore(url: string, options: { poolSize?: number } = {}): Store {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    pool.on('connect', sendNamedStatementsPrepared);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', description: redactUrl(url), close: () => db.destroy() };
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  if (path !== ':memory:') createPrivately(path);
  const connect = (role: 'writer' | 'reader') => {
    const sqlite = new SQLite(path);
    if (role === 'writer') {
      sqlite.pragma('journal_mode = WAL');
      // FULL: a commit that was acknowledged is on disk even if the machine loses power. (A
      // file's writer then leaves the waiting to the group-commit driver: see fileDriver.)
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma('foreign_keys = ON');
      // Each transaction of a commit group runs in a savepoint, and SQLite copies every page a
      // savepoint changes into a sub-journal (some 60 pages for a submit). Past 64 KB that
      // journal spills to a temporary file, two write system calls per page; in memory it stays a
      // copy. (The sub-journal only serves ROLLBACK TO; durability comes from the log.)
      sqlite.pragma('temp_store = MEMORY');
    } else {
      sqlite.pragma('query_only = ON');
    }
    sqlite.pragma('busy_timeout = 5000');
    return sqlite;
  };
  const writer = connect('writer');
  const driver =
    path === ':memory:' ? new GroupCommitDriver(writer) : fileDriver(path, writer, connect('reader'));
  const db = new Kysely<Database>({ dialect: sqliteDialect(driver) });
  if (path === ':memory:')
    return { db, dialect: 'sqlite', description: path, groupCommit: driver.stats, close: () => db.destroy() };
  const snapshots = new Kysely<Database>({
    dialect: sqliteSnapshotDialect(path, SNAPSHOT_READERS, () => driver.whenDurable()),
  });
  return {
    db,
    snapshots,
    dialect: 'sqlite',
    description: path,
    groupCommit: driver.stats,
    async close() {
      await snapshots.destroy();
      await db.destroy();
    },
  };
}

/**
 * Creates a missing database file, and any missing directory above it, readable by the owner only:
 * the file holds every record, password hash and token hash. SQLite would create it 0644 (less the
 * umask); it takes an empty file as a new database, and gives its `-wal` and `-shm` files the mode
 * of the database file. An existing file or directory keeps the mode it has.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
}

/**
 * The driver of a SQLite file: reads outside a transaction go to the second connection, which sees
 * committed data only, and the WAL is checkpointed on a thread of its own rather than by the
 * committing connection. (An in-memory database has neither: one connection, no WAL.)
 */
function fileDriver(path: string, writer: SQLite.Database, reader: SQLite.Database): GroupCommitDriver {
  writer.pragma('wal_autocheckpoint = 0');
  const checkpointer = startWalCheckpointer(path, {
    onFailure: () => writer.pragma('wal_autocheckpoint = 1000'),
  });
  // The driver makes each commit durable itself, with an fdatasync of the log off this thread,
  // before acknowledging it; the COMMIT statement need not wait for the disk as well. (Only with
  // a write-ahead log: where SQLite could not switch to one, COMMIT keeps waiting itself.)
  const wal = writer.pragma('journal_mode', { simple: true }) === 'wal';
  if (wal) writer.pragma('synchronous = NORMAL');
  const walSync = wal ? walFileSync(path) : undefined;
  return new GroupCommitDriver(writer, reader, {
    afterCommit: () => checkpointer.committed(),
    beforeClose: async () => {
      await checkpointer.close();
      await walSync?.close();
    },
    ...(walSync ? { syncer: new GroupSyncer(walSync) } : {}),
  });
}

/** True when `error` is the database refusing a duplicate in a unique index. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** A database URL with its password replaced, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** The dialect a Kysely instance or transaction speaks (for queries built without the store). */
export function dialectOf(db: Pick<Kysely<Database>, 'getExecutor'>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A select that keeps the rows it reads to this transaction until it ends. On PostgreSQL it takes
 * the row lock an UPDATE takes (FOR NO KEY UPDATE: other writers of the row wait, inserts of rows
 * that reference it do not), without writing a new row version; with `skipLocked`, rows another
 * transaction holds are left out instead of waited for. SQLite has a single writer, so the select
 * is used as it is.
 */
export function lockRowsForWrite<DB, TB extends keyof DB, O>(
  dialect: DialectName,
  query: SelectQueryBuilder<DB, TB, O>,
  options: { skipLocked?: boolean } = {},
): SelectQueryBuilder<DB, TB, O> {
  if (dialect !== 'postgres') return query;
  return options.skipLocked ? query.forNoKeyUpdate().skipLocked() : query.forNoKeyUpdate();
}

/**
 * The select of a queue claim. On PostgreSQL it locks the rows it picks and skips rows another
 * worker has locked, so concurrent workers claim disjoint rows without waiting on each other;
 * SQLite has a single writer and no row locks, so the select is used as it is.
 */
export function skipLockedRows<DB, TB extends keyof DB, O>(
  dialect: DialectName,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * Takes a named lock until the transaction ends if no other transaction holds it, so one
 * transaction at a time does what the name stands for across processes, and the others go on
 * with something else instead of waiting: a transaction-level advisory lock on PostgreSQL (keyed
 * by the name's hash); always taken on SQLite, whose single writer already runs one transaction at
 * a time. Answers whether it was taken.
 */
export async function tryLockNameForTransaction(trx: Transaction<Database>, name: string): Promise<boolean> {
  if (dialectOf(trx) !== 'postgres') return true;
  const { rows } = await sql<{
    taken: boolean;
  }>`select pg_try_advisory_xact_lock(hashtext(${name})) as taken`.execute(trx);
  return rows[0]?.taken === true;
}

/**
 * Runs `work` in one transaction that only reads, so every statement in it sees the same data: on
 * PostgreSQL a REPEATABLE READ, READ ONLY transaction (one snapshot for all its statements); on a
 * SQLite file a read transaction on a worker thread (`store.snapshots`), so the server's thread
 * serves other requests meanwhile; on an in-memory SQLite database, or inside a transaction (whose
 * own writes it must see), a transaction on the single writer, so nothing commits until it ends.
 */
export function inReadSnapshot<T>(
  store: Pick<Store, 'db' | 'dialect' | 'snapshots'>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  // Already in a transaction: that is the snapshot.
  if (store.db.isTransaction) return work(store.db as Transaction<Database>);
  if (store.snapshots) return store.snapshots.transaction().execute(work);
  const begin = store.db.transaction();
  const snapshot =
    store.dialect === 'postgres'
      ? begin.setIsolationLevel('repeatable read').setAccessMode('read only')
      : begin;
  return snapshot.execute(work);
}
