import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was at this step
type Db = Kysely<any>;

/** The dimensions every roll-up is grouped by, beside its organisation and month. */
const DIMENSIONS = ['playbook_id', 'sending_team_id', 'receiving_team_id', 'sender_user_id'] as const;

/** Each roll-up: its extra key columns (text unless said) and its sums (integers). */
const ROLLUPS: Record<string, { keys: [string, 'text' | 'integer'][]; sums: string[]; dims: boolean }> = {
  handoff_rollups: {
    keys: [['question_rounds', 'integer']],
    sums: [
      'handoffs',
      'accepted',
      'decided',
      'first_pass',
      'questions',
      'closed',
      'closed_on_time',
      'signed_n',
      'accept_n',
      'kickoff_n',
    ],
    dims: true,
  },
  draft_rollups: { keys: [], sums: ['drafted', 'submitted', 'accepted', 'kicked_off', 'closed'], dims: true },
  rejection_rollups: { keys: [['reason', 'text']], sums: ['rejections'], dims: true },
  checkpoint_rollups: {
    keys: [],
    sums: ['settled', 'on_time', 'calls', 'calls_changed', 'ratings', 'rating_sum'],
    dims: true,
  },
  review_gap_rollups: {
    keys: [
      ['playbook_key', 'text'],
      ['field', 'text'],
    ],
    sums: ['reviews', 'gaps'],
    dims: true,
  },
  promise_rollups: { keys: [], sums: ['kept', 'broken', 'renegotiated', 'open'], dims: true },
  survey_rollups: {
    keys: [],
    sums: ['responses', 'csat_sum', 'promoters', 'passives', 'detractors'],
    dims: false,
  },
  cycle_rollups: {
    keys: [
      ['stage', 'integer'],
      ['hours', 'integer'],
    ],
    sums: ['handoffs'],
    dims: false,
  },
};

const DIMS = ['playbook_id', 'sending_team_id', 'receiving_team_id', 'sender_user_id'];

/**
 * The facts' month indexes (0030: organisation and month) made covering: each roll-up's month is
 * read, when it is rolled up or while it is marked, in the order it is grouped by and from the
 * index alone (docs/design-metrics.md, "Monthly roll-ups"). Same names, so the plans read them.
 */
const COVERING: Record<string, [table: string, columns: string[]]> = {
  handoff_facts_period: [
    'handoff_facts',
    [
      'org_id',
      'period',
      ...DIMS,
      'question_rounds',
      'accepted_at',
      'first_pass',
      'questions',
      'closed_at',
      'signed_to_submitted_s',
      'submitted_to_accepted_s',
      'accepted_to_kickoff_s',
      'handoff_id',
    ],
  ],
  handoff_facts_created_period: [
    'handoff_facts',
    ['org_id', 'created_period', ...DIMS, 'first_submitted_at', 'accepted_at', 'kickoff_at', 'closed_at'],
  ],
  handoff_rejection_facts_period: ['handoff_rejection_facts', ['org_id', 'period', ...DIMS, 'reason']],
  checkpoint_facts_period: [
    'checkpoint_facts',
    ['org_id', 'period', ...DIMS, 'kind', 'state', 'on_time', 'changed', 'rating'],
  ],
  review_gap_facts_period: [
    'review_gap_facts',
    ['org_id', 'period', ...DIMS, 'playbook_key', 'field', 'gap'],
  ],
  promise_facts_period: ['promise_facts', ['org_id', 'period', ...DIMS, 'status']],
  survey_facts_period: ['survey_facts', ['org_id', 'period', 'csat', 'nps']],
};

/**
 * Monthly roll-ups of the metrics' facts (docs/design-metrics.md, "Monthly roll-ups"): per
 * organisation and month, the sums of a fact table grouped by the dimensions the metrics filter
 * and group by; `cycle_rollups` is each stage's histogram in whole hours. `metric_rollup_marks`
 * holds one row per transaction and month whose facts changed since the month was rolled up; the
 * metrics read those months from the facts, and the refresher rolls them up and deletes the marks.
 *
 * No roll-up row exists yet, so every month that has facts is marked here.
 */
export async function up(db: Db): Promise<void> {
  for (const [table, def] of Object.entries(ROLLUPS)) {
    let create = db.schema
      .createTable(table)
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
      .addColumn('period', 'text', (c) => c.notNull());
    if (def.dims) for (const d of DIMENSIONS) create = create.addColumn(d, 'text');
    for (const [key, type] of def.keys) create = create.addColumn(key, type);
    for (const s of def.sums) create = create.addColumn(s, 'bigint', (c) => c.notNull());
    await create.execute();
    await db.schema.createIndex(`${table}_period`).on(table).columns(['org_id', 'period']).execute();
  }
  await db.schema
    .createTable('metric_rollup_marks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('metric_rollup_marks_period')
    .on('metric_rollup_marks')
    .columns(['org_id', 'period'])
    .execute();
  for (const [name, [table, columns]] of Object.entries(COVERING)) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on(table).columns(columns).execute();
  }
  // A handoff's required checkpoints gone late (on-time completion), from the index alone.
  await db.schema.dropIndex('checkpoint_facts_handoff').execute();
  await db.schema
    .createIndex('checkpoint_facts_handoff')
    .on('checkpoint_facts')
    .columns(['handoff_id', 'required', 'on_time'])
    .execute();
  // A review's comparisons are replaced by checkpoint, and looked up by handoff (retention beside quality).
  await db.schema
    .createIndex('review_gap_facts_checkpoint')
    .on('review_gap_facts')
    .column('checkpoint_id')
    .execute();
  await db.schema
    .createIndex('review_gap_facts_handoff')
    .on('review_gap_facts')
    .column('handoff_id')
    .execute();
  await sql`insert into metric_rollup_marks (id, org_id, period)
    select 'm0033:' || org_id || ':' || period, org_id, period from (
      select org_id, period from handoff_facts where period is not null
      union select org_id, created_period from handoff_facts
      union select org_id, period from handoff_rejection_facts
      union select org_id, period from checkpoint_facts
      union select org_id, period from review_gap_facts
      union select org_id, period from promise_facts
      union select org_id, period from survey_facts) months`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex('checkpoint_facts_handoff').execute();
  await db.schema
    .createIndex('checkpoint_facts_handoff')
    .on('checkpoint_facts')
    .columns(['handoff_id'])
    .execute();
  for (const [name, [table, columns]] of Object.entries(COVERING)) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on(table).columns(columns.slice(0, 2)).execute();
  }
  await db.schema.dropIndex('review_gap_facts_handoff').execute();
  await db.schema.dropIndex('review_gap_facts_checkpoint').execute();
  await db.schema.dropTable('metric_rollup_marks').execute();
  for (const table of Object.keys(ROLLUPS).reverse()) await db.schema.dropTable(table).execute();
}
