import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The inventory of an engagement (docs/design-closeout.md): every device or asset installed, as
 * service will look after it. A serial is unique within an engagement (blank ones are null, and
 * nulls never collide); dates are calendar days (`YYYY-MM-DD`).
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('inventory_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('make', 'text')
    .addColumn('model', 'text')
    .addColumn('serial', 'text')
    .addColumn('location', 'text')
    .addColumn('network_address', 'text')
    .addColumn('firmware_version', 'text')
    .addColumn('installed_on', 'text')
    .addColumn('warranty_until', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('inventory_items_engagement_serial', ['engagement_id', 'serial'])
    .execute();
  await db.schema
    .createIndex('inventory_items_engagement')
    .on('inventory_items')
    .columns(['org_id', 'engagement_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('inventory_items').execute();
}
