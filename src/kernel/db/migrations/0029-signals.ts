import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Usage and support signals and quiet accounts (docs/design-metrics.md, `0029-signals`):
 * `signals` holds each event a product or support tool posted to `POST /api/v1/signals`, unique
 * on the organisation and the sender's `event_id` so a replayed batch is recognised row by row;
 * `signal_settings` the organisation's quiet threshold (days without a usage signal); and
 * `quiet_alerts` one row per quiet spell raised, keyed by the moment the silence began (the last
 * usage signal, or go-live when there was none), so a spell is announced once.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('signals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // `usage` | `support` | `adoption` | `escalation`.
    .addColumn('kind', 'text', (c) => c.notNull())
    // When it happened, as the sender says (ISO 8601, UTC).
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('feature', 'text')
    .addColumn('csat', 'integer')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('signals_event')
    .on('signals')
    .columns(['org_id', 'event_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('signals_account')
    .on('signals')
    .columns(['org_id', 'account_id', 'kind', 'at'])
    .execute();
  await db.schema
    .createTable('signal_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('quiet_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('quiet_alerts')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // When the silence began: the last usage signal before it, or go-live when there was none.
    .addColumn('quiet_since', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('alerted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('quiet_alerts_pk', ['org_id', 'account_id', 'quiet_since'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('quiet_alerts').execute();
  await db.schema.dropTable('signal_settings').execute();
  await db.schema.dropTable('signals').execute();
}
