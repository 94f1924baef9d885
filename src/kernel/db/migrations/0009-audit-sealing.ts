import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The audit log sealed after commit (docs/design-audit-log.md): writers append to
 * `audit_pending` without any organisation-wide lock; a sealer moves entries into `audit_log`
 * with their sequence numbers and hashes. The organisation keeps the Merkle tree's compact range
 * and how far its heads have been signed and published.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('audit_pending')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('handoff_id', 'text')
    .addColumn('engagement_id', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_pending_org').on('audit_pending').columns(['org_id', 'id']).execute();
  await db.schema.alterTable('audit_log').addColumn('sealed_at', 'text').execute();
  await db.schema.alterTable('organisations').addColumn('audit_frontier', 'text').execute();
  await db.schema
    .alterTable('organisations')
    .addColumn('audit_signed_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('organisations').addColumn('audit_signed_at', 'text').execute();
  await db.schema.alterTable('organisations').addColumn('audit_signed_note', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  for (const column of ['audit_signed_note', 'audit_signed_at', 'audit_signed_seq', 'audit_frontier'])
    await db.schema.alterTable('organisations').dropColumn(column).execute();
  await db.schema.alterTable('audit_log').dropColumn('sealed_at').execute();
  await db.schema.dropTable('audit_pending').execute();
}
