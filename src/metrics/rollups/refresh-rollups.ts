import { sql } from 'kysely';
import { deleteRowsById, insertRows } from '../../kernel/batch-writes.js';
import type { Db, Tx } from '../../kernel/context.js';
import { inReadSnapshot, type Store, tryLockNameForTransaction } from '../../kernel/db/dialect.js';
import { idTime } from '../../kernel/ids.js';
import { ROLLUPS, type RollupTable, rolledUpFacts } from './rollups.js';

/** What one refresh did. */
export interface RolledUp {
  organisations: number;
  months: number;
  marks: number;
}

/** Ids per statement, well under both databases' limit of bound parameters. */
const IDS_PER_STATEMENT = 1_000;

/**
 * Rolls up the marked months of every organisation with marks (or of one), a month at a time
 * (docs/design-metrics.md, "Refresh"): in a read snapshot, the month's marks and its roll-up rows
 * summed from its facts (on a SQLite file, on a reader thread: the server's thread and the one
 * writer stay free however large the month); then, in a short write transaction under the
 * organisation's refresh lock, if every mark read is still there, the month's roll-up rows are
 * replaced by those and the marks read deleted by id. A mark written after the snapshot stays for
 * the next round (its change is not in the rows); a mark gone means another refresher rolled the
 * month up from a snapshot as new or newer, and this one writes nothing. If another refresher
 * holds the lock, the organisation is left to it for this round. With `settledBefore`, a month
 * whose marks are all younger waits: while a month keeps changing it is rolled up once per such
 * interval, however many processes run a refresher.
 *
 * @example const { months } = await refreshRollups(store); // every marked month rolled up
 */
export async function refreshRollups(
  store: Pick<Store, 'db' | 'dialect' | 'snapshots'>,
  options: { orgId?: string; settledBefore?: Date } = {},
): Promise<RolledUp> {
  const marked = await store.db
    .selectFrom('metric_rollup_marks')
    .select(['org_id', 'period'])
    .distinct()
    .$if(options.orgId !== undefined, (q) => q.where('org_id', '=', options.orgId!))
    .orderBy('org_id')
    .orderBy('period')
    .execute();
  const done: RolledUp = { organisations: 0, months: 0, marks: 0 };
  const organisations = new Set<string>();
  const busy = new Set<string>();
  for (const { org_id: orgId, period } of marked) {
    if (busy.has(orgId)) continue;
    const month = await inReadSnapshot(store, (trx) => readMonth(trx, orgId, period, options.settledBefore));
    if (!month) continue;
    const marks = await store.db.transaction().execute((trx) => writeMonth(trx, orgId, period, month));
    if (marks === 'busy') busy.add(orgId);
    if (marks === 'busy' || marks === 0) continue;
    organisations.add(orgId);
    done.months++;
    done.marks += marks;
  }
  done.organisations = organisations.size;
  return done;
}

/** A month as one snapshot saw it: its marks, and each roll-up's rows summed from its facts. */
export interface MonthRead {
  marks: string[];
  rows: Map<RollupTable, Record<string, unknown>[]>;
}

/** Reads a month to roll up; undefined when it has no marks (or none made before `settledBefore`). */
export async function readMonth(
  trx: Tx,
  orgId: string,
  period: string,
  settledBefore?: Date,
): Promise<MonthRead | undefined> {
  const marks = (
    await trx
      .selectFrom('metric_rollup_marks')
      .select('id')
      .where('org_id', '=', orgId)
      .where('period', '=', period)
      .execute()
  ).map((m) => m.id);
  if (marks.length === 0) return undefined;
  if (settledBefore && !marks.some((id) => isSettled(id, settledBefore))) return undefined;
  const rows = new Map<RollupTable, Record<string, unknown>[]>();
  for (const rollup of ROLLUPS) {
    const query = rolledUpFacts(rollup, orgId, (month) => sql`${month} = ${period}`);
    rows.set(rollup.table, (await sql<Record<string, unknown>>`${query}`.execute(trx)).rows);
  }
  return { marks, rows };
}

/**
 * Writes a month read by `readMonth`, if every mark it read is still there; answers how many marks
 * it took (0: another refresher had taken some), or `busy` when another refresher holds the
 * organisation's lock: this round then leaves the organisation to it rather than wait (and hold a
 * connection) for each of its months, and marks it has not taken stay for the next round.
 */
export async function writeMonth(
  trx: Tx,
  orgId: string,
  period: string,
  month: MonthRead,
): Promise<number | 'busy'> {
  if (!(await tryLockNameForTransaction(trx, `metric-rollups:${orgId}`))) return 'busy';
  let present = 0;
  for (let i = 0; i < month.marks.length; i += IDS_PER_STATEMENT) {
    const found = await trx
      .selectFrom('metric_rollup_marks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', month.marks.slice(i, i + IDS_PER_STATEMENT))
      .executeTakeFirstOrThrow();
    present += Number(found.n);
  }
  if (present < month.marks.length) return 0;
  for (const rollup of ROLLUPS) {
    await trx.deleteFrom(rollup.table).where('org_id', '=', orgId).where('period', '=', period).execute();
    const rows = month.rows.get(rollup.table) ?? [];
    if (rows.length > 0) await insertRows(trx, rollup.table, rows as never[]);
  }
  await deleteRowsById(trx, 'metric_rollup_marks', month.marks);
  return month.marks.length;
}

/** A mark made before `before` (its id's time; a mark of `markEveryMonth` always is). */
function isSettled(id: string, before: Date): boolean {
  const made = idTime(id);
  return made === null || made < before;
}

/**
 * Marks every month of one organisation (or of all) that has facts, so the next refresh rolls
 * all of them up: for facts written without their marks (a seeded history, a backfill).
 */
export async function markEveryMonth(db: Db, orgId?: string): Promise<void> {
  const org = orgId === undefined ? sql`` : sql` and org_id = ${orgId}`;
  const sources = new Map(ROLLUPS.map((r) => [`${r.facts}.${r.period}`, r]));
  const months = sql.join(
    [...sources.values()].map(
      (r) =>
        sql`select org_id, ${sql.ref(r.period)} as period from ${sql.table(r.facts)} where ${sql.ref(r.period)} is not null${org}`,
    ),
    sql` union `,
  );
  await sql`insert into metric_rollup_marks (id, org_id, period)
    select 'all:' || org_id || ':' || period, org_id, period from (${months}) months
    where not exists (select 1 from metric_rollup_marks m where m.id = 'all:' || months.org_id || ':' || months.period)`.execute(
    db,
  );
}
