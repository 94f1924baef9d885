import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Whether a promise or scope item was made from a submitted packet (1) or recorded by hand (0):
 * submitting reconciles only the packet's own records, and leaves one recorded by hand alone even
 * when it is tied to the handoff. Rows written before this step that are tied to a handoff are
 * taken as the packet's, as submitting took them until now.
 */
export async function up(db: Db): Promise<void> {
  for (const table of ['promises', 'scope_items']) {
    await db.schema
      .alterTable(table)
      .addColumn('from_packet', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.updateTable(table).set({ from_packet: 1 }).where('handoff_id', 'is not', null).execute();
  }
}

export async function down(db: Db): Promise<void> {
  for (const table of ['scope_items', 'promises']) {
    await db.schema.alterTable(table).dropColumn('from_packet').execute();
  }
}
