import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * A revision made by correcting a field in an answer (docs/design-core-screens.md, "Amending in
 * an answer") names the question it answered, and the question names the revision its answer
 * made; a submitted revision and a plain answer name none.
 */
export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('handoff_revisions').addColumn('answering_question_id', 'text').execute();
  await db.schema.alterTable('questions').addColumn('amended_revision', 'integer').execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('questions').dropColumn('amended_revision').execute();
  await db.schema.alterTable('handoff_revisions').dropColumn('answering_question_id').execute();
}
