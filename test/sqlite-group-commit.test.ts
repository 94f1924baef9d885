import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/kernel/db/dialect.js';
import { GroupCommitDriver, sqliteDialect } from '../src/kernel/db/sqlite-group-commit.js';
import { GroupSyncer, walFileSync } from '../src/kernel/db/wal-syncer.js';

/**
 * The SQLite store commits concurrent transactions together (src/kernel/db/sqlite-group-commit.ts).
 * These tests hold it to what a transaction promises: all or nothing, on disk before it is
 * acknowledged, unseen by others until then; and one failing transaction undoes only itself.
 */

// biome-ignore lint/suspicious/noExplicitAny: tables made up for these tests
type AnyDb = Kysely<any>;

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function storeWithTables(): Promise<{ store: Store; db: AnyDb; path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'baton-group-')), 'group.db');
  const store = openStore(path);
  opened.push(store);
  const db = store.db as unknown as AnyDb;
  await sql`CREATE TABLE rows (id TEXT PRIMARY KEY, tx INTEGER NOT NULL)`.execute(db);
  await sql`CREATE TABLE parents (id TEXT PRIMARY KEY)`.execute(db);
  await sql`CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)`.execute(
    db,
  );
  return { store, db, path };
}

/** What another process would find on disk now: a connection of its own. */
function onDisk(path: string, query: string): unknown[] {
  const other = new Database(path, { readonly: true });
  try {
    return other.prepare(query).all();
  } finally {
    other.close();
  }
}

/** A writer connection as the store opens one for a file (its COMMIT does not wait for the disk). */
function walWriter(schema: string): { path: string; writer: Database.Database } {
  const path = join(mkdtempSync(join(tmpdir(), 'baton-group-')), 'synced.db');
  const writer = new Database(path);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = NORMAL');
  writer.exec(schema);
  return { path, writer };
}

