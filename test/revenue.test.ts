import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrincipal } from '../src/identity/use-cases/load-principal.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { newId } from '../src/kernel/ids.js';
import { retention } from '../src/revenue/domain/retention.js';
import { REVENUE_KINDS, type RevenueKind } from '../src/revenue/domain/revenue-record.js';
import { retentionReport } from '../src/revenue/use-cases/retention-report.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealAll, sealedAuditOf } from './support/stores.js';

/**
 * Revenue records and retention, over a small history whose figures are worked out by hand below.
 *
 *   account  go-live      currency  2026-01              2026-02                      2026-03
 *   Aster    2025-11-10   EUR       start 10000, +2000   start 12000, −1000 (contr.)  start 11000, churn 4000
 *   Birch    2026-02-05   EUR       start 5000           start 5000, +500, +500       start 6000
 *   Birch                 USD       start 3000, churn 1000
 *   Cedar    (none)       USD                            +700 (no starting: NRR null)  start 700, −100 (contr.)
 */
describe.each(DIALECTS)('revenue records and retention, on %s', (dialect) => {
  let app: Api;
  let store: Store;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let other: TestOrg;
  const account: Record<'aster' | 'birch' | 'cedar' | 'theirs', string> = {
    aster: '',
    birch: '',
    cedar: '',
    theirs: '',
  };

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    org = await seedOrg(deps, 'Revenue A');
    other = await seedOrg(deps, 'Revenue B');
    const sales = call(app, org.sales);
    const make = async (name: string, extra: object = {}) => {
      const r = await sales('POST', '/api/v1/accounts', { name, ...extra });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    account.aster = await make('Aster Foods', { external_ids: { salesforce: '001ASTER' } });
    account.birch = await make('Birch Retail');
    account.cedar = await make('Cedar Health');
    account.theirs = (await call(app, other.sales)('POST', '/api/v1/accounts', { name: 'Theirs' })).body.id;
    // Go-live is the first closeout of an engagement of the account.
    const goLive = async (accountId: string, at: string) => {
      clock.set(at);
      const e = await sales('POST', '/api/v1/engagements', { account_id: accountId, name: `Rollout ${at}` });
      expect(e.status, JSON.stringify(e.body)).toBe(201);
      const closed = await call(app, org.operations)('POST', `/api/v1/engagements/${e.body.id}/closeout`);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    };
    await goLive(account.aster, '2025-11-10T12:00:00.000Z');
    await goLive(account.birch, '2026-02-05T12:00:00.000Z');
    await goLive(account.birch, '2026-05-01T12:00:00.000Z'); // a later closeout changes nothing
    clock.set('2026-04-02T09:00:00.000Z');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const rec = (
    accountId: string,
    period: string,
    kind: RevenueKind,
    amount: number,
    currency: string,
    extra = {},
  ) => ({
    account_id: accountId,
    period,
    kind,
    amount_minor: amount,
    currency,
    ...extra,
  });
  /** The organisation's sealed audit entries of one action, oldest first. */
  const auditOf = async (action: string) => {
    await sealAll(store);
    return store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('org_id', '=', org.id)
      .where('action', '=', action)
      .orderBy('seq')
      .execute();
  };
  const post = (token: string, records: unknown[]) =>
    call(app, token)('POST', '/api/v1/revenue-records', { records });
  const report = async (query: string) => {
    const r = await call(app, org.viewer)('GET', `/api/v1/reports/retention?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Json;
  };

  it('stores a batch, by Baton id and by external id, once: a replay changes nothing', async () => {
    const batch = [
      {
        ...rec('', '2026-01', 'starting', 10000, 'EUR', { external_id: 'a-2601-s' }),
        account_id: undefined,
        account_external_id: 'Salesforce:001ASTER',
      },
      rec(account.aster, '2026-01', 'expansion', 2000, 'EUR', {
        external_id: 'a-2601-e',
        note: 'Second site',
      }),
      rec(account.aster, '2026-02', 'starting', 12000, 'EUR', { external_id: 'a-2602-s' }),
      rec(account.aster, '2026-02', 'contraction', 1000, 'EUR', { external_id: 'a-2602-c' }),
      rec(account.aster, '2026-03', 'starting', 11000, 'EUR', { external_id: 'a-2603-s' }),
      rec(account.aster, '2026-03', 'churn', 4000, 'EUR', { external_id: 'a-2603-x' }),
      rec(account.aster, '2026-03', 'churn', 4000, 'EUR', { external_id: 'a-2603-x' }),
    ];
    const first = await post(org.operations, batch);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ accepted: 6, duplicates: 1 });
    const again = await post(org.operations, batch);
    expect(again.body).toEqual({ accepted: 0, duplicates: 7 });
    // Many records of one kind in a period add up (decision 0013); these have no external id.
    const rest = await post(org.sales, [
      rec(account.birch, '2026-01', 'starting', 5000, 'EUR'),
      rec(account.birch, '2026-02', 'starting', 5000, 'EUR'),
      rec(account.birch, '2026-02', 'expansion', 500, 'EUR'),
      rec(account.birch, '2026-02', 'expansion', 500, 'EUR'),
      rec(account.birch, '2026-03', 'starting', 6000, 'EUR'),
      rec(account.birch, '2026-01', 'starting', 3000, 'USD'),
      rec(account.birch, '2026-01', 'churn', 1000, 'USD'),
      rec(account.cedar, '2026-02', 'expansion', 700, 'USD'),
      rec(account.cedar, '2026-03', 'starting', 700, 'USD'),
      rec(account.cedar, '2026-03', 'contraction', 100, 'USD'),
      // Outside the months the reports below read.
      rec(account.cedar, '2026-04', 'starting', 600, 'USD'),
    ]);
    expect(rest.body).toEqual({ accepted: 11, duplicates: 0 });
    const theirs = await post(other.sales, [rec(account.theirs, '2026-01', 'starting', 999_999, 'EUR')]);
    expect(theirs.status).toBe(200);
    const recorded = (await auditOf('revenue.recorded')).map((e) => JSON.parse(e.after!));
    expect(recorded).toEqual([
      {
        source: 'api',
        accepted: 6,
        duplicates: 1,
        periods: ['2026-01', '2026-02', '2026-03'],
        currencies: ['EUR'],
      },
      {
        source: 'api',
        accepted: 0,
        duplicates: 7,
        periods: ['2026-01', '2026-02', '2026-03'],
        currencies: ['EUR'],
      },
      {
        source: 'api',
        accepted: 11,
        duplicates: 0,
        periods: ['2026-01', '2026-02', '2026-03', '2026-04'],
        currencies: ['EUR', 'USD'],
      },
    ]);
  });

  it('answers NRR and GRR by month, per currency, null where nothing started', async () => {
    const r = await report('from=2026-01&to=2026-03');
    expect(r).toMatchObject({ from: '2026-01', to: '2026-03', by: 'period', grain: 'month' });
    const row = (
      period: string,
      currency: string,
      s: number,
      e: number,
      c: number,
      x: number,
      nrr: number | null,
      grr: number | null,
    ) => ({
      period,
      currency,
      starting_minor: s,
      expansion_minor: e,
      contraction_minor: c,
      churn_minor: x,
      nrr,
      grr,
    });
    expect(r.rows).toEqual([
      // 15000 + 2000 over 15000; nothing lost.
      row('2026-01', 'EUR', 15000, 2000, 0, 0, 17000 / 15000, 1),
      row('2026-01', 'USD', 3000, 0, 0, 1000, 2000 / 3000, 2000 / 3000),
      row('2026-02', 'EUR', 17000, 1000, 1000, 0, 1, 16000 / 17000),
      // Cedar's expansion with no starting revenue in the month: no ratio.
      row('2026-02', 'USD', 0, 700, 0, 0, null, null),
      row('2026-03', 'EUR', 17000, 0, 0, 4000, 13000 / 17000, 13000 / 17000),
      row('2026-03', 'USD', 700, 0, 100, 0, 600 / 700, 600 / 700),
    ]);
  });

  it('answers by quarter: starting of the first month, movements of all three', async () => {
    // 2026-02…2026-03 widens to the whole of Q1; April is Q2 and left out.
    const r = await report('from=2026-02&to=2026-03&grain=quarter');
    expect(r).toMatchObject({ from: '2026-01', to: '2026-03', grain: 'quarter' });
    expect(r.rows).toEqual([
      // EUR: 15000 + (2000 + 500 + 500) − 1000 − 4000 = 13000; GRR 15000 − 1000 − 4000 = 10000.
      {
        period: '2026-Q1',
        currency: 'EUR',
        starting_minor: 15000,
        expansion_minor: 3000,
        contraction_minor: 1000,
        churn_minor: 4000,
        nrr: 13000 / 15000,
        grr: 10000 / 15000,
      },
      // USD: 3000 + 700 − 100 − 1000 = 2600; GRR 3000 − 100 − 1000 = 1900.
      {
        period: '2026-Q1',
        currency: 'USD',
        starting_minor: 3000,
        expansion_minor: 700,
        contraction_minor: 100,
        churn_minor: 1000,
        nrr: 2600 / 3000,
        grr: 1900 / 3000,
      },
    ]);
  });

  it('answers by go-live cohort, with the accounts not live as `none`', async () => {
    const r = await report('from=2026-01&to=2026-03&grain=quarter&by=cohort');
    expect(r.rows).toEqual([
      // Aster, live in 2025-Q4: 10000 + 2000 − 1000 − 4000 = 7000; GRR 10000 − 1000 − 4000 = 5000.
      {
        period: '2026-Q1',
        cohort: '2025-Q4',
        currency: 'EUR',
        starting_minor: 10000,
        expansion_minor: 2000,
        contraction_minor: 1000,
        churn_minor: 4000,
        nrr: 0.7,
        grr: 0.5,
      },
      // Birch, live in 2026-Q1 (its first closeout; the later one does not count).
      {
        period: '2026-Q1',
        cohort: '2026-Q1',
        currency: 'EUR',
        starting_minor: 5000,
        expansion_minor: 1000,
        contraction_minor: 0,
        churn_minor: 0,
        nrr: 1.2,
        grr: 1,
      },
      {
        period: '2026-Q1',
        cohort: '2026-Q1',
        currency: 'USD',
        starting_minor: 3000,
        expansion_minor: 0,
        contraction_minor: 0,
        churn_minor: 1000,
        nrr: 2000 / 3000,
        grr: 2000 / 3000,
      },
      // Cedar has not gone live; its March starting is not the quarter's first month.
      {
        period: '2026-Q1',
        cohort: 'none',
        currency: 'USD',
        starting_minor: 0,
        expansion_minor: 700,
        contraction_minor: 100,
        churn_minor: 0,
        nrr: null,
        grr: null,
      },
    ]);
    const monthly = await report('from=2026-02&to=2026-02&by=cohort');
    expect(monthly.rows.map((x: Json) => [x.cohort, x.currency, x.nrr])).toEqual([
      ['2025-Q4', 'EUR', 11000 / 12000],
      ['2026-Q1', 'EUR', 1.2],
      ['none', 'USD', null],
    ]);
  });

  it('takes 5,000 records in one request, and no more', async () => {
    const batch = Array.from({ length: 5000 }, (_, i) =>
      rec(account.cedar, '2027-01', 'expansion', 1 + (i % 9), 'EUR', { external_id: `bulk-${i}` }),
    );
    const started = performance.now();
    const res = await post(org.operations, batch);
    const ms = performance.now() - started;
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body).toEqual({ accepted: 5000, duplicates: 0 });
    // A figure for the report, not a claim the test makes.
    console.log(`[revenue bench] ${dialect}: 5,000 records in ${ms.toFixed(0)} ms`);
    expect((await post(org.operations, batch)).body).toEqual({ accepted: 0, duplicates: 5000 });
    const tooMany = await post(org.operations, [
      ...batch,
      rec(account.cedar, '2027-01', 'expansion', 1, 'EUR'),
    ]);
    expect(tooMany.status).toBe(400);
    const sum = await report('from=2027-01&to=2027-01');
    // Σ (1 + i mod 9) over 5,000 items: 555 full cycles of 45, then 1 + 2 + 3 + 4 + 5.
    expect(sum.rows).toEqual([
      expect.objectContaining({
        currency: 'EUR',
        starting_minor: 0,
        expansion_minor: 555 * 45 + 15,
        nrr: null,
      }),
    ]);
  });

  it('refuses a bad report query with problem+json naming the field', async () => {
    const viewer = call(app, org.viewer);
    const backwards = await viewer('GET', '/api/v1/reports/retention?from=2026-03&to=2026-01');
    expect(backwards.status).toBe(400);
    expect(backwards.raw.headers['content-type']).toContain('application/problem+json');
    expect(backwards.body.errors[0].path).toBe('/to');
    expect((await viewer('GET', '/api/v1/reports/retention?from=2026-13&to=2026-14')).status).toBe(400);
    expect((await viewer('GET', '/api/v1/reports/retention?from=2026-01')).status).toBe(400);
    expect((await viewer('GET', '/api/v1/reports/retention?from=2000-01&to=2026-01')).status).toBe(400);
    expect((await viewer('GET', '/api/v1/reports/retention?from=2026-01&to=2026-02&grain=week')).status).toBe(
      400,
    );
  });

  it('refuses a batch with bad items whole, naming every one, storing none of it', async () => {
    const count = async () =>
      Number(
        (
          await store.db
            .selectFrom('revenue_records')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const malformed = await post(org.operations, [
      rec(account.aster, '2026-05', 'starting', 1, 'EUR'),
      rec(account.aster, '2026-5', 'starting', 1, 'EUR'),
      rec(account.aster, '2026-05', 'refund' as RevenueKind, 1, 'EUR'),
      rec(account.aster, '2026-05', 'churn', -5, 'EUR'),
      rec(account.aster, '2026-05', 'churn', 5, 'eur'),
    ]);
    expect(malformed.status).toBe(400);
    expect(malformed.raw.headers['content-type']).toContain('application/problem+json');
    const paths = malformed.body.errors.map((e: Json) => e.path).join(' ');
    for (const p of [
      '/records/1/period',
      '/records/2/kind',
      '/records/3/amount_minor',
      '/records/4/currency',
    ])
      expect(paths).toContain(p);
    const unknown = await post(org.operations, [
      rec(account.aster, '2026-05', 'starting', 1, 'EUR'),
      rec(account.theirs, '2026-05', 'starting', 1, 'EUR'),
      {
        period: '2026-05',
        kind: 'starting',
        amount_minor: 1,
        currency: 'EUR',
        account_external_id: 'salesforce:NOPE',
      },
      { period: '2026-05', kind: 'starting', amount_minor: 1, currency: 'EUR' },
    ]);
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(422);
    expect(unknown.body.errors.map((e: Json) => e.path)).toEqual([
      '/records/1/account_id',
      '/records/2/account_external_id',
      '/records/3',
    ]);
    expect(await count()).toBe(before);
    expect((await post(org.viewer, [rec(account.aster, '2026-05', 'starting', 1, 'EUR')])).status).toBe(403);
  });

  it("lists, shows an account's revenue by period, and removes a record (audited)", async () => {
    const viewer = call(app, org.viewer);
    const listed = await viewer(
      'GET',
      `/api/v1/revenue-records?account_id=${account.aster}&from=2026-02&to=2026-03`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(4);
    expect(listed.body.items.map((r: Json) => [r.period, r.kind, r.amount_minor])).toEqual([
      ['2026-02', 'contraction', 1000],
      ['2026-02', 'starting', 12000],
      ['2026-03', 'churn', 4000],
      ['2026-03', 'starting', 11000],
    ]);
    const csv = await app.inject({
      method: 'GET',
      url: `/api/v1/revenue-records.csv?account_id=${account.aster}&from=2026-02&to=2026-03`,
      headers: { authorization: `Bearer ${org.viewer}` },
    });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe(
      'id,account_id,period,kind,amount_minor,currency,external_id,note,created_by,created_at',
    );
    expect(lines).toHaveLength(5);
    expect(
      (await call(app, other.viewer)('GET', `/api/v1/revenue-records?account_id=${account.aster}`)).status,
    ).toBe(404);
    const everyone = await call(app, other.viewer)('GET', '/api/v1/revenue-records');
    expect(everyone.body.items.map((r: Json) => r.account_id)).toEqual([account.theirs]);

    const revenue = await viewer('GET', `/api/v1/accounts/${account.birch}/revenue`);
    expect(revenue.status).toBe(200);
    expect(revenue.body.periods).toEqual([
      {
        period: '2026-01',
        currency: 'EUR',
        starting_minor: 5000,
        expansion_minor: 0,
        contraction_minor: 0,
        churn_minor: 0,
        ending_minor: 5000,
      },
      {
        period: '2026-01',
        currency: 'USD',
        starting_minor: 3000,
        expansion_minor: 0,
        contraction_minor: 0,
        churn_minor: 1000,
        ending_minor: 2000,
      },
      {
        period: '2026-02',
        currency: 'EUR',
        starting_minor: 5000,
        expansion_minor: 1000,
        contraction_minor: 0,
        churn_minor: 0,
        ending_minor: 6000,
      },
      {
        period: '2026-03',
        currency: 'EUR',
        starting_minor: 6000,
        expansion_minor: 0,
        contraction_minor: 0,
        churn_minor: 0,
        ending_minor: 6000,
      },
    ]);
    expect(revenue.body.records).toHaveLength(7);
    expect((await call(app, other.viewer)('GET', `/api/v1/accounts/${account.birch}/revenue`)).status).toBe(
      404,
    );

    const target = listed.body.items[2];
    expect((await call(app, other.admin)('DELETE', `/api/v1/revenue-records/${target.id}`)).status).toBe(404);
    expect((await viewer('DELETE', `/api/v1/revenue-records/${target.id}`)).status).toBe(403);
    const removed = await call(app, org.operations)('DELETE', `/api/v1/revenue-records/${target.id}`);
    expect(removed.status).toBe(204);
    expect((await call(app, org.operations)('DELETE', `/api/v1/revenue-records/${target.id}`)).status).toBe(
      404,
    );
    const audit = await sealedAuditOf(store, target.id);
    expect(audit.map((e) => [e.action, JSON.parse(e.before!).amount_minor])).toEqual([
      ['revenue.removed', 4000],
    ]);
    // Its external id is free again: posting the record anew stores it.
    const back = await post(org.operations, [
      rec(account.aster, '2026-03', 'churn', 4000, 'EUR', { external_id: 'a-2603-x' }),
    ]);
    expect(back.body).toEqual({ accepted: 1, duplicates: 0 });
  });

  it('imports a CSV file all or nothing, naming every bad line, and once', async () => {
    const upload = (token: string, body: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/revenue-records/import',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        payload: body,
      });
    const bad = [
      'Account ID,Period,Kind,Amount,Currency,External ID,Note',
      `${account.cedar},2026-05,starting,12.50,USD,c-2605-s,`,
      `${account.cedar},2026-5,starting,1,USD,,`,
      `salesforce:NOPE,2026-05,starting,1,USD,,`,
      `${account.cedar},2026-05,refund,1.005,USD,,`,
      `${account.cedar},2026-05,churn,3,usd,,`,
    ].join('\n');
    const refused = await upload(org.operations, bad);
    expect(refused.statusCode).toBe(422);
    const body = refused.json();
    expect(body.errors.map((e: Json) => e.line)).toEqual([3, 5, 5, 6]);
    expect(body.errors.map((e: Json) => e.message).join('\n')).toMatch(/line 3: period/);
    // Accounts are looked up only once every line reads: the unknown one is named then.
    const fixed = bad
      .split('\n')
      .filter((_, i) => i !== 2 && i !== 4 && i !== 5)
      .join('\n');
    const unknown = await upload(org.operations, fixed);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toMatchObject([{ line: 3, path: '/rows/3/account_external_id' }]);
    const good = [
      'account_id,period,kind,amount_minor,currency,external_id,note',
      `${account.cedar},2026-05,starting,1250,USD,c-2605-s,`,
      `salesforce:001ASTER,2026-05,expansion,300,EUR,a-2605-e,"Upsell, annual"`,
    ].join('\n');
    const imported = await upload(org.operations, good);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ rows: 2, accepted: 2, duplicates: 0 });
    expect((await upload(org.operations, good)).json()).toEqual({ rows: 2, accepted: 0, duplicates: 2 });
    expect((await upload(org.viewer, good)).statusCode).toBe(403);
    const may = await call(app, org.viewer)('GET', '/api/v1/revenue-records?from=2026-05&to=2026-05');
    const byAccount = new Map(
      may.body.items.map((r: Json) => [r.account_id, [r.amount_minor, r.currency, r.note]]),
    );
    expect(Object.fromEntries(byAccount)).toEqual({
      [account.cedar]: [1250, 'USD', null],
      [account.aster]: [300, 'EUR', 'Upsell, annual'],
    });
    const audit = await auditOf('revenue.recorded');
    expect(audit.filter((e) => JSON.parse(e.after!).source === 'csv')).toHaveLength(2);
  });

  it('computes in SQL what the domain computes, on random records', async () => {
    const admin = (
      await store.db.selectFrom('users').select('id').where('org_id', '=', org.id).executeTakeFirstOrThrow()
    ).id;
    const principal = (await loadPrincipal(store.db, org.id, org.userIds.viewer))!;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            account: fc.integer({ min: 0, max: 4 }),
            period: fc.tuple(fc.integer({ min: 2025, max: 2026 }), fc.integer({ min: 1, max: 12 })),
            kind: fc.constantFrom(...REVENUE_KINDS),
            amount: fc.integer({ min: 0, max: 1_000_000 }),
            currency: fc.constantFrom('EUR', 'USD', 'JPY'),
          }),
          { maxLength: 40 },
        ),
        fc.array(fc.option(fc.tuple(fc.integer({ min: 2024, max: 2026 }), fc.integer({ min: 1, max: 12 }))), {
          minLength: 5,
          maxLength: 5,
        }),
        fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 })),
        fc.constantFrom('month', 'quarter') as fc.Arbitrary<'month' | 'quarter'>,
        fc.constantFrom('period', 'cohort') as fc.Arbitrary<'period' | 'cohort'>,
        async (records, goLives, [a, b], grain, by) => {
          // Each run in an organisation of its own, so the runs never see one another.
          const orgId = newId();
          const now = new Date().toISOString();
          run++;
          await store.db
            .insertInto('organisations')
            .values({
              ...(await store.db
                .selectFrom('organisations')
                .selectAll()
                .where('id', '=', org.id)
                .executeTakeFirstOrThrow()),
              id: orgId,
              slug: `prop-${run}-${orgId.slice(0, 8)}`,
              name: `Prop ${run}`,
            })
            .execute();
          const accounts = Array.from({ length: 5 }, () => newId());
          await store.db
            .insertInto('accounts')
            .values(
              accounts.map((id, i) => ({
                id,
                org_id: orgId,
                name: `P${i}`,
                external_ids: '{}',
                notes: null,
                created_at: now,
                updated_at: now,
              })),
            )
            .execute();
          const goLive = new Map<string, string>();
          for (const [i, g] of goLives.entries()) {
            if (!g) continue;
            const at = `${g[0]}-${String(g[1]).padStart(2, '0')}-15T10:00:00.000Z`;
            goLive.set(accounts[i]!, at);
            await store.db
              .insertInto('engagements')
              .values({
                id: newId(),
                org_id: orgId,
                account_id: accounts[i]!,
                name: 'E',
                external_ids: '{}',
                stage: null,
                owner_user_id: null,
                contract_signed_at: null,
                service_lead_user_id: null,
                service_lead_introduced_at: null,
                closed_out_at: at,
                closed_out_by: null,
                created_at: now,
                updated_at: now,
              } as never)
              .execute();
          }
          const movements = records.map((r) => ({
            accountId: accounts[r.account]!,
            period: `${r.period[0]}-${String(r.period[1]).padStart(2, '0')}`,
            kind: r.kind,
            amountMinor: r.amount,
            currency: r.currency,
          }));
          if (movements.length)
            await store.db
              .insertInto('revenue_records')
              .values(
                movements.map((m) => ({
                  id: newId(),
                  org_id: orgId,
                  account_id: m.accountId,
                  period: m.period,
                  kind: m.kind,
                  amount_minor: m.amountMinor,
                  currency: m.currency,
                  external_id: null,
                  note: null,
                  created_by: admin,
                  created_at: now,
                })),
              )
              .execute();
          const month = (i: number) =>
            `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
          const query = { from: month(Math.min(a, b)), to: month(Math.max(a, b)), grain, by };
          const sqlAnswer = await retentionReport(deps, { ...principal, orgId }, query);
          expect(sqlAnswer.rows).toEqual(retention(movements, query, goLive));
        },
      ),
      { numRuns: dialect === 'sqlite' ? 60 : 30 },
    );
  });
});
