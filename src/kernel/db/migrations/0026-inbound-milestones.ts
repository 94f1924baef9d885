import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Inbound CRM and status hooks (docs/integrations-inbound.md, `0026-inbound-milestones`): the draft
 * handoff an inbound event opened, so the problems found in the deal are read on that draft; and
 * the engagement milestones a project or ticketing tool's status reached (ClickUp, Procore).
 * (`milestones`, migration 0012, are a handoff's checkpoints' milestones: another thing.)
 */
export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('inbound_events').addColumn('handoff_id', 'text').execute();
  await db.schema
    .createIndex('inbound_events_handoff')
    .on('inbound_events')
    .columns(['org_id', 'handoff_id'])
    .execute();

  await db.schema
    .createTable('engagement_milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    // The milestone the source's status maps to (the source's config names it).
    .addColumn('milestone', 'text', (c) => c.notNull())
    // The status as the source sent it (`in progress`, `Projects.update`).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull().references('integration_sources.id'))
    .addColumn('inbound_event_id', 'text', (c) => c.notNull().references('inbound_events.id'))
    // When the source says it happened (or when it was received, if the source says not).
    .addColumn('reached_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('engagement_milestones_engagement')
    .on('engagement_milestones')
    .columns(['org_id', 'engagement_id', 'reached_at'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('engagement_milestones').execute();
  await db.schema.dropIndex('inbound_events_handoff').execute();
  await db.schema.alterTable('inbound_events').dropColumn('handoff_id').execute();
}
