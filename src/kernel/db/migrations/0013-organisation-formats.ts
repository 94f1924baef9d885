import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Organisation formats (docs/design-core-screens.md): the locale every screen formats and parses
 * money, dates and numbers in, and the currency a money field starts with. Organisations created
 * before this step get the defaults (`en-GB`, `EUR`); an admin changes them.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('en-GB'))
    .execute();
  await db.schema
    .alterTable('organisations')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('EUR'))
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable('organisations').dropColumn('currency').execute();
  await db.schema.alterTable('organisations').dropColumn('locale').execute();
}
