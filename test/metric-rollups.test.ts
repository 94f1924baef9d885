import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inReadSnapshot, type Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { idTime, newId } from '../src/kernel/ids.js';
import type { MetricFilters } from '../src/metrics/domain/metric-filters.js';
import {
  markEveryMonth,
  readMonth,
  refreshRollups,
  writeMonth,
} from '../src/metrics/rollups/refresh-rollups.js';
import { startRollupRefresher } from '../src/metrics/rollups/rollup-refresher.js';
import { ROLLUPS } from '../src/metrics/rollups/rollups.js';
import { dashboardOf } from '../src/metrics/use-cases/compute-dashboard.js';
import { seedOrg, type TestOrg, testApp } from './support/app.js';
import { factOrg, writeHistory } from './support/metric-facts.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const ALL: MetricFilters = { from: null, to: null, team: null, sender: null, playbook: null };

/** How many rows each roll-up holds for the organisation. */
async function rollupRows(store: Store, orgId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const rollup of ROLLUPS) {
    const row = await store.db
      .selectFrom(rollup.table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    out[rollup.table] = Number(row.n);
  }
  return out;
}

const marksOf = async (store: Store, orgId: string) =>
  (await store.db.selectFrom('metric_rollup_marks').select('period').where('org_id', '=', orgId).execute())
    .length;

