import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Inquiries after closeout (docs/design-integrations.md, `0027-inquiries`): every e-mail an
 * inbound-parse source (SendGrid, Mailgun) forwarded to `POST /api/v1/inbound/inquiry/{source}`,
 * with what became of it: routed to the service owner (or, before closeout, to the implementation
 * lead) as a task, left unmatched and why, or refused (a bad signature; nothing of the message is
 * kept then). Unique on the source and the message's `Message-ID`, so a provider's retry is
 * recognised and does nothing twice; a Mailgun token is kept (hashed) so one signature cannot be
 * reused for another message.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('inquiries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('integration_sources.id'))
    // The `inbound_events` row the same request wrote (the sources' shared log).
    .addColumn('inbound_event_id', 'text', (c) => c.notNull().references('inbound_events.id'))
    // The message's Message-ID (or a digest of it when it has none); null when refused.
    .addColumn('message_id', 'text')
    // SHA-256 of the Mailgun token the signature covered; null for SendGrid and when refused.
    .addColumn('token_sha256', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    // `routed` | `unmatched` | `refused`.
    .addColumn('outcome', 'text', (c) => c.notNull())
    // Why it was not routed (`no_lead_addressed`, `sender_not_of_account`, `not_closed_out`, …).
    .addColumn('reason', 'text')
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('sender_email', 'text')
    .addColumn('sender_name', 'text')
    // JSON list of the addresses the message was sent to (To, Cc, the envelope).
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('engagement_id', 'text', (c) => c.references('engagements.id'))
    .addColumn('handoff_id', 'text', (c) => c.references('handoffs.id'))
    // Whose task it became: the service owner after closeout, the implementation lead before.
    .addColumn('assignee_user_id', 'text', (c) => c.references('users.id'))
    // The address the courteous reply was queued to; null when none was sent.
    .addColumn('replied_to', 'text')
    // Why no reply was sent to a routed inquiry (already introduced, an automatic message, …).
    .addColumn('reply_skipped', 'text')
    .execute();
  await db.schema
    .createIndex('inquiries_message')
    .on('inquiries')
    .columns(['source_id', 'message_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('inquiries_token')
    .on('inquiries')
    .columns(['source_id', 'token_sha256'])
    .unique()
    .execute();
  await db.schema
    .createIndex('inquiries_recent')
    .on('inquiries')
    .columns(['org_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('inquiries_engagement')
    .on('inquiries')
    .columns(['org_id', 'engagement_id', 'sender_email'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('inquiries').execute();
}
