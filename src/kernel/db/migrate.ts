import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-sessions.js';
import * as m0003 from './migrations/0003-checkpoints.js';
import * as m0004 from './migrations/0004-record-indexes.js';
import * as m0005 from './migrations/0005-attempts-and-token-scopes.js';
import * as m0006 from './migrations/0006-checkpoint-windows.js';
import * as m0007 from './migrations/0007-notifications.js';
import * as m0008 from './migrations/0008-external-ids.js';
import * as m0009 from './migrations/0009-audit-sealing.js';
import * as m0011 from './migrations/0011-substance-from-packet.js';
import * as m0012 from './migrations/0012-job-versions.js';
import * as m0013 from './migrations/0013-organisation-formats.js';
import * as m0015 from './migrations/0015-revision-views.js';
import * as m0016 from './migrations/0016-notification-centre.js';
import * as m0018 from './migrations/0018-amending-revisions.js';
import * as m0019 from './migrations/0019-files.js';
import * as m0020 from './migrations/0020-vault.js';
import * as m0021 from './migrations/0021-inventory.js';
import * as m0022 from './migrations/0022-closeout-records.js';
import * as m0023 from './migrations/0023-portal.js';
import * as m0024 from './migrations/0024-integration-sources.js';
import * as m0025 from './migrations/0025-webhooks.js';
import * as m0026 from './migrations/0026-inbound-milestones.js';
import * as m0027 from './migrations/0027-inquiries.js';
import * as m0028 from './migrations/0028-change-orders.js';
import * as m0029 from './migrations/0029-signals.js';
import * as m0030 from './migrations/0030-metric-facts.js';
import * as m0031 from './migrations/0031-health-scores.js';
import * as m0032 from './migrations/0032-revenue.js';
import * as m0033 from './migrations/0033-metric-rollups.js';
import type { Database } from './schema.js';

/** Every migration, in order. A new migration is a new file and a new line here. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-sessions': m0002,
  '0003-checkpoints': m0003,
  '0004-record-indexes': m0004,
  '0005-attempts-and-token-scopes': m0005,
  '0006-checkpoint-windows': m0006,
  '0007-notifications': m0007,
  '0008-external-ids': m0008,
  '0009-audit-sealing': m0009,
  '0011-substance-from-packet': m0011,
  '0012-job-versions': m0012,
  '0013-organisation-formats': m0013,
  '0015-revision-views': m0015,
  '0016-notification-centre': m0016,
  '0018-amending-revisions': m0018,
  '0019-files': m0019,
  '0020-vault': m0020,
  '0021-inventory': m0021,
  '0022-closeout-records': m0022,
  '0023-portal': m0023,
  '0024-integration-sources': m0024,
  '0025-webhooks': m0025,
  '0026-inbound-milestones': m0026,
  '0027-inquiries': m0027,
  '0028-change-orders': m0028,
  '0029-signals': m0029,
  '0030-metric-facts': m0030,
  '0031-health-scores': m0031,
  '0032-revenue': m0032,
  '0033-metric-rollups': m0033,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: new StaticProvider(),
    migrationTableName: 'baton_migrations',
    migrationLockTableName: 'baton_migrations_lock',
  });
}

/** Applies every pending migration; answers the names applied. Throws if one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(
      `Migration ${failed?.migrationName ?? '?'} failed: ${(result.error as Error).message ?? result.error}`,
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The names of migrations not yet applied to this database. */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** The database has migrations not yet applied; the server refuses to run on it. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(`The database has unapplied migrations: ${pending.join(', ')}. Run \`baton migrate\` first.`);
  }
}
