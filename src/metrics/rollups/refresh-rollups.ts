import { sql } from 'kysely';
import type { Db, Tx } from '../../kernel/context.js';
import { type Store, tryLockNameForTransaction } from '../../kernel/db/dialect.js';
import { idTime } from '../../kernel/ids.js';
import { columnsOf, ROLLUPS, rolledUpFacts } from './rollups.js';

/** What one refresh did. */
export interface RolledUp {
  organisations: number;
  months: number;
  marks: number;
}

/** Ids per delete statement, well under both databases' limit of bound parameters. */
const IDS_PER_DELETE = 1_000;

/**
 * Rolls up the marked months of every organisation with marks (or of one), each month in one
 * transaction of its own, so no round holds the database longer than one month's facts take
 * (SQLite has one writer): the organisation's refresh lock (if another refresher holds it, the
 * organisation is left to that one for this round), the month's marks, its roll-up rows
 * deleted and inserted again from its facts, the marks it read deleted by id (a mark written
 * meanwhile stays for the next round). With `settledBefore`, a month whose marks are all younger
 * waits: while a month keeps changing it is rolled up once per such interval, however many
 * processes run a refresher. docs/design-metrics.md, "Refresh".
 *
 * @example const { months } = await refreshRollups(store); // every marked month rolled up
 */
export async function refreshRollups(
  store: Pick<Store, 'db'>,
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
    const marks = await store.db
      .transaction()
      .execute((trx) => refreshMonth(trx, orgId, period, options.settledBefore));
    if (marks === 'busy') busy.add(orgId);
    if (marks === 'busy' || marks === 0) continue;
    organisations.add(orgId);
    done.months++;
    done.marks += marks;
  }
  done.organisations = organisations.size;
  return done;
}

/**
 * Rolls one organisation's month up again; answers how many marks it took (0: another refresher
 * had, or none was made before `settledBefore`), or `busy` when another refresher holds the organisation's lock: this round then leaves
 * the organisation to it rather than wait (and hold a connection) for each of its months, and
 * marks it has not taken stay for the next round.
 */
async function refreshMonth(
  trx: Tx,
  orgId: string,
  period: string,
  settledBefore?: Date,
): Promise<number | 'busy'> {
  if (!(await tryLockNameForTransaction(trx, `metric-rollups:${orgId}`))) return 'busy';
  const marks = await trx
    .selectFrom('metric_rollup_marks')
    .select('id')
    .where('org_id', '=', orgId)
    .where('period', '=', period)
    .execute();
  if (marks.length === 0) return 0;
  if (settledBefore && !marks.some((m) => isSettled(m.id, settledBefore))) return 0;
  for (const rollup of ROLLUPS) {
    await trx.deleteFrom(rollup.table).where('org_id', '=', orgId).where('period', '=', period).execute();
    const columns = sql.join(columnsOf(rollup).map((c) => sql.ref(c)));
    const rows = rolledUpFacts(rollup, orgId, (month) => sql`${month} = ${period}`);
    await sql`insert into ${sql.table(rollup.table)} (${columns}) ${rows}`.execute(trx);
  }
  const ids = marks.map((m) => m.id);
  for (let i = 0; i < ids.length; i += IDS_PER_DELETE)
    await trx
      .deleteFrom('metric_rollup_marks')
      .where('id', 'in', ids.slice(i, i + IDS_PER_DELETE))
      .execute();
  return marks.length;
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
