/**
 * The baselines: bare Fastify routes that insert one row into the same database, through the
 * same store code, with no auth, validation, audit or domain logic. `/bare` inserts with a
 * statement of its own (on SQLite, its own durable commit); `/bare-tx` inserts in a transaction,
 * as every Baton use case does (on SQLite, committed together with concurrent transactions).
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { openStore } from '../../src/kernel/db/dialect.js';

const store = openStore(process.env.BATON_DATABASE_URL!);
await sql`CREATE TABLE IF NOT EXISTS bench_rows (id text PRIMARY KEY, body text NOT NULL, created_at text NOT NULL)`.execute(
  store.db,
);
const app = Fastify();
app.get('/healthz', async () => ({ ok: true }));
const insert = (body: unknown) =>
  sql`INSERT INTO bench_rows (id, body, created_at) VALUES (${randomUUID()}, ${JSON.stringify(body ?? {})}, ${new Date().toISOString()})`;
app.post('/bare', async (request) => {
  await insert(request.body).execute(store.db);
  return { ok: true };
});
app.post('/bare-tx', async (request) => {
  await store.db.transaction().execute((trx) => insert(request.body).execute(trx));
  return { ok: true };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
