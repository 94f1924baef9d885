import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The notification centre (docs/design-core-screens.md): every notice, in the list of each user
 * it concerns, written in the transaction of the change that caused it. One row per user and
 * event key, so a notice announced twice is listed once; read through "my unread, newest first"
 * and "mine, newest first".
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addUniqueConstraint('notifications_user_event_key', ['user_id', 'event_key'])
    .execute();
  await db.schema
    .createIndex('notifications_user_created')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
  // Partial: the badge counts and the unread filter reads only what is still unread.
  await db.schema
    .createIndex('notifications_user_unread')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .where(sql<boolean>`read_at is null`)
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('notifications').execute();
}
