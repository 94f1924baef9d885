import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The closeout's records (docs/design-closeout.md): warranties and support contracts (each with
 * the checkpoint that reminds before it expires), the punch list, who among the client's operators
 * was trained on what, the internal debrief; and on the engagement, the service lead's
 * introduction and the closeout itself. Dates are calendar days (`YYYY-MM-DD`), instants ISO UTC.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('warranties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('starts_on', 'text')
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('covers', 'text')
    .addColumn('remind_days_before', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('warranties_engagement')
    .on('warranties')
    .columns(['org_id', 'engagement_id', 'expires_on'])
    .execute();

  await db.schema
    .createTable('punch_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_on', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('settled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('punch_items_engagement')
    .on('punch_items')
    .columns(['org_id', 'engagement_id', 'state'])
    .execute();

  await db.schema
    .createTable('training_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('trainee_name', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('trained_on', 'text', (c) => c.notNull())
    .addColumn('trainer_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('training_records_engagement')
    .on('training_records')
    .columns(['org_id', 'engagement_id'])
    .execute();

  await db.schema
    .createTable('closeout_debriefs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('attendees', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('closeout_debriefs_engagement')
    .on('closeout_debriefs')
    .columns(['org_id', 'engagement_id'])
    .execute();

  await db.schema.alterTable('engagements').addColumn('service_lead_user_id', 'text').execute();
  await db.schema.alterTable('engagements').addColumn('service_lead_introduced_at', 'text').execute();
  await db.schema.alterTable('engagements').addColumn('closed_out_at', 'text').execute();
  await db.schema.alterTable('engagements').addColumn('closed_out_by', 'text').execute();
}

export async function down(db: Db): Promise<void> {
  for (const column of [
    'closed_out_by',
    'closed_out_at',
    'service_lead_introduced_at',
    'service_lead_user_id',
  ])
    await db.schema.alterTable('engagements').dropColumn(column).execute();
  for (const table of ['closeout_debriefs', 'training_records', 'punch_items', 'warranties'])
    await db.schema.dropTable(table).execute();
}
