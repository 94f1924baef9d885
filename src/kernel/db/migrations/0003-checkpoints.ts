import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was at that step, not as it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Db = Kysely<any>;

/** C4: business calendars, milestones, checkpoints, clock events, re-scopes, and the job table. */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('business_calendars')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('working_days', 'text', (c) => c.notNull())
    .addColumn('day_start', 'text', (c) => c.notNull())
    .addColumn('day_end', 'text', (c) => c.notNull())
    .addColumn('holidays', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('chat_webhook_url', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('handoff_id', 'text', (c) => c.notNull().references('handoffs.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('milestones_handoff_key', ['handoff_id', 'key'])
    .execute();

  await db.schema
    .createTable('checkpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('handoff_id', 'text', (c) => c.notNull().references('handoffs.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('def_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('due_expr', 'text', (c) => c.notNull())
    .addColumn('anchor_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('owner_team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('overdue_at', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('paused_at', 'text')
    .addColumn('remaining_minutes', 'integer')
    .addColumn('scheduled_start', 'text')
    .addColumn('scheduled_end', 'text')
    .addColumn('invitees', 'text')
    .addColumn('outcome', 'text')
    .addColumn('waive_reason', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('checkpoints_org_state_due')
    .on('checkpoints')
    .columns(['org_id', 'state', 'due_at'])
    .execute();
  await db.schema
    .createIndex('checkpoints_handoff')
    .on('checkpoints')
    .columns(['org_id', 'handoff_id'])
    .execute();

  await db.schema
    .createTable('clock_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('checkpoint_id', 'text', (c) => c.notNull().references('checkpoints.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('due_before', 'text')
    .addColumn('due_after', 'text')
    .addColumn('remaining_minutes', 'integer')
    .execute();
  await db.schema
    .createIndex('clock_events_checkpoint')
    .on('clock_events')
    .columns(['org_id', 'checkpoint_id'])
    .execute();

  await db.schema
    .createTable('rescopes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('handoff_id', 'text', (c) => c.notNull().references('handoffs.id'))
    .addColumn('checkpoint_id', 'text', (c) => c.notNull().references('checkpoints.id'))
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rescopes_engagement')
    .on('rescopes')
    .columns(['org_id', 'engagement_id'])
    .execute();

  // Timers and the notification outbox. Not tied to organisations by a foreign key: the table is
  // the scheduler's, and a job may outlive what caused it.
  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('available_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // The claim reads `status = 'pending' AND kind IN (…) AND available_at <= now ORDER BY
  // available_at LIMIT n`: this index makes it cost the number of due rows of the kinds the worker
  // handles, whatever the number of future ones (or of due ones no worker here can send).
  await db.schema
    .createIndex('scheduled_jobs_due')
    .on('scheduled_jobs')
    .columns(['status', 'kind', 'available_at'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'scheduled_jobs',
    'rescopes',
    'clock_events',
    'checkpoints',
    'milestones',
    'notification_settings',
    'business_calendars',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
