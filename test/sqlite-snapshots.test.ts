import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inReadSnapshot, openStore, type Store } from '../src/kernel/db/dialect.js';

// Read snapshots of a SQLite file on worker threads (docs/design-store.md, "SQLite: long reads off
// the event loop"), on a real file with the store's own writer beside them.

/** A read that keeps SQLite busy for a while: counts to `n` in a recursive CTE. */
const slowCount = (n: number) =>
  sql<{
    n: number;
  }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n}) select count(*) as n from c`;

const countRows = async (db: Store['db']) =>
  Number((await sql<{ n: number }>`select count(*) as n from notes`.execute(db)).rows[0]!.n);

describe('SQLite read snapshots on worker threads', () => {
  let store: Store;

  beforeAll(async () => {
    store = openStore(join(mkdtempSync(join(tmpdir(), 'baton-snapshots-')), 'baton.db'));
    await sql`create table notes (id integer primary key, text text not null)`.execute(store.db);
  });
  afterAll(async () => {
    await store.close();
  });

  it('a long read leaves the server’s thread free: writes go on being acknowledged meanwhile', async () => {
    expect(store.snapshots).toBeDefined();
    let reading = true;
    const read = inReadSnapshot(store, async (trx) => (await slowCount(5_000_000).execute(trx)).rows[0]!.n);
    const started = performance.now();
    let writes = 0;
    let longestGap = 0;
    let last = performance.now();
    void read.finally(() => {
      reading = false;
    });
    while (reading && performance.now() - started < 20_000) {
      await store.db
        .insertInto('notes' as never)
        .values({ text: `note ${writes}` } as never)
        .execute();
      writes++;
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }
    expect(Number(await read)).toBe(5_000_000);
    const took = performance.now() - started;
    // The read took a while, and the writes never waited for it.
    expect(took).toBeGreaterThan(200);
    expect(writes).toBeGreaterThan(10);
    expect(longestGap).toBeLessThan(took / 2);
  });

  it('sees what was committed before it began, and nothing committed after', async () => {
    const before = await countRows(store.db);
    const [first, second] = await inReadSnapshot(store, async (trx) => {
      const first = await countRows(trx);
      await store.db
        .insertInto('notes' as never)
        .values({ text: 'after' } as never)
        .execute();
      return [first, await countRows(trx)];
    });
    expect(first).toBe(before);
    expect(second).toBe(before);
    expect(await inReadSnapshot(store, (trx) => countRows(trx))).toBe(before + 1);
  });

  it('inside a transaction reads that transaction, its own writes included', async () => {
    const before = await countRows(store.db);
    const seen = await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('notes' as never)
        .values({ text: 'mine' } as never)
        .execute();
      return inReadSnapshot({ ...store, db: trx }, (t) => countRows(t));
    });
    expect(seen).toBe(before + 1);
  });

  it('a bad statement or a write fails that snapshot only, with SQLite’s reason', async () => {
    await expect(
      inReadSnapshot(store, (trx) => sql`select x from nowhere`.execute(trx)),
    ).rejects.toMatchObject({ message: expect.stringMatching(/no such table: nowhere/) });
    await expect(
      inReadSnapshot(store, (trx) => sql`insert into notes (text) values ('sneaked')`.execute(trx)),
    ).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    expect(
      await store.db
        .selectFrom('notes' as never)
        .select('id' as never)
        .where('text' as never, '=', 'sneaked' as never)
        .execute(),
    ).toEqual([]);
    // The readers are still there.
    expect(await inReadSnapshot(store, (trx) => countRows(trx))).toBeGreaterThan(0);
  });

  it('more snapshots than readers wait their turn, and each gets its answer', async () => {
    const answers = await Promise.all(
      [200_000, 300_000, 400_000, 500_000].map((n) =>
        inReadSnapshot(store, async (trx) => Number((await slowCount(n).execute(trx)).rows[0]!.n)),
      ),
    );
    expect(answers).toEqual([200_000, 300_000, 400_000, 500_000]);
  });

  it('an in-memory database reads on its one connection', async () => {
    const memory = openStore(':memory:');
    try {
      expect(memory.snapshots).toBeUndefined();
      await sql`create table notes (id integer primary key, text text not null)`.execute(memory.db);
      expect(await inReadSnapshot(memory, (trx) => countRows(trx))).toBe(0);
    } finally {
      await memory.close();
    }
  });
});
