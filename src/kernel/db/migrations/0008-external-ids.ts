import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

const KINDS = ['account', 'engagement'] as const;

/**
 * Looking records up by their ids in other systems. Each account, contact and engagement keeps its
 * map of external ids (now contacts too); `record_external_ids` holds the same pairs one row each,
 * so a lookup by id is an index seek rather than a read of every record of the organisation.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('contacts')
    .addColumn('external_ids', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('record_external_ids')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('record_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_external_ids_pk', ['record_type', 'record_id', 'system'])
    .execute();
  await db.schema
    .createIndex('record_external_ids_lookup')
    .on('record_external_ids')
    .columns(['org_id', 'record_type', 'external_id'])
    .execute();

  for (const kind of KINDS) {
    const table = `${kind}s`;
    let after = '';
    for (;;) {
      const rows: { id: string; org_id: string; external_ids: string }[] = await db
        .selectFrom(table)
        .select(['id', 'org_id', 'external_ids'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) break;
      const pairs = rows.flatMap((row) =>
        Object.entries(JSON.parse(row.external_ids) as Record<string, string>).map(([system, id]) => ({
          org_id: row.org_id,
          record_type: kind,
          record_id: row.id,
          system,
          external_id: id,
        })),
      );
      if (pairs.length > 0) await db.insertInto('record_external_ids').values(pairs).execute();
      after = rows.at(-1)!.id;
    }
  }
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('record_external_ids').execute();
  await db.schema.alterTable('contacts').dropColumn('external_ids').execute();
}
