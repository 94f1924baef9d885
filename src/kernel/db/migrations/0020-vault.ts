import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The credential vault (docs/design-closeout.md, decision 0011-vault): each organisation's data
 * keys, wrapped by a key-encryption key that lives outside the database (`kek_id` names it), and
 * the vault entries of an engagement, whose secret is sealed with one of those data keys
 * (AES-256-GCM; the ciphertext, IV and tag in their own columns, base64).
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('organisation_data_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('kek_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rewrapped_at', 'text')
    .execute();
  await db.schema
    .createIndex('organisation_data_keys_org')
    .on('organisation_data_keys')
    .columns(['org_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('vault_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('url', 'text')
    .addColumn('notes', 'text')
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('secret_iv', 'text', (c) => c.notNull())
    .addColumn('secret_tag', 'text', (c) => c.notNull())
    .addColumn('data_key_id', 'text', (c) => c.notNull().references('organisation_data_keys.id'))
    // Where the entry came from when a packet's `secret` field made it: `<handoff id> <field path>`.
    .addColumn('packet_field', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('secret_updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('vault_entries_engagement')
    .on('vault_entries')
    .columns(['org_id', 'engagement_id', 'system', 'id'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('vault_entries').execute();
  await db.schema.dropTable('organisation_data_keys').execute();
}
