import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureTotals } from '../src/closeout/domain/change-order.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealedAuditOf } from './support/stores.js';

describe.each(DIALECTS)('scope creep: out-of-scope work, change orders and capture, on %s', (dialect) => {
  let app: Api;
  let store: Store;
  let clock: ManualClock;
  let a: TestOrg;
  let b: TestOrg;
  let e1: string;
  let e2: string;
  let pat: string;
  let otherContact: string;
  let secondSite: string;
  let afterHours: string;
  let inScope: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    clock = built.clock;
    a = await seedOrg(built.deps, 'Scope A');
    b = await seedOrg(built.deps, 'Scope B');
    const sales = call(app, a.sales);
    const account = (await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' })).body.id;
    const other = (await sales('POST', '/api/v1/accounts', { name: 'Elsewhere Ltd' })).body.id;
    pat = (await sales('POST', '/api/v1/contacts', { account_id: account, name: 'Pat Quinn', role: 'buyer' }))
      .body.id;
    otherContact = (
      await sales('POST', '/api/v1/contacts', { account_id: other, name: 'Sam Other', role: 'buyer' })
    ).body.id;
    e1 = (await sales('POST', '/api/v1/engagements', { account_id: account, name: 'Warehouse 1' })).body.id;
    e2 = (await sales('POST', '/api/v1/engagements', { account_id: account, name: 'Warehouse 2' })).body.id;
    const scope = async (kind: string, description: string) => {
      const r = await sales('POST', `/api/v1/engagements/${e1}/scope-items`, { kind, description });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    secondSite = await scope('out', 'Second site commissioning');
    afterHours = await scope('out', 'After-hours support');
    inScope = await scope('in', 'Camera install at the main site');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const at = (iso: string) => clock.set(iso);
  const identify = async (name: string, engagement: string, body: Json, when: string, org = a) => {
    at(when);
    const r = await call(app, org.operations)(
      'POST',
      `/api/v1/engagements/${engagement}/change-orders`,
      body,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids[name] = r.body.id;
    return r.body;
  };
  const move = async (name: string, action: string, when: string, body: Json = {}, org = a) => {
    at(when);
    const r = await call(app, org.operations)('POST', `/api/v1/change-orders/${ids[name]}/${action}`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('logs out-of-scope work, links it to the explicit out-of-scope item, moves it and audits every step', async () => {
    const co1 = await identify(
      'co1',
      e1,
      {
        request: 'Please add  SECOND SITE commissioning next month',
        asked_by_contact_id: pat,
        amount_minor: 500000,
        currency: 'USD',
      },
      '2026-01-05T10:00:00.000Z',
    );
    expect(co1).toMatchObject({
      state: 'identified',
      asked_by: { contact_id: pat, name: 'Pat Quinn' },
      scope_item: { id: secondSite, description: 'Second site commissioning' },
      amount_minor: 500000,
      currency: 'USD',
      identified_at: '2026-01-05T10:00:00.000Z',
      quoted_at: null,
    });
    const quoted = await move('co1', 'quote', '2026-01-06T09:00:00.000Z', { amount_minor: 450000 });
    expect(quoted).toMatchObject({
      state: 'quoted',
      amount_minor: 450000,
      quoted_at: '2026-01-06T09:00:00.000Z',
    });
    await move('co1', 'approve', '2026-01-08T09:00:00.000Z');
    const billed = await move('co1', 'bill', '2026-01-20T09:00:00.000Z');
    expect(billed).toMatchObject({
      state: 'billed',
      approved_at: '2026-01-08T09:00:00.000Z',
      billed_at: '2026-01-20T09:00:00.000Z',
    });

    const audit = await sealedAuditOf(store, ids.co1!);
    expect(audit.map((e) => e.action)).toEqual([
      'change_order.identified',
      'change_order.moved',
      'change_order.moved',
      'change_order.moved',
    ]);
    const states = audit.slice(1).map((e) => [JSON.parse(String(e.before)), JSON.parse(String(e.after))]);
    expect(states[0]).toEqual([
      { state: 'identified', amount_minor: 500000 },
      { state: 'quoted', amount_minor: 450000, at: '2026-01-06T09:00:00.000Z' },
    ]);
    expect(states[2]![1]).toMatchObject({ state: 'billed' });
  });

  it('refuses a move the state does not allow with 409 naming the state, and bad input naming every field', async () => {
    const declined = call(app, a.operations);
    const refused = await declined('POST', `/api/v1/change-orders/${ids.co1}/decline`, {});
    expect(refused.status).toBe(409);
    expect(refused.raw.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.detail).toContain('billed');
    expect(refused.body.errors).toEqual([{ path: '/state', message: 'is billed', code: 'billed' }]);
    expect(refused.body.state).toBe('billed');

    const bad = await declined('POST', `/api/v1/engagements/${e1}/change-orders`, {
      request: '  ',
      asked_by_contact_id: otherContact,
      scope_item_id: inScope,
      amount_minor: 100,
      currency: 'usd',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual([
      '/asked_by_contact_id',
      '/currency',
      '/request',
      '/scope_item_id',
    ]);
    const nobody = await declined('POST', `/api/v1/engagements/${e1}/change-orders`, {
      request: 'More cameras',
      amount_minor: 100,
      currency: 'USD',
    });
    expect(nobody.status).toBe(400);
    expect(nobody.body.errors).toEqual([
      { path: '/asked_by_name', message: 'is required when asked_by_contact_id is not given' },
    ]);
    const negative = await declined('POST', `/api/v1/engagements/${e1}/change-orders`, {
      request: 'More cameras',
      asked_by_name: 'Foreman',
      amount_minor: -1,
      currency: 'USD',
    });
    expect(negative.status).toBe(400);
    const count = await store.db
      .selectFrom('change_orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const viewer = await call(app, a.viewer)('POST', `/api/v1/change-orders/${ids.co1}/quote`, {});
    expect(viewer.status).toBe(403);
    const stranger = await call(app, b.admin)('GET', `/api/v1/change-orders/${ids.co1}`);
    expect(stranger.status).toBe(404);
  });

  it('reports counts, amounts and capture rate per currency, worked out by hand', async () => {
    // co1 (above): USD, identified 01-05, quoted at 4,500.00, approved, billed.
    await identify(
      'co2',
      e1,
      {
        request: 'Weekend cover',
        asked_by_name: 'Site foreman',
        scope_item_id: afterHours,
        amount_minor: 200000,
        currency: 'USD',
      },
      '2026-01-10T12:00:00.000Z',
    );
    await move('co2', 'quote', '2026-01-11T12:00:00.000Z');
    await move('co2', 'decline', '2026-01-12T12:00:00.000Z');
    await identify(
      'co3',
      e2,
      { request: 'Extra door reader', asked_by_contact_id: pat, amount_minor: 100000, currency: 'USD' },
      '2026-01-15T12:00:00.000Z',
    );
    await move('co3', 'quote', '2026-01-16T12:00:00.000Z');
    await move('co3', 'approve', '2026-01-17T12:00:00.000Z');
    await identify(
      'co4',
      e2,
      { request: 'Translate the manuals', asked_by_name: 'Ops lead', amount_minor: 300000, currency: 'EUR' },
      '2026-01-31T23:59:59.000Z',
    );
    await move('co4', 'quote', '2026-02-01T09:00:00.000Z');
    await move('co4', 'approve', '2026-02-02T09:00:00.000Z');
    await move('co4', 'bill', '2026-02-03T09:00:00.000Z');
    await identify(
      'co6',
      e1,
      { request: 'Paint the racks', asked_by_name: 'Ops lead', amount_minor: 100000, currency: 'EUR' },
      '2026-01-20T08:00:00.000Z',
    );
    at('2026-01-21T08:00:00.000Z');
    const bodiless = await call(app, a.operations)('POST', `/api/v1/change-orders/${ids.co6}/decline`);
    expect(bodiless.status, JSON.stringify(bodiless.body)).toBe(200);
    expect(bodiless.body).toMatchObject({ state: 'declined', declined_at: '2026-01-21T08:00:00.000Z' });
    // February: outside a January report.
    await identify(
      'co5',
      e1,
      { request: 'A third site', asked_by_name: 'Pat', amount_minor: 70000, currency: 'USD' },
      '2026-02-01T00:00:00.000Z',
    );
    // Another organisation's billed change order never shows.
    const bAccount = (await call(app, b.sales)('POST', '/api/v1/accounts', { name: 'B acct' })).body.id;
    const bEng = (
      await call(app, b.sales)('POST', '/api/v1/engagements', { account_id: bAccount, name: 'B' })
    ).body.id;
    await identify(
      'b1',
      bEng,
      { request: 'x', asked_by_name: 'y', amount_minor: 999, currency: 'USD' },
      '2026-01-12T00:00:00.000Z',
      b,
    );

    const report = async (query: string) => {
      const r = await call(app, a.viewer)('GET', `/api/v1/reports/change-orders${query}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const january = await report('?from=2026-01-01&to=2026-01-31');
    expect(january).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      engagement_id: null,
      currencies: [
        {
          currency: 'EUR', // co4 (billed), co6 (declined)
          identified: { count: 2, amount_minor: 400000 },
          quoted: { count: 1, amount_minor: 300000 },
          approved: { count: 1, amount_minor: 300000 },
          billed: { count: 1, amount_minor: 300000 },
          declined: { count: 1, amount_minor: 100000 },
          capture_rate: { by_count: 0.5, by_amount: 0.75 },
        },
        {
          currency: 'USD', // co1 4,500 billed; co2 2,000 declined; co3 1,000 approved
          identified: { count: 3, amount_minor: 750000 },
          quoted: { count: 3, amount_minor: 750000 },
          approved: { count: 2, amount_minor: 550000 },
          billed: { count: 1, amount_minor: 450000 },
          declined: { count: 1, amount_minor: 200000 },
          capture_rate: { by_count: 1 / 3, by_amount: 0.6 },
        },
      ],
    });
    const second = await report(`?from=2026-01-01&to=2026-01-31&engagement_id=${e2}`);
    expect(second.currencies).toEqual([
      {
        currency: 'EUR',
        identified: { count: 1, amount_minor: 300000 },
        quoted: { count: 1, amount_minor: 300000 },
        approved: { count: 1, amount_minor: 300000 },
        billed: { count: 1, amount_minor: 300000 },
        declined: { count: 0, amount_minor: 0 },
        capture_rate: { by_count: 1, by_amount: 1 },
      },
      {
        currency: 'USD',
        identified: { count: 1, amount_minor: 100000 },
        quoted: { count: 1, amount_minor: 100000 },
        approved: { count: 1, amount_minor: 100000 },
        billed: { count: 0, amount_minor: 0 },
        declined: { count: 0, amount_minor: 0 },
        capture_rate: { by_count: 0, by_amount: 0 },
      },
    ]);
    const all = await report('');
    const usd = all.currencies.find((c: Json) => c.currency === 'USD');
    expect(usd.identified).toEqual({ count: 4, amount_minor: 820000 });
    expect(usd.capture_rate).toEqual({ by_count: 0.25, by_amount: 450000 / 820000 });
    // The SQL and the domain's definition agree on the same rows.
    const listed = [
      ...(await call(app, a.viewer)('GET', `/api/v1/engagements/${e1}/change-orders`)).body.items,
      ...(await call(app, a.viewer)('GET', `/api/v1/engagements/${e2}/change-orders`)).body.items,
    ];
    expect(listed).toHaveLength(6);
    expect(all.currencies.map(({ capture_rate: _r, ...t }: Json) => t)).toEqual(captureTotals(listed));

    expect((await report(`?engagement_id=${e2}&from=2026-02-01`)).currencies).toEqual([]);
    const badPeriod = await call(app, a.viewer)(
      'GET',
      '/api/v1/reports/change-orders?from=2026-13-01&to=2025-01-01',
    );
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.errors.map((e: Json) => e.path)).toEqual(['/from']);
    const reversed = await call(app, a.viewer)(
      'GET',
      '/api/v1/reports/change-orders?from=2026-02-01&to=2026-01-01',
    );
    expect(reversed.body.errors).toEqual([{ path: '/to', message: 'must not be before from' }]);
    const foreign = await call(app, b.viewer)('GET', `/api/v1/reports/change-orders?engagement_id=${e1}`);
    expect(foreign.status).toBe(404);
  });
});