// The refresher (docs/design-metrics.md, "Refresh"): the hand-built history of
// test/metrics.test.ts, written as facts with every month marked, then rolled up.
describe.each(DIALECTS)('the metrics roll-ups, on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let org: TestOrg;
  let orgId: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    org = await seedOrg(built.deps, 'Roll-up Co');
    orgId = org.id;
    await writeHistory(store, await factOrg(store, org));
    await markEveryMonth(store.db, orgId);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('two refreshes at once roll each month up once, and the figures stay those of the facts', async () => {
    const fromFacts = await dashboardOf(store, orgId, ALL);
    const months = new Set(
      (
        await store.db
          .selectFrom('metric_rollup_marks')
          .select('period')
          .where('org_id', '=', orgId)
          .execute()
      ).map((m) => m.period),
    );
    expect(months.size).toBeGreaterThan(1);
    // Two refreshers of one organisation (two processes): one finding the other's lock taken
    // leaves the organisation to it for the round, or finds a month's marks gone; every month is
    // rolled up once, none twice, none left.
    const [one, two] = await Promise.all([
      refreshRollups(store, { orgId }),
      refreshRollups(store, { orgId }),
    ]);
    expect(one.months + two.months).toBe(months.size);
    expect(await marksOf(store, orgId)).toBe(0);
    const rows = await rollupRows(store, orgId);
    expect(rows.handoff_rollups).toBeGreaterThan(0);
    expect(await dashboardOf(store, orgId, ALL)).toEqual(fromFacts);
    // Rolled up again from scratch: the same rows, not added to the first ones.
    await markEveryMonth(store.db, orgId);
    await refreshRollups(store, { orgId });
    expect(await rollupRows(store, orgId)).toEqual(rows);
    expect(await dashboardOf(store, orgId, ALL)).toEqual(fromFacts);
  });

  it('marks written meanwhile stay for the next round; the refresher rolls them up on its own', async () => {
    await markEveryMonth(store.db, orgId);
    const refresher = startRollupRefresher(store, { intervalMs: 20 });
    try {
      const until = Date.now() + 10_000;
      while ((await marksOf(store, orgId)) > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      expect(await marksOf(store, orgId)).toBe(0);
      // A mark written after a round is taken by the next one.
      await store.db
        .insertInto('metric_rollup_marks')
        .values({ id: 'later', org_id: orgId, period: '2026-02' })
        .execute();
      while ((await marksOf(store, orgId)) > 0 && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      expect(await marksOf(store, orgId)).toBe(0);
    } finally {
      await refresher.stop();
    }
  });

  it('with settledBefore, a month whose marks are all younger waits for a later round', async () => {
    await refreshRollups(store, { orgId });
    const made = new Date('2026-12-02T12:00:00.000Z');
    const mark = (at: Date) =>
      store.db
        .insertInto('metric_rollup_marks')
        .values({ id: newId(at.getTime()), org_id: orgId, period: '2026-02' })
        .execute();
    await mark(made);
    await mark(new Date(made.getTime() + 1000));
    // Both marks made after the cut: the month keeps them.
    expect(await refreshRollups(store, { orgId, settledBefore: made })).toMatchObject({ months: 0 });
    expect(await marksOf(store, orgId)).toBe(2);
    // One made before it: the month is rolled up and every mark it read taken, the younger too.
    const cut = new Date(made.getTime() + 1);
    expect(await refreshRollups(store, { orgId, settledBefore: cut })).toEqual({
      organisations: 1,
      months: 1,
      marks: 2,
    });
    expect(await marksOf(store, orgId)).toBe(0);
    // A mark of `markEveryMonth` (not an id with a time) is always settled.
    await markEveryMonth(store.db, orgId);
    const months = await marksOf(store, orgId);
    expect(await refreshRollups(store, { orgId, settledBefore: new Date(0) })).toMatchObject({ months });
    const long = new Date('2021-05-06T07:08:09.010Z');
    expect(idTime(newId(long.getTime()))).toEqual(long);
    expect(idTime('all:x:2026-02')).toBeNull();
  });

  it('a month is written as its snapshot saw it: later marks stay, an older read writes nothing', async () => {
    await refreshRollups(store, { orgId });
    const survey = await store.db
      .selectFrom('survey_facts')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    const month = survey.period;
    const mark = (db: Store['db']) =>
      db.insertInto('metric_rollup_marks').values({ id: newId(), org_id: orgId, period: month }).execute();
    // A writer's change: a fact and its month's mark, in one transaction.
    const answer = (csat: number) =>
      store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('survey_facts')
          .values({ ...survey, response_id: newId(), csat, nps: 0 })
          .execute();
        await mark(trx);
      });
    const read = () => inReadSnapshot(store, (trx) => readMonth(trx, orgId, month));
    const write = (seen: Awaited<ReturnType<typeof read>>) =>
      store.db.transaction().execute((trx) => writeMonth(trx, orgId, month, seen!));
    // The figures as they read now equal those read from the facts alone (every month marked).
    const expectFiguresOfTheFacts = async () => {
      const now = await dashboardOf(store, orgId, ALL);
      await markEveryMonth(store.db, orgId);
      expect(await dashboardOf(store, orgId, ALL)).toEqual(now);
      return now;
    };

    await mark(store.db);
    const older = await read();
    await answer(1);
    const newer = await read();
    expect(older!.marks).toHaveLength(1);
    expect(newer!.marks).toHaveLength(2);
    // The newer read is written; the older one then finds a mark it read gone, and writes nothing.
    expect(await write(newer)).toBe(2);
    expect(await write(older)).toBe(0);
    expect(await marksOf(store, orgId)).toBe(0);
    await expectFiguresOfTheFacts();

    // A change made after the read: its mark stays, so the month is still read from its facts.
    await refreshRollups(store, { orgId });
    await mark(store.db);
    const before = await read();
    await answer(2);
    expect(await write(before)).toBe(1);
    expect(await marksOf(store, orgId)).toBe(1);
    const live = await expectFiguresOfTheFacts();
    await refreshRollups(store, { orgId });
    expect(await dashboardOf(store, orgId, ALL)).toEqual(live);
  });

  it('an organisation with no marks is left alone', async () => {
    const before = await rollupRows(store, orgId);
    expect(await refreshRollups(store, { orgId })).toEqual({ organisations: 0, months: 0, marks: 0 });
    expect(await rollupRows(store, orgId)).toEqual(before);
  });
});
