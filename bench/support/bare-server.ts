/**
 * The baseline: a bare Fastify route that inserts one row into the same database, through the
 * same store code, with no auth, validation, audit or domain logic.
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
app.post('/bare', async (request) => {
  const id = randomUUID();
  await sql`INSERT INTO bench_rows (id, body, created_at) VALUES (${id}, ${JSON.stringify(request.body ?? {})}, ${new Date().toISOString()})`.execute(
    store.db,
  );
  return { id };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
