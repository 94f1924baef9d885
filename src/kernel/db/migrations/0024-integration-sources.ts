import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Inbound integrations (docs/design-integrations.md, `0024-integration-sources`): the sources that
 * may call Baton (a CRM's closed-won webhook, a project or ticketing tool's status hook, an e-mail
 * provider's inbound parse), each with its secret sealed by the vault, and every event they sent:
 * unique on the source's own event id, so a replay is recognised and does nothing.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('integration_sources')
    // Random and unguessable: the id is the `{source}` of `/api/v1/inbound/…/{source}`.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // `hubspot` | `salesforce` | `pipedrive` | `clickup` | `procore` | `sendgrid` | `mailgun`.
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON: the kind's settings (the Salesforce organisation id, the playbook and transition a
    // closed-won deal opens, the statuses that map to milestones, …).
    .addColumn('config', 'text', (c) => c.notNull())
    // The signing secret (or Basic password), sealed with the organisation's data key; the binding
    // is (org, `integration_sources`, id, `secret`). Null for a source that proves itself otherwise.
    .addColumn('secret_ciphertext', 'text')
    .addColumn('secret_iv', 'text')
    .addColumn('secret_tag', 'text')
    .addColumn('data_key_id', 'text', (c) => c.references('organisation_data_keys.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('secret_updated_at', 'text')
    .execute();
  await db.schema
    .createIndex('integration_sources_org')
    .on('integration_sources')
    .columns(['org_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('inbound_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('integration_sources.id'))
    // The sender's own id of the event (HubSpot `eventId`, Salesforce notification `Id`, …);
    // null for a request refused before one could be read (a bad signature).
    .addColumn('external_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    // `created` | `recorded` | `refused` (a duplicate is answered, not stored again).
    .addColumn('outcome', 'text', (c) => c.notNull())
    // Why it was refused, or the problems found in what was accepted (JSON list of
    // `{ path, reason }`), never the secret or the raw signature.
    .addColumn('problems', 'text', (c) => c.notNull())
    // JSON: what was created or recorded (`{ account_id, engagement_id, handoff_id, … }`).
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('inbound_events_external')
    .on('inbound_events')
    .columns(['source_id', 'external_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('inbound_events_recent')
    .on('inbound_events')
    .columns(['org_id', 'source_id', 'received_at'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('inbound_events').execute();
  await db.schema.dropTable('integration_sources').execute();
}
