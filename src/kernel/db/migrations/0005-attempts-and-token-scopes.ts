import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Password attempts of every kind in one table, keyed by what was attempted (`email:…` for a
 * sign-in, `user:…` for a current password) and by the client address, so one limiter counts
 * them (attempts of the last window carry over from sign_in_attempts); and the scopes of API
 * tokens, space-separated, every scope for the tokens that exist.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('auth_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('auth_attempts_subject')
    .on('auth_attempts')
    .columns(['subject', 'at'])
    .execute();
  await db.schema.createIndex('auth_attempts_client').on('auth_attempts').columns(['client', 'at']).execute();
  await sql`INSERT INTO auth_attempts (id, subject, client, at)
    SELECT id, 'email:' || email, client, at FROM sign_in_attempts`.execute(db);
  await db.schema.dropTable('sign_in_attempts').execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read lifecycle records admin'))
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('api_tokens').dropColumn('scopes').execute();
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_email')
    .on('sign_in_attempts')
    .columns(['email', 'at'])
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_client')
    .on('sign_in_attempts')
    .columns(['client', 'at'])
    .execute();
  await db.schema.dropTable('auth_attempts').execute();
}
