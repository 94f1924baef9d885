import type SQLite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { GroupSyncer } from './wal-syncer.js';

/**
 * A Kysely driver for SQLite that commits concurrent transactions together ("group commit").
 *
 * SQLite has one writer. With `synchronous = FULL` every COMMIT waits for the disk, so a server
 * that commits each request's transaction alone spends most of its time waiting for fsync. Here
 * each transaction runs as a SAVEPOINT inside one open outer transaction; when it ends, its
 * savepoint is released (or rolled back, undoing that transaction only) and it waits. The outer
 * transaction commits once no transaction that was already waiting for the writer remains: one
 * fsync for the whole group. A transaction's `commit` returns only after that COMMIT is on disk,
 * so nothing is acknowledged before it is durable, and a crash loses only work nobody was told
 * had happened.
 *
 * With a syncer (a database file), the writer runs with `synchronous = NORMAL`: a COMMIT writes the
 * group to the write-ahead log without waiting for the disk, and the syncer then makes the log
 * durable (`fdatasync` on the thread pool) before any transaction of the group is acknowledged.
 * While the disk works, the next group runs. Syncs are shared too: one covers every group
 * committed before it started.
 *
 * Statements outside a transaction:
 * - reads go to a second, read-only connection, which sees only committed data (WAL allows a
 *   reader beside the writer), so no one reads work whose group might still fail; and a read
 *   answers only once everything committed before it is durable, so no one is shown work a
 *   power cut could still take back;
 * - writes wait for the writer, commit any open group first, and run alone (durable on return).
 * An in-memory database cannot have a second connection; there everything runs on the writer.
 *
 * If the group's COMMIT fails, every transaction in the group gets the error and none of their
 * work lands. (Deferred foreign keys would let one transaction fail its group; the schema has none.)
 */
export interface GroupCommitStats {
  /** Outer transactions committed. */
  groups: number;
  /** Transactions committed inside them. */
  transactions: number;
}

interface Ticket {
  resolve(): void;
  reject(error: unknown): void;
}

interface Group {
  tickets: Ticket[];
}

const UNIT = 'baton_unit';

class GroupConnection implements DatabaseConnection {
  /** True between begin and commit/rollback: statements run on the writer, inside the group. */
  inTransaction = false;
  constructor(private readonly driver: GroupCommitDriver) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // Rows are small and few per request; a stream is one result here.
    yield await this.driver.execute<R>(this, query);
  }
}

/** Prepared statements kept by SQL text (bounded): preparing costs as much as a short statement. */
class StatementCache {
  private readonly cache = new Map<string, SQLite.Statement>();
  constructor(
    private readonly db: SQLite.Database,
    private readonly max = 1000,
  ) {}
  get(source: string): SQLite.Statement {
    let statement = this.cache.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(source, statement);
    }
    return statement;
  }
}

function run<R>(statement: SQLite.Statement, parameters: readonly unknown[]): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return {
    numAffectedRows: BigInt(changes),
    insertId: BigInt(lastInsertRowid),
    rows: [],
  };
}

export class GroupCommitDriver implements Driver {
  private readonly writerStatements: StatementCache;
  private readonly readerStatements: StatementCache | undefined;
  /** Whether each SQL text only reads (and so may run on the reader). */
  private readonly readOnly = new Map<string, boolean>();
  private locked = false;
  private readonly waiters: (() => void)[] = [];
  private group: Group | undefined;
  private flushScheduled = false;
  private closed = false;
  readonly stats: GroupCommitStats = { groups: 0, transactions: 0 };

