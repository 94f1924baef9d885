import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Outbound webhooks (docs/design-integrations.md, `0025-webhooks`): an organisation's endpoints,
 * their signing secrets (sealed by the vault; two are valid for a day after a rotation), one
 * delivery per event and endpoint (unique on the `webhook-id` it is sent with, so a retry or a
 * replay is the same message), and every attempt to send it.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON list of the event types it wants, or `["*"]` for every public type.
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // Null while enabled; when disabled (by hand, or by a 410 answer), when and why.
    .addColumn('disabled_at', 'text')
    .addColumn('disabled_reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_org')
    .on('webhook_endpoints')
    .columns(['org_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
    // `whsec_…`, sealed with the organisation's data key (binding: org, `webhook_secrets`, id, `secret`).
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('secret_iv', 'text', (c) => c.notNull())
    .addColumn('secret_tag', 'text', (c) => c.notNull())
    .addColumn('data_key_id', 'text', (c) => c.notNull().references('organisation_data_keys.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Null for the current secret; a rotated one signs until then.
    .addColumn('expires_at', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_secrets_endpoint')
    .on('webhook_secrets')
    .columns(['endpoint_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
    // The `webhook-id` header: one per event (`msg_…`), the same on every retry and replay.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    // The body as sent, byte for byte (`{ type, timestamp, data }`).
    .addColumn('payload', 'text', (c) => c.notNull())
    // `pending` | `delivered` | `dead`.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    // Attempts since the delivery was created or last replayed (the retry schedule's position).
    .addColumn('run_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_started_at', 'text', (c) => c.notNull())
    // Jobs enqueued for it so far: the next one's dedupe key, and how a stale job knows it is one.
    .addColumn('sends', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_message')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'message_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_recent')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    // The HTTP status answered; null when none was (refused destination, connection error, timeout).
    .addColumn('status', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    // The first 2 KB of the answer's body.
    .addColumn('response_excerpt', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'attempted_at'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_secrets').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
}
