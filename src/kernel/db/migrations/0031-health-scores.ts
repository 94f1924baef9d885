import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Health scores (docs/design-metrics.md, "Health scores", `0031-health-scores`):
 * `health_settings` holds how an organisation scores its accounts' health (a weight per component,
 * the named features whose adoption counts, the window in days, the lowest score of each band);
 * `health_scores` one score per account and day (the organisation's local date), with its band and
 * components, so the history is a range of one index. Scoring the same day again replaces the row.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('health_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('window_days', 'integer', (c) => c.notNull())
    .addColumn('weight_usage', 'double precision', (c) => c.notNull())
    .addColumn('weight_support', 'double precision', (c) => c.notNull())
    .addColumn('weight_adoption', 'double precision', (c) => c.notNull())
    .addColumn('weight_escalations', 'double precision', (c) => c.notNull())
    // JSON list of the feature names whose adoption counts.
    .addColumn('features_json', 'text', (c) => c.notNull())
    // The lowest score of the `healthy` band, and of the `watch` band (below it: `at_risk`).
    .addColumn('healthy_min', 'double precision', (c) => c.notNull())
    .addColumn('watch_min', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('health_scores')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // The organisation's local date of the score, `YYYY-MM-DD`.
    .addColumn('scored_on', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    // `healthy` | `watch` | `at_risk`.
    .addColumn('band', 'text', (c) => c.notNull())
    // JSON list of { component, score, weight, detail }.
    .addColumn('components_json', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_scores_pk', ['org_id', 'account_id', 'scored_on'])
    .execute();
  await db.schema
    .createIndex('health_scores_day')
    .on('health_scores')
    .columns(['org_id', 'scored_on'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('health_scores').execute();
  await db.schema.dropTable('health_settings').execute();
}
