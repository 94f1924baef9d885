import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * Recurring revenue records (docs/design-metrics.md, "Revenue"; decision 0013): each row is one
 * movement of an account's recurring revenue in a month (`period`, `YYYY-MM`): its `starting`
 * revenue, or an `expansion`, `contraction` or `churn`, as a non-negative amount in integer minor
 * units (bigint) of an ISO 4217 currency; the kind carries the sign. An account may have several
 * records of one kind in a period (one per subscription or invoice line): reports add them up.
 * The sender's `external_id`, when given, is unique in the organisation, so a re-sent record is
 * recognised and left as it was.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('revenue_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    // `YYYY-MM`: the month the movement belongs to.
    .addColumn('period', 'text', (c) => c.notNull())
    // `starting` | `expansion` | `contraction` | `churn`.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // NULLs are distinct in a unique index on both databases: records without an external id never clash.
  await db.schema
    .createIndex('revenue_records_external')
    .on('revenue_records')
    .columns(['org_id', 'external_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('revenue_records_period')
    .on('revenue_records')
    .columns(['org_id', 'period', 'currency'])
    .execute();
  await db.schema
    .createIndex('revenue_records_account')
    .on('revenue_records')
    .columns(['org_id', 'account_id', 'period'])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable('revenue_records').execute();
}
