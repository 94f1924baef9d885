import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { organisationsWithPendingAudit, sealAuditLog } from '../../src/audit/seal-audit-log.js';
import { type DialectName, openStore, type Store } from '../../src/kernel/db/dialect.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';

/** Every database Baton runs on; store and use-case suites loop over these. */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/** A fresh, migrated, empty store: a SQLite file in a temp dir, or a new database on the test PostgreSQL. */
export async function openTestStore(dialect: DialectName): Promise<Store & { url: string }> {
  const url = await freshDatabaseUrl(dialect);
  const store = openStore(url);
  await migrateToLatest(store.db);
  return Object.assign(store, { url });
}

/** A URL for a new empty database of the dialect (not migrated). */
export async function freshDatabaseUrl(dialect: DialectName): Promise<string> {
  if (dialect === 'sqlite') return join(mkdtempSync(join(tmpdir(), 'baton-sqlite-')), 'baton.db');
  const admin = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Seals every organisation's pending audit entries, as the sealer does after commit, so a test can read `audit_log`. */
export async function sealAll(store: Store): Promise<void> {
  for (const orgId of await organisationsWithPendingAudit(store.db))
    await sealAuditLog(store.db, orgId, new Date());
}

/** The sealed audit entries about one record, once everything pending is sealed. */
export async function sealedAuditOf(store: Store, entityId: string) {
  await sealAll(store);
  return store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('seq')
    .execute();
}
