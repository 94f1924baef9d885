import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Files (docs/design-closeout.md): the blobs each organisation holds (content-addressed by
 * SHA-256), the chunks of the database storage, and each engagement's named files and their
 * versions.
 */
export async function up(db: Db): Promise<void> {
  const bytes = dialectOf(db) === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('blobs')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('blobs_pkey', ['org_id', 'sha256'])
    .execute();
  // The sweep asks whether anyone holds an address.
  await db.schema.createIndex('blobs_sha256').on('blobs').column('sha256').execute();
  await db.schema
    .createTable('blob_chunks')
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_chunks_pkey', ['blob_key', 'seq'])
    .execute();
  await db.schema
    .createTable('engagement_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('engagement_files_name', ['engagement_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('engagement_file_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('file_id', 'text', (c) => c.notNull().references('engagement_files.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('uploaded_by', 'text')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('engagement_file_versions_version', ['file_id', 'version'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('engagement_file_versions').execute();
  await db.schema.dropTable('engagement_files').execute();
  await db.schema.dropTable('blob_chunks').execute();
  await db.schema.dropTable('blobs').execute();
}
