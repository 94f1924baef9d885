import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Indexes for the lookups a submit and an accept make by handoff: the promises and scope items a
 * packet reconciles, and a handoff's checkpoint by its definition key. Without them each lookup
 * read every row of the organisation (or, for checkpoints, the whole table).
 */
export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('promises_handoff').on('promises').columns(['org_id', 'handoff_id']).execute();
  await db.schema
    .createIndex('scope_items_handoff')
    .on('scope_items')
    .columns(['org_id', 'handoff_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('checkpoints_handoff_key')
    .on('checkpoints')
    .columns(['handoff_id', 'def_key'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const name of ['checkpoints_handoff_key', 'scope_items_handoff', 'promises_handoff']) {
    await db.schema.dropIndex(name).execute();
  }
}
