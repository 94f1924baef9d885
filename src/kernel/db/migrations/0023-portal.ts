import { type Kysely, PostgresAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The client portal (docs/design-closeout.md, `0023-portal`): magic links kept only as the SHA-256
 * of their token, what a client confirmed or said differs, the closeout sign-offs (immutable: a
 * trigger refuses UPDATE and DELETE on both databases, docs/decisions/0011-portal-signoff-immutable.md)
 * and the survey answers; and the organisation's brand colour the client's page is drawn in.
 */
export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('organisations').addColumn('brand_color', 'text').execute();

  await db.schema
    .createTable('portal_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    // SHA-256 of the token, hex: the token itself is never stored.
    .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
    .addColumn('single_use', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('opened_at', 'text')
    .execute();
  await db.schema
    .createIndex('portal_links_engagement')
    .on('portal_links')
    .columns(['org_id', 'engagement_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('portal_confirmations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('link_id', 'text', (c) => c.notNull().references('portal_links.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    // JSON: [{ about, text, question_id }]; empty when everything was confirmed as shown.
    .addColumn('differences', 'text', (c) => c.notNull())
    .addColumn('shown_sha256', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('portal_confirmations_engagement')
    .on('portal_confirmations')
    .columns(['org_id', 'engagement_id', 'confirmed_at'])
    .execute();

  await db.schema
    .createTable('closeout_signoffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('link_id', 'text', (c) => c.notNull().unique().references('portal_links.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    // The canonical JSON of exactly what was shown, and its SHA-256 (hex).
    .addColumn('package_json', 'text', (c) => c.notNull())
    .addColumn('package_sha256', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('closeout_signoffs_engagement')
    .on('closeout_signoffs')
    .columns(['org_id', 'engagement_id', 'signed_at'])
    .execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull().references('engagements.id'))
    .addColumn('link_id', 'text', (c) => c.notNull().unique().references('portal_links.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('csat', 'integer', (c) => c.notNull())
    .addColumn('nps', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('survey_responses_engagement')
    .on('survey_responses')
    .columns(['org_id', 'engagement_id'])
    .execute();

  // A sign-off is a record of what happened: no path changes or removes it, the database included.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      CREATE FUNCTION closeout_signoffs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'closeout_signoffs are immutable: % refused', TG_OP;
      END $$`.execute(db);
    await sql`
      CREATE TRIGGER closeout_signoffs_immutable BEFORE UPDATE OR DELETE ON closeout_signoffs
      FOR EACH ROW EXECUTE FUNCTION closeout_signoffs_refuse_change()`.execute(db);
    await sql`
      CREATE TRIGGER closeout_signoffs_no_truncate BEFORE TRUNCATE ON closeout_signoffs
      FOR EACH STATEMENT EXECUTE FUNCTION closeout_signoffs_refuse_change()`.execute(db);
  } else {
    await sql`
      CREATE TRIGGER closeout_signoffs_no_update BEFORE UPDATE ON closeout_signoffs
      BEGIN SELECT RAISE(ABORT, 'closeout_signoffs are immutable: UPDATE refused'); END`.execute(db);
    await sql`
      CREATE TRIGGER closeout_signoffs_no_delete BEFORE DELETE ON closeout_signoffs
      BEGIN SELECT RAISE(ABORT, 'closeout_signoffs are immutable: DELETE refused'); END`.execute(db);
  }
}

export async function down(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`DROP TABLE closeout_signoffs`.execute(db);
    await sql`DROP FUNCTION closeout_signoffs_refuse_change()`.execute(db);
  } else {
    await db.schema.dropTable('closeout_signoffs').execute();
  }
  await db.schema.dropTable('survey_responses').execute();
  await db.schema.dropTable('portal_confirmations').execute();
  await db.schema.dropTable('portal_links').execute();
  await db.schema.alterTable('organisations').dropColumn('brand_color').execute();
}
