import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Typed jobs (docs/design-checkpoints-scheduler.md): each job row records the version of its
 * kind's definition that wrote its payload, so a worker reads it with the right schema, upgrades
 * an older one, or leaves a newer one to a newer process. Rows written before this step were
 * written by version 1 of every kind.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('scheduled_jobs')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('scheduled_jobs').dropColumn('version').execute();
}
