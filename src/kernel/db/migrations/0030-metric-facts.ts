import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/**
 * The facts the metrics read (docs/design-metrics.md, "Facts, not queries over the live tables";
 * definitions in docs/metrics.md). Each table is narrow, written by subscribers to the domain
 * events inside the transaction of the change, and carries the columns every metric filters by
 * (organisation, playbook, sending and receiving team, sender) and its `period`: the
 * organisation's local month (`YYYY-MM`) of the instant the fact is counted at, so grouping by
 * period is an index range on both databases. Durations are whole seconds (bigint), so
 * percentiles are an ordered read, not date arithmetic that differs between dialects.
 *
 * - `handoff_facts`: one row per handoff, moved along as it moves.
 * - `handoff_rejection_facts`: one row per rejection, with its reason.
 * - `checkpoint_facts`: one row per checkpoint, with how it was settled and, by kind, what its
 *   outcome says (a confirmation call changed something, a 30-day rating, a review's gaps).
 * - `review_gap_facts`: one row per comparison of a follow-up review (field, gap or not).
 * - `promise_facts`: one row per promise, with its status.
 * - `survey_facts`: one row per answered survey (CSAT, NPS).
 *
 * Facts reference only their organisation: a promise a packet takes back is deleted with its
 * fact in the same transaction, in whichever order the writers run.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('handoff_facts')
    .addColumn('handoff_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('playbook_key', 'text', (c) => c.notNull())
    .addColumn('playbook_version', 'integer', (c) => c.notNull())
    .addColumn('transition_key', 'text', (c) => c.notNull())
    .addColumn('sending_team_id', 'text', (c) => c.notNull())
    .addColumn('receiving_team_id', 'text', (c) => c.notNull())
    // Who submitted it first (who drafted it, until then).
    .addColumn('sender_user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    // The local month it was drafted in, and the one it was first submitted in (null until then).
    .addColumn('created_period', 'text', (c) => c.notNull())
    .addColumn('period', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('contract_signed_at', 'text')
    .addColumn('first_submitted_at', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('kickoff_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('signed_to_submitted_s', 'bigint')
    .addColumn('submitted_to_accepted_s', 'bigint')
    .addColumn('accepted_to_kickoff_s', 'bigint')
    .addColumn('submissions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejections', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('questions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('question_rounds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_question_revision', 'integer')
    // 1 accepted without a rejection, 0 once rejected, null while undecided.
    .addColumn('first_pass', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'handoff_facts', 'period');
  await index(db, 'handoff_facts', 'created_period');
  await db.schema
    .createIndex('handoff_facts_account')
    .on('handoff_facts')
    .columns(['org_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('handoff_rejection_facts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('handoff_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('sending_team_id', 'text', (c) => c.notNull())
    .addColumn('receiving_team_id', 'text', (c) => c.notNull())
    .addColumn('sender_user_id', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'handoff_rejection_facts', 'period');

  await db.schema
    .createTable('checkpoint_facts')
    .addColumn('checkpoint_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('handoff_id', 'text', (c) => c.notNull())
    .addColumn('engagement_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('sending_team_id', 'text', (c) => c.notNull())
    .addColumn('receiving_team_id', 'text', (c) => c.notNull())
    .addColumn('sender_user_id', 'text', (c) => c.notNull())
    .addColumn('def_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    // The local month of its due time (moves when it is re-timed).
    .addColumn('period', 'text', (c) => c.notNull())
    // open | done | waived (went overdue: `overdue_at`, whatever it became after).
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('overdue_at', 'text')
    .addColumn('settled_at', 'text')
    // 1 done by its due time, 0 done late or went overdue, null while open in time or waived.
    .addColumn('on_time', 'integer')
    // A confirmation call: 1 when an answer changed something. A satisfaction check: its rating.
    // A follow-up review: how many of its comparisons found a gap.
    .addColumn('changed', 'integer')
    .addColumn('rating', 'integer')
    .addColumn('gaps', 'integer')
    .execute();
  await index(db, 'checkpoint_facts', 'period');
  await db.schema
    .createIndex('checkpoint_facts_handoff')
    .on('checkpoint_facts')
    .columns(['handoff_id'])
    .execute();

  await db.schema
    .createTable('review_gap_facts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('checkpoint_id', 'text', (c) => c.notNull())
    .addColumn('handoff_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('playbook_key', 'text', (c) => c.notNull())
    .addColumn('playbook_version', 'integer', (c) => c.notNull())
    .addColumn('sending_team_id', 'text', (c) => c.notNull())
    .addColumn('receiving_team_id', 'text', (c) => c.notNull())
    .addColumn('sender_user_id', 'text', (c) => c.notNull())
    // The packet field compared (`section.field`), whether the client's experience differed, how.
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('gap', 'integer', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'review_gap_facts', 'period');

  await db.schema
    .createTable('promise_facts')
    .addColumn('promise_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull())
    .addColumn('handoff_id', 'text')
    .addColumn('playbook_id', 'text')
    .addColumn('sending_team_id', 'text')
    .addColumn('receiving_team_id', 'text')
    .addColumn('sender_user_id', 'text')
    // open | kept | broken | renegotiated
    .addColumn('status', 'text', (c) => c.notNull())
    // The local month it was made in.
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'promise_facts', 'period');

  await db.schema
    .createTable('survey_facts')
    .addColumn('response_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('csat', 'integer', (c) => c.notNull())
    .addColumn('nps', 'integer', (c) => c.notNull())
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .execute();
  await index(db, 'survey_facts', 'period');
}

async function index(db: Db, table: string, period: string): Promise<void> {
  await db.schema.createIndex(`${table}_${period}`).on(table).columns(['org_id', period]).execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of [
    'survey_facts',
    'promise_facts',
    'review_gap_facts',
    'checkpoint_facts',
    'handoff_rejection_facts',
    'handoff_facts',
  ])
    await db.schema.dropTable(table).execute();
}
