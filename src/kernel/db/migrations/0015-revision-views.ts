import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The last revision of each handoff each user has seen (docs/design-core-screens.md), so the
 * packet they open again shows what changed since: one row per user and handoff, moved forward
 * whenever they open a newer revision.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('revision_views')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('handoff_id', 'text', (c) => c.notNull().references('handoffs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('revision_views_pk', ['handoff_id', 'user_id'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('revision_views').execute();
}
