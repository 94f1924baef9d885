import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * A checkpoint's window (`opens_at`: it cannot be completed earlier), and the resolution of a
 * re-scope record (what changed — price, crew, date or nothing — with a note, by whom and when).
 * All nullable: rows written before this step have no window (open from creation) and are open.
 */
export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('checkpoints').addColumn('opens_at', 'text').execute();
  for (const column of ['resolution_outcome', 'resolution_note', 'resolved_by', 'resolved_at']) {
    await db.schema.alterTable('rescopes').addColumn(column, 'text').execute();
  }
}

export async function down(db: Db): Promise<void> {
  for (const column of ['resolved_at', 'resolved_by', 'resolution_note', 'resolution_outcome']) {
    await db.schema.alterTable('rescopes').dropColumn(column).execute();
  }
  await db.schema.alterTable('checkpoints').dropColumn('opens_at').execute();
}
