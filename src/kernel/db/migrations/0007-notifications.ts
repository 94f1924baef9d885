import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Who hears about what: each user's notification preferences (no row means every notice by
 * e-mail, and named in chat), and the first reading of a submitted packet by its receiving team
 * (the review nudge goes out only when nobody has opened it).
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('email_off', 'text', (c) => c.notNull())
    .addColumn('chat_mention', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('handoffs').addColumn('opened_revision', 'integer').execute();
  await db.schema.alterTable('handoffs').addColumn('opened_at', 'text').execute();
  await db.schema.alterTable('handoffs').addColumn('opened_by', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  for (const column of ['opened_by', 'opened_at', 'opened_revision']) {
    await db.schema.alterTable('handoffs').dropColumn(column).execute();
  }
  await db.schema.dropTable('notification_preferences').execute();
}