  constructor(
    private readonly writer: SQLite.Database,
    private readonly reader?: SQLite.Database,
    private readonly hooks: {
      afterCommit?: () => void;
      beforeClose?: () => Promise<void>;
      /** Makes commits durable; without one, the writer's COMMIT itself waits for the disk. */
      syncer?: GroupSyncer;
    } = {},
  ) {
    this.writerStatements = new StatementCache(writer);
    this.readerStatements = reader ? new StatementCache(reader) : undefined;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.closed) throw new Error('The store is closed');
    return new GroupConnection(this);
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.lock();
    try {
      // A group SQLite rolled back on its own (after an I/O error) fails before anything joins it.
      if (this.group && !this.writer.inTransaction)
        this.failGroup(new Error('SQLite rolled the transaction back'));
      if (!this.group) {
        this.writer.exec('BEGIN IMMEDIATE');
        this.group = { tickets: [] };
      }
      this.writer.exec(`SAVEPOINT ${UNIT}`);
    } catch (error) {
      this.unlock();
      throw error;
    }
    (connection as GroupConnection).inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    const group = this.liveGroup();
    this.writer.exec(`RELEASE ${UNIT}`);
    c.inTransaction = false;
    const durable = new Promise<void>((resolve, reject) => group.tickets.push({ resolve, reject }));
    this.unlock();
    this.scheduleFlush();
    await durable;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as GroupConnection;
    // Not in a transaction: its commit already failed with its group, and nothing is left to undo.
    if (!c.inTransaction) return;
    c.inTransaction = false;
    try {
      if (this.writer.inTransaction) {
        this.writer.exec(`ROLLBACK TO ${UNIT}`);
        this.writer.exec(`RELEASE ${UNIT}`);
      } else {
        this.failGroup(new Error('SQLite rolled the transaction back'));
      }
    } finally {
      this.unlock();
      this.scheduleFlush();
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.inTransactionOf(connection);
    this.writer.exec(`SAVEPOINT "${name}"`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.inTransactionOf(connection);
    this.writer.exec(`ROLLBACK TO "${name}"`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.inTransactionOf(connection);
    this.writer.exec(`RELEASE "${name}"`);
  }

  async destroy(): Promise<void> {
    if (this.closed) return;
    await this.lock();
    try {
      this.commitGroup();
    } finally {
      this.closed = true;
      this.unlock();
      await this.whenDurable().catch(() => undefined);
      await this.hooks.syncer?.idle();
      await this.hooks.beforeClose?.();
      this.reader?.close();
      this.writer.close();
    }
  }

  /** Runs one statement for `connection`: in its transaction, on the reader, or alone on the writer. */
  async execute<R>(connection: GroupConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    const parameters = query.parameters as unknown[];
    if (connection.inTransaction) {
      this.liveGroup();
      return run<R>(this.writerStatements.get(query.sql), parameters);
    }
    if (this.readerStatements && this.isReadOnly(query.sql)) {
      const result = run<R>(this.readerStatements.get(query.sql), parameters);
      if (this.hooks.syncer?.pending) await this.hooks.syncer.sync();
      return result;
    }
    await this.lock();
    let result: QueryResult<R>;
    try {
      this.commitGroup();
      result = run<R>(this.writerStatements.get(query.sql), parameters);
      this.written();
    } finally {
      this.unlock();
    }
    await this.whenDurable();
    return result;
  }

  /** After a COMMIT: tells the checkpointer, and the syncer that there is something to sync. */
  private written(): void {
    this.hooks.afterCommit?.();
    this.hooks.syncer?.written();
  }

  /** Resolves once everything committed so far is durable (at once without a syncer). */
  whenDurable(): Promise<void> {
    const syncer = this.hooks.syncer;
    return syncer?.pending ? syncer.sync() : Promise.resolve();
  }

  private isReadOnly(sql: string): boolean {
    let known = this.readOnly.get(sql);
    if (known === undefined) {
      // EXPLAIN plans against the schema the connection has cached, without checking it is
      // current; the writer made the latest schema changes, so it explains.
      if (/^\s*explain\b/i.test(sql)) return false;
      try {
        known = this.readerStatements!.get(sql).readonly;
      } catch {
        // The reader cannot prepare it (e.g. a table not committed yet): the writer decides.
        return false;
      }
      if (this.readOnly.size >= 1000) this.readOnly.delete(this.readOnly.keys().next().value as string);
      this.readOnly.set(sql, known);
    }
    return known;
  }

  /** The open group; throws if SQLite has rolled it back underneath us (after an I/O error). */
  private liveGroup(): Group {
    if (!this.group || !this.writer.inTransaction) {
      const error = new Error('The transaction was rolled back by SQLite');
      this.failGroup(error);
      throw error;
    }
    return this.group;
  }

  private inTransactionOf(connection: DatabaseConnection): void {
    if (!(connection as GroupConnection).inTransaction) throw new Error('Not in a transaction');
    this.liveGroup();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || !this.group) return;
    this.flushScheduled = true;
    // After the current turn of the event loop: transactions already queued for the writer join
    // the group first (the lock is first come, first served).
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    await this.lock();
    try {
      this.commitGroup();
    } finally {
      this.unlock();
    }
  }

  /**
   * Commits the open group (caller holds the lock) and answers every transaction in it once the
   * commit is durable.
   */
  private commitGroup(): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    try {
      this.writer.exec('COMMIT');
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      for (const t of group.tickets) t.reject(error);
      return;
    }
    this.stats.groups++;
    this.stats.transactions += group.tickets.length;
    this.written();
    this.whenDurable().then(
      () => {
        for (const t of group.tickets) t.resolve();
      },
      (error: unknown) => {
        for (const t of group.tickets) t.reject(error);
      },
    );
  }

  private failGroup(error: unknown): void {
    const group = this.group;
    this.group = undefined;
    if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
    for (const t of group?.tickets ?? []) t.reject(error);
  }

  private lock(): Promise<void> | undefined {
    if (!this.locked) {
      this.locked = true;
      return undefined;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}

/**
 * A Kysely dialect of SQLite over one of our drivers: the group-commit driver (a writer connection
 * and, for a file, a read-only connection beside it), or the snapshot readers' (sqlite-snapshots.ts).
 */
export function sqliteDialect(driver: Driver): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
