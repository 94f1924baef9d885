import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Scope creep (docs/design-metrics.md): out-of-scope work asked for on an engagement, logged as a
 * change order that is identified, quoted, approved and billed, or declined; each step's instant
 * kept in its own column (ISO UTC) so the capture report is plain SQL. Amounts are integer minor
 * units (bigint) with an ISO 4217 currency.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('change_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('asked_by_contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('asked_by_name', 'text', (c) => c.notNull())
    .addColumn('scope_item_id', 'text', (c) => c.references('scope_items.id').onDelete('set null'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('logged_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('identified_at', 'text', (c) => c.notNull())
    .addColumn('quoted_at', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('billed_at', 'text')
    .addColumn('declined_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('change_orders_engagement')
    .on('change_orders')
    .columns(['org_id', 'engagement_id', 'identified_at'])
    .execute();
  await db.schema
    .createIndex('change_orders_identified')
    .on('change_orders')
    .columns(['org_id', 'identified_at'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('change_orders').execute();
}
