import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult } from 'kysely';
import { sqliteDialect } from './sqlite-group-commit.js';

/**
 * Read snapshots of a SQLite file on worker threads, so a read that takes seconds leaves the
 * server's thread free (docs/design-store.md, "SQLite: long reads off the event loop"). Each
 * worker has a read-only connection of its own and serves one snapshot (one transaction) at a
 * time; statements are compiled on the main thread and sent as SQL and parameters.
 */

// Plain CommonJS evaluated from a string (as the WAL checkpointer's), so the bundle needs no file
// beside it; better-sqlite3 is loaded from the path the main thread resolved.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('query_only = ON');
db.pragma('busy_timeout = 5000');
const statements = new Map();
function prepared(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (statements.size >= 200) statements.delete(statements.keys().next().value);
    statements.set(sql, statement);
  }
  return statement;
}
parentPort.on('message', (message) => {
  try {
    if (message.op === 'close') {
      db.close();
      parentPort.close();
      return;
    }
    if (message.op === 'begin') {
      db.exec('BEGIN');
      // The snapshot is taken at the first read: take it now, not at the caller's first statement.
      prepared('select 1 from sqlite_master limit 1').all();
      parentPort.postMessage({ ok: true, rows: [] });
      return;
    }
    if (message.op === 'end') {
      if (db.inTransaction) db.exec('ROLLBACK');
      parentPort.postMessage({ ok: true, rows: [] });
      return;
    }
    const statement = prepared(message.sql);
    const parameters = message.parameters.map((p) => (p instanceof Uint8Array ? Buffer.from(p) : p));
    if (!statement.reader) throw Object.assign(new Error('A read snapshot only reads: ' + message.sql.slice(0, 60)), { code: 'SQLITE_READONLY' });
    parentPort.postMessage({ ok: true, rows: statement.all(parameters) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message || error), code: error && error.code });
  }
});
`;

type Request = { op: 'begin' } | { op: 'end' } | { op: 'query'; sql: string; parameters: readonly unknown[] };
type Reply = { ok: true; rows: unknown[] } | { ok: false; message: string; code?: string };

/** A row as the store's own connections give it: blobs as Buffers (a thread hands them over as Uint8Arrays). */
function withBuffers(row: unknown): unknown {
  const values = row as Record<string, unknown>;
  for (const key in values) {
    const value = values[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      values[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return values;
}

/** One worker and its connection: answers requests in the order they were sent. */
class Reader {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }[] = [];
  dead = false;

  constructor(path: string, onExit: (reader: Reader) => void) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const next = this.waiting.shift();
      if (!next) return;
      if (reply.ok) next.resolve(reply.rows.map(withBuffers));
      else next.reject(Object.assign(new Error(reply.message), { code: reply.code }));
    });
    const die = (error: Error) => {
      if (this.dead) return;
      this.dead = true;
      for (const w of this.waiting.splice(0)) w.reject(error);
      onExit(this);
    };
    this.worker.on('error', die);
    this.worker.on('exit', () => die(new Error('The snapshot reader stopped')));
  }

  send(request: Request): Promise<unknown[]> {
    if (this.dead) return Promise.reject(new Error('The snapshot reader stopped'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    if (this.dead) return;
    // Held open while it closes, or a process with nothing else to do would exit meanwhile.
    this.worker.ref();
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ op: 'close' });
    });
  }
}

/** A connection of the snapshot driver: holds a reader from its transaction's begin to its end. */
class SnapshotConnection implements DatabaseConnection {
  reader: Reader | undefined;

  constructor(private readonly driver: SnapshotDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const request: Request = { op: 'query', sql: query.sql, parameters: query.parameters };
    if (this.reader) return { rows: (await this.reader.send(request)) as R[] };
    // A statement outside a transaction: a reader for it alone.
    const reader = await this.driver.acquire();
    try {
      return { rows: (await reader.send(request)) as R[] };
    } finally {
      this.driver.release(reader);
    }
  }

  // biome-ignore lint/correctness/useYield: snapshots answer whole results; streaming is not offered.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('A read snapshot does not stream');
  }
}

class SnapshotDriver implements Driver {
  private readonly readers = new Set<Reader>();
  private readonly free: Reader[] = [];
  private readonly queue: ((reader: Reader) => void)[] = [];
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly size: number,
    /** Resolves once everything committed so far is durable. */
    private readonly durable: () => Promise<void>,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.closed) throw new Error('The store is closed');
    return new SnapshotConnection(this);
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as SnapshotConnection;
    const reader = await this.acquire();
    try {
      await reader.send({ op: 'begin' });
    } catch (error) {
      this.release(reader);
      throw error;
    }
    c.reader = reader;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection as SnapshotConnection);
    // As the store's reader does: what was read is answered only once it is durable.
    await this.durable();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.end(connection as SnapshotConnection);
  }

  async destroy(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.readers].map((r) => r.close()));
    this.readers.clear();
  }

  /** A free reader, a new one while there are fewer than `size`, or the next one released. */
  acquire(): Promise<Reader> {
    if (this.closed) return Promise.reject(new Error('The store is closed'));
    const free = this.free.pop();
    if (free) return Promise.resolve(free);
    if (this.readers.size < this.size) {
      const reader = new Reader(this.path, (gone) => this.forget(gone));
      this.readers.add(reader);
      return Promise.resolve(reader);
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  release(reader: Reader): void {
    if (reader.dead) return;
    const next = this.queue.shift();
    if (next) next(reader);
    else this.free.push(reader);
  }

  private async end(c: SnapshotConnection): Promise<void> {
    const reader = c.reader;
    c.reader = undefined;
    if (!reader) return;
    try {
      await reader.send({ op: 'end' });
    } finally {
      this.release(reader);
    }
  }

  /** A reader whose worker died: out of the pool; one waiting in line gets a new one. */
  private forget(reader: Reader): void {
    this.readers.delete(reader);
    const at = this.free.indexOf(reader);
    if (at >= 0) this.free.splice(at, 1);
    const next = this.closed ? undefined : this.queue.shift();
    if (next) void this.acquire().then(next);
  }
}

/**
 * A Kysely dialect whose transactions are read snapshots of the SQLite file at `path`, on at most
 * `size` worker threads; `durable` resolves once everything committed so far is on disk.
 */
export function sqliteSnapshotDialect(path: string, size: number, durable: () => Promise<void>): Dialect {
  return sqliteDialect(new SnapshotDriver(path, size, durable));
}
