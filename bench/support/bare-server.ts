/**
 * The baselines: bare Fastify routes that insert one row into the same database, with no auth,
 * validation, audit or domain logic.
 * - `/bare` is the bare route as anyone would write it: the database's own driver
 *   (better-sqlite3 in WAL mode with `synchronous = FULL`, as Baton's store opens it, or a `pg`
 *   pool), one INSERT per request, each its own durable commit. It owes nothing to how Baton's
 *   store commits, so making the store faster cannot move this baseline.
 * - `/bare-tx` inserts in a transaction through Baton's own store, as every Baton use case does
 *   (on SQLite, committed together with concurrent transactions): the stricter baseline.
 */
import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../../src/kernel/db/dialect.js';

const url = process.env.BATON_DATABASE_URL!;
const store = openStore(url);
await sql`CREATE TABLE IF NOT EXISTS bench_rows (id text PRIMARY KEY, body text NOT NULL, created_at text NOT NULL)`.execute(
  store.db,
);
const INSERT = 'INSERT INTO bench_rows (id, body, created_at) VALUES ';
const row = (body: unknown) => [randomUUID(), JSON.stringify(body ?? {}), new Date().toISOString()];

/** One INSERT through the database's own driver. */
function plainInsert(): (body: unknown) => Promise<unknown> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return (body) => pool.query(`${INSERT}($1, $2, $3)`, row(body));
  }
  const db = new SQLite(url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(`${INSERT}(?, ?, ?)`);
  return async (body) => insert.run(row(body));
}
const insertPlain = plainInsert();

const app = Fastify();
app.get('/healthz', async () => ({ ok: true }));
app.post('/bare', async (request) => {
  await insertPlain(request.body);
  return { ok: true };
});
app.post('/bare-tx', async (request) => {
  const [id, body, createdAt] = row(request.body);
  await store.db
    .transaction()
    .execute((trx) => sql`${sql.raw(INSERT)}(${id}, ${body}, ${createdAt})`.execute(trx));
  return { ok: true };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