describe('SQLite group commit', () => {
  it('commits concurrent transactions together, each on disk before it is acknowledged', async () => {
    const { store, db, path } = await storeWithTables();
    const before = { ...store.groupCommit! };
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, tx) =>
        db
          .transaction()
          .execute(async (trx) => {
            await trx
              .insertInto('rows')
              .values({ id: `a${tx}`, tx })
              .execute();
            await trx
              .insertInto('rows')
              .values({ id: `b${tx}`, tx })
              .execute();
          })
          .then(() => {
            // Acknowledged: another connection finds both rows already.
            seen.push(onDisk(path, `SELECT id FROM rows WHERE tx = ${tx}`).length);
          }),
      ),
    );
    expect(seen).toEqual(Array(40).fill(2));
    const groups = store.groupCommit!.groups - before.groups;
    expect(store.groupCommit!.transactions - before.transactions).toBe(40);
    expect(groups).toBeGreaterThanOrEqual(1);
    expect(groups).toBeLessThan(40);
  });

  it('undoes a failing transaction alone; the others of its group land', async () => {
    const { db, path } = await storeWithTables();
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map((tx) =>
        db.transaction().execute(async (trx) => {
          await trx
            .insertInto('rows')
            .values({ id: `r${tx}`, tx })
            .execute();
          if (tx === 1) throw new Error('refused');
          // A unique violation inside a transaction that goes on is the statement's alone.
          if (tx === 2)
            await trx
              .insertInto('rows')
              .values({ id: 'r0', tx })
              .execute()
              .catch(() => {});
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(onDisk(path, 'SELECT id FROM rows ORDER BY id')).toEqual([
      { id: 'r0' },
      { id: 'r2' },
      { id: 'r3' },
    ]);
  });

  it('keeps a finished transaction unseen by readers and unacknowledged until its group commits', async () => {
    const { db, path } = await storeWithTables();
    let firstAcknowledged = false;
    const first = db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('rows').values({ id: 'first', tx: 1 }).execute();
      })
      .then(() => {
        firstAcknowledged = true;
      });
    const second = db.transaction().execute(async (trx) => {
      // The first has released its savepoint and waits for the group; this one is in the group.
      const inside = await trx.selectFrom('rows').select('id').execute();
      const reader = await db.selectFrom('rows').select('id').execute();
      return { inside, reader, acknowledged: firstAcknowledged, disk: onDisk(path, 'SELECT id FROM rows') };
    });
    const seen = await second;
    await first;
    expect(seen.inside).toEqual([{ id: 'first' }]);
    expect(seen.reader).toEqual([]);
    expect(seen.disk).toEqual([]);
    expect(seen.acknowledged).toBe(false);
    expect(firstAcknowledged).toBe(true);
    expect(onDisk(path, 'SELECT id FROM rows')).toEqual([{ id: 'first' }]);
  });

  it('fails every transaction of a group whose commit fails, and lands none of their work', async () => {
    const { db, path } = await storeWithTables();
    const results = await Promise.allSettled([
      db.transaction().execute(async (trx) => {
        await trx.insertInto('rows').values({ id: 'innocent', tx: 1 }).execute();
      }),
      db.transaction().execute(async (trx) => {
        // A deferred foreign key is checked only when the outer transaction commits.
        await trx.insertInto('children').values({ id: 'orphan', parent_id: 'missing' }).execute();
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(onDisk(path, 'SELECT id FROM rows')).toEqual([]);
    expect(onDisk(path, 'SELECT id FROM children')).toEqual([]);
    // The store goes on working.
    await db.transaction().execute((trx) => trx.insertInto('rows').values({ id: 'after', tx: 2 }).execute());
    expect(onDisk(path, 'SELECT id FROM rows')).toEqual([{ id: 'after' }]);
  });

  it('commits an open group before a write outside a transaction, which is on disk when it returns', async () => {
    const { db, path } = await storeWithTables();
    const inGroup = db
      .transaction()
      .execute((trx) => trx.insertInto('rows').values({ id: 'grouped', tx: 1 }).execute());
    const alone = db
      .insertInto('rows')
      .values({ id: 'alone', tx: 2 })
      .execute()
      .then(() => onDisk(path, 'SELECT id FROM rows ORDER BY id'));
    expect(await alone).toEqual([{ id: 'alone' }, { id: 'grouped' }]);
    await inGroup;
  });

  it('acknowledges a commit, and answers a read, only once a sync of the log that began after it is done', async () => {
    // The store's own parts, with the log's fdatasync held until the test lets it go.
    const { path, writer } = walWriter('CREATE TABLE rows (id TEXT PRIMARY KEY, tx INTEGER NOT NULL)');
    const reader = new Database(path);
    reader.pragma('query_only = ON');
    const wal = walFileSync(path);
    const held: (() => void)[] = [];
    let syncs = 0;
    const syncer = new GroupSyncer(async () => {
      await new Promise<void>((resolve) => held.push(resolve));
      await wal();
      syncs++;
    });
    const db: AnyDb = new Kysely({
      dialect: sqliteDialect(new GroupCommitDriver(writer, reader, { syncer })),
    });
    const release = async () => {
      while (held.length === 0) await new Promise((r) => setImmediate(r));
      held.shift()!();
    };
    let acknowledged = false;
    const tx = db
      .transaction()
      .execute((trx) => trx.insertInto('rows').values({ id: 'a', tx: 1 }).execute())
      .then(() => {
        acknowledged = true;
      });
    while (held.length === 0) await new Promise((r) => setImmediate(r));
    // Committed (another connection sees it) but not yet durable: not acknowledged, and a read
    // outside a transaction does not answer yet either.
    expect(onDisk(path, 'SELECT id FROM rows')).toEqual([{ id: 'a' }]);
    let read: unknown[] | undefined;
    const reading = db
      .selectFrom('rows')
      .select('id')
      .execute()
      .then((rows) => {
        read = rows;
      });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(acknowledged).toBe(false);
    expect(read).toBeUndefined();
    const before = syncs;
    await release();
    await Promise.all([tx, reading]);
    expect(acknowledged).toBe(true);
    expect(read).toEqual([{ id: 'a' }]);
    expect(syncs).toBe(before + 1);
    await db.destroy();
    await wal.close();
  });

  it('fails the transactions of a group whose sync fails, and every commit after', async () => {
    const { path, writer } = walWriter('CREATE TABLE rows (id TEXT PRIMARY KEY)');
    let fail = false;
    const wal = walFileSync(path);
    const syncer = new GroupSyncer(async () => {
      if (fail) throw new Error('EIO: the disk refused');
      await wal();
    });
    const db: AnyDb = new Kysely({
      dialect: sqliteDialect(new GroupCommitDriver(writer, undefined, { syncer })),
    });
    await db.transaction().execute((trx) => trx.insertInto('rows').values({ id: 'fine' }).execute());
    fail = true;
    const results = await Promise.allSettled(
      ['x', 'y'].map((id) =>
        db.transaction().execute((trx) => trx.insertInto('rows').values({ id }).execute()),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(
      db.transaction().execute((trx) => trx.insertInto('rows').values({ id: 'later' }).execute()),
    ).rejects.toThrow('EIO');
    await db.destroy();
    await wal.close();
  });

  it('supports savepoints inside a transaction', async () => {
    const { db, path } = await storeWithTables();
    const trx = await db.startTransaction().execute();
    await trx.insertInto('rows').values({ id: 'kept', tx: 1 }).execute();
    const sp = await trx.savepoint('maybe').execute();
    await sp.insertInto('rows').values({ id: 'undone', tx: 1 }).execute();
    const back = await sp.rollbackToSavepoint('maybe').execute();
    await back.releaseSavepoint('maybe').execute();
    await trx.commit().execute();
    expect(onDisk(path, 'SELECT id FROM rows')).toEqual([{ id: 'kept' }]);
  });

  it('copies the write-ahead log into the database file from a thread of its own', async () => {
    const { db, path } = await storeWithTables();
    const before = statSync(path).size;
    for (let batch = 0; batch < 5; batch++) {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < 100; i++)
          await trx
            .insertInto('rows')
            .values({ id: `${batch}-${i}-${'x'.repeat(1000)}`, tx: batch })
            .execute();
      });
    }
    // The writer does not checkpoint (wal_autocheckpoint = 0); only the checkpointer grows the file.
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 500_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(statSync(path).size).toBeGreaterThan(before + 500_000);
  });

  it('works on an in-memory database, where reads share the writer', async () => {
    const store = openStore(':memory:');
    opened.push(store);
    const db = store.db as unknown as AnyDb;
    await sql`CREATE TABLE rows (id TEXT PRIMARY KEY, tx INTEGER NOT NULL)`.execute(db);
    await Promise.all(
      [1, 2, 3].map((tx) =>
        db.transaction().execute((trx) =>
          trx
            .insertInto('rows')
            .values({ id: `m${tx}`, tx })
            .execute(),
        ),
      ),
    );
    expect(await db.selectFrom('rows').select('id').orderBy('id').execute()).toEqual([
      { id: 'm1' },
      { id: 'm2' },
      { id: 'm3' },
    ]);
  });

  it('lands exactly the transactions that succeed, whatever the mix (property)', async () => {
    const { db, path } = await storeWithTables();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ rows: fc.integer({ min: 0, max: 4 }), fails: fc.boolean(), yields: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        async (plan) => {
          run++;
          const results = await Promise.allSettled(
            plan.map((tx, i) =>
              db.transaction().execute(async (trx) => {
                for (let r = 0; r < tx.rows; r++) {
                  await trx
                    .insertInto('rows')
                    .values({ id: `${run}-${i}-${r}`, tx: run })
                    .execute();
                  if (tx.yields) await new Promise((resolve) => setImmediate(resolve));
                }
                if (tx.fails) throw new Error('refused');
              }),
            ),
          );
          const expected = plan
            .flatMap((tx, i) =>
              tx.fails ? [] : Array.from({ length: tx.rows }, (_, r) => `${run}-${i}-${r}`),
            )
            .sort();
          const found = (onDisk(path, `SELECT id FROM rows WHERE tx = ${run}`) as { id: string }[])
            .map((r) => r.id)
            .sort();
          expect(results.map((r) => r.status === 'fulfilled')).toEqual(plan.map((tx) => !tx.fails));
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
