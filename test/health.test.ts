import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { ACCOUNTS_PER_BATCH } from '../src/signals/health-scores-job.js';
import { call, type Json, seedOrg, type TestOrg } from './support/app.js';
import { type ScheduledApp, scheduledApp } from './support/scheduled-app.js';
import { DIALECTS, sealedAuditOf } from './support/stores.js';

const SETTINGS = {
  window_days: 30,
  weights: { usage: 40, support: 25, adoption: 20, escalations: 15 },
  features: ['Routes', 'Reports', 'Billing', 'Alerts'],
  bands: { healthy: 70, watch: 40 },
};

describe.each(DIALECTS)('health scores, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let drain: ScheduledApp['drain'];
  let close: () => Promise<void>;
  let org: TestOrg;
  let other: TestOrg;
  const ids: Record<'harbor' | 'silent' | 'rated' | 'empty', string> = {
    harbor: '',
    silent: '',
    rated: '',
    empty: '',
  };

  beforeAll(async () => {
    // 05:00 UTC on 31 March; the daily run is at 06:00 UTC, 23:00 on 30 March in Los Angeles.
    ({ app, deps, clock, drain, close } = await scheduledApp(dialect, '2026-03-31T05:00:00.000Z'));
    org = await seedOrg(deps, 'Acme Health');
    other = await seedOrg(deps, 'Other Health');
    await deps.store.db
      .updateTable('organisations')
      .set({ time_zone: 'America/Los_Angeles' })
      .where('id', '=', org.id)
      .execute();
    for (const [key, name] of Object.entries({
      harbor: 'Harbor Logistics',
      silent: 'Silent Partners',
      rated: 'Rated Co',
      empty: 'Empty Ltd',
    })) {
      const res = await call(app, org.sales)('POST', '/api/v1/accounts', { name });
      expect(res.status).toBe(201);
      ids[key as keyof typeof ids] = res.body.id;
    }
  });
  afterAll(async () => close());

  let n = 0;
  const sig = (account: string, kind: string, at: string, extra: object = {}) => ({
    event_id: `h-${++n}`,
    account_id: account,
    kind,
    at,
    ...extra,
  });
  const health = (token: string, account: string, query = '') =>
    call(app, token)('GET', `/api/v1/accounts/${account}/health${query}`);

  it('lets only an admin change the settings, refusing bad ones whole and naming each field', async () => {
    const viewer = await call(app, org.viewer)('GET', '/api/v1/health-settings');
    expect(viewer.body).toEqual({ ...SETTINGS, features: [] });
    expect((await call(app, org.operations)('PUT', '/api/v1/health-settings', SETTINGS)).status).toBe(403);
    const bad = await call(app, org.admin)('PUT', '/api/v1/health-settings', {
      ...SETTINGS,
      weights: { usage: 0, support: 0, adoption: 0, escalations: 0 },
      features: ['Routes', ' routes'],
      bands: { healthy: 40, watch: 60 },
    });
    expect(bad.status).toBe(400);
    expect(bad.raw.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(['/weights', '/features/1', '/bands/watch']);
    const negative = await call(app, org.admin)('PUT', '/api/v1/health-settings', {
      ...SETTINGS,
      weights: { ...SETTINGS.weights, usage: -1 },
      window_days: 0,
    });
    expect(negative.status).toBe(400);
    const paths = negative.body.errors.map((e: Json) => e.path).join(' ');
    expect(paths).toContain('/weights/usage');
    expect(paths).toContain('/window_days');
    const set = await call(app, org.admin)('PUT', '/api/v1/health-settings', SETTINGS);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual(SETTINGS);
    expect((await call(app, org.viewer)('GET', '/api/v1/health-settings')).body).toEqual(SETTINGS);
    // Another organisation keeps its defaults.
    expect((await call(app, other.admin)('GET', '/api/v1/health-settings')).body.features).toEqual([]);
    const audit = await sealedAuditOf(deps.store, org.id);
    const entries = audit.filter((e) => e.action === 'health_settings.updated');
    expect(entries.map((e) => JSON.parse(e.after!))).toEqual([SETTINGS]);
    expect(JSON.parse(entries[0]!.before!).features).toEqual([]);
  });

  it('scores an account live from its signals, as worked out by hand', async () => {
    const { harbor, silent, rated } = ids;
    const posted = await call(app, org.operations)('POST', '/api/v1/signals', {
      signals: [
        // Usage: 40 + 40 in the window before [01-30 06:00, 03-01 06:00), 50 + 1 + 9 in this one → 75.
        sig(harbor, 'usage', '2026-02-01T10:00:00Z', { value: 40, feature: 'Billing' }),
        sig(harbor, 'usage', '2026-02-20T10:00:00Z', { value: 40 }),
        sig(harbor, 'usage', '2026-03-02T10:00:00Z', { value: 50, feature: 'routes' }),
        sig(harbor, 'usage', '2026-03-10T10:00:00Z'),
        // A negative value counts as no use (amount 0), not as taking use away.
        sig(harbor, 'usage', '2026-03-12T10:00:00Z', { value: -5, feature: 'routes' }),
        sig(harbor, 'usage', '2026-03-30T23:59:59Z', { value: 9 }),
        // Support: 4, 5, 2 in the window → mean 3.67 → 66.7; the 1 before it does not count.
        sig(harbor, 'support', '2026-03-03T10:00:00Z', { csat: 4 }),
        sig(harbor, 'support', '2026-03-04T10:00:00Z', { csat: 5 }),
        sig(harbor, 'support', '2026-03-05T10:00:00Z', { csat: 2 }),
        sig(harbor, 'support', '2026-02-25T10:00:00Z', { csat: 1 }),
        // Adoption: Routes and Reports of the 4 named → 50.
        sig(harbor, 'adoption', '2026-03-07T10:00:00Z', { feature: ' REPORTS ' }),
        // Escalations: two opened, one resolved → 1 open → 75.
        sig(harbor, 'escalation', '2026-01-01T10:00:00Z', { value: 1 }),
        sig(harbor, 'escalation', '2026-02-10T10:00:00Z'),
        sig(harbor, 'escalation', '2026-03-05T10:00:00Z', { value: 0 }),
        // Used long ago, silent for both windows: usage 0, nothing else → 0.
        sig(silent, 'usage', '2025-12-01T10:00:00Z', { value: 5 }),
        // One rating of 5 (support 100) and no usage or adoption signal (adoption left out) → 100.
        sig(rated, 'support', '2026-03-20T10:00:00Z', { csat: 5 }),
      ],
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const res = await health(org.viewer, harbor);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      account_id: harbor,
      as_of: '2026-03-31T05:00:00.000Z',
      window_days: 30,
      // (40 × 75 + 25 × 66.7 + 20 × 50 + 15 × 75) ÷ 100 = 67.925 → 67.9
      score: 67.9,
      band: 'watch',
      items: [],
    });
    expect(res.body.components.map((c: Json) => [c.component, c.score, c.weight])).toEqual([
      ['usage', 75, 40],
      ['support', 66.7, 25],
      ['adoption', 50, 20],
      ['escalations', 75, 15],
    ]);
    expect((await health(org.viewer, silent)).body).toMatchObject({ score: 0, band: 'at_risk' });
    expect((await health(org.viewer, rated)).body).toMatchObject({ score: 100, band: 'healthy' });
    const empty = await health(org.viewer, ids.empty);
    expect(empty.body).toMatchObject({ score: null, band: null, items: [] });
    expect(empty.body.components.map((c: Json) => c.score)).toEqual([null, null, null, null]);
  });

  it('keeps a daily history in the organisation’s calendar, one row per account and day', async () => {
    clock.set('2026-03-31T06:00:00.000Z');
    await drain();
    const rows = await deps.store.db
      .selectFrom('health_scores')
      .select(['account_id', 'scored_on', 'score', 'band'])
      .where('org_id', '=', org.id)
      .orderBy('score')
      .execute();
    // Empty Ltd has no signal: not scored. The day is 30 March in Los Angeles.
    expect(rows.map((r) => [r.account_id, r.scored_on, Number(r.score), r.band])).toEqual([
      [ids.silent, '2026-03-30', 0, 'at_risk'],
      [ids.harbor, '2026-03-30', 67.9, 'watch'],
      [ids.rated, '2026-03-30', 100, 'healthy'],
    ]);
    const audit = await sealedAuditOf(deps.store, org.id);
    const runs = audit.filter((e) => e.action === 'health.scored').map((e) => JSON.parse(e.after!));
    expect(runs.at(-1)).toEqual({
      scored_on: '2026-03-30',
      scored: 3,
      unscored: 0,
      healthy: 1,
      watch: 1,
      at_risk: 1,
    });

    // A new rating, and the same day scored again (the settings saved anew): the row is replaced.
    clock.set('2026-03-31T06:30:00.000Z');
    await call(app, org.operations)('POST', '/api/v1/signals', {
      signals: [sig(ids.harbor, 'support', '2026-03-31T06:10:00Z', { csat: 5 })],
    });
    expect((await call(app, org.admin)('PUT', '/api/v1/health-settings', SETTINGS)).status).toBe(200);
    await drain();
    const day = await health(org.viewer, ids.harbor);
    // Support now 4, 5, 2, 5 → mean 4 → 75: (3000 + 1875 + 1000 + 1125) ÷ 100 = 70 → healthy.
    expect(day.body).toMatchObject({ score: 70, band: 'healthy' });
    expect(day.body.items.map((r: Json) => [r.scored_on, r.score, r.band])).toEqual([
      ['2026-03-30', 70, 'healthy'],
    ]);

    // The next day's run, from the daily chain: a second row.
    clock.set('2026-04-01T06:00:00.000Z');
    await drain();
    const next = await health(org.viewer, ids.harbor, '?limit=5');
    expect(next.body.items.map((r: Json) => [r.scored_on, r.score])).toEqual([
      ['2026-03-31', 70],
      ['2026-03-30', 70],
    ]);
    expect(next.body.items[0].components).toHaveLength(4);
    expect((await health(org.viewer, ids.harbor, '?limit=1')).body.items).toHaveLength(1);
  });

  it('reports the distribution of the latest scores by band and bucket, with a CSV twin', async () => {
    const report = await call(app, org.viewer)('GET', '/api/v1/reports/health');
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.accounts).toBe(3);
    expect(report.body.bands).toEqual([
      { band: 'healthy', count: 2 },
      { band: 'watch', count: 0 },
      { band: 'at_risk', count: 1 },
    ]);
    // 100 falls in the last bucket.
    expect(report.body.buckets.filter((b: Json) => b.count > 0)).toEqual([
      { from: 0, to: 10, count: 1 },
      { from: 70, to: 80, count: 1 },
      { from: 90, to: 100, count: 1 },
    ]);
    expect(report.body.items.map((r: Json) => [r.account_name, r.score, r.band, r.scored_on])).toEqual([
      ['Silent Partners', 0, 'at_risk', '2026-03-31'],
      ['Harbor Logistics', 70, 'healthy', '2026-03-31'],
      ['Rated Co', 100, 'healthy', '2026-03-31'],
    ]);
    const healthy = await call(app, org.viewer)(
      'GET',
      '/api/v1/reports/health?band=healthy&limit=1&offset=1',
    );
    expect(healthy.body.accounts).toBe(2);
    expect(healthy.body.items.map((r: Json) => r.account_name)).toEqual(['Rated Co']);
    const csv = await call(app, org.viewer)('GET', '/api/v1/reports/health.csv?band=at_risk');
    expect(csv.status).toBe(200);
    expect(csv.raw.headers['content-type']).toContain('text/csv');
    const lines = csv.raw.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('account_id,account_name,scored_on,score,band');
    expect(lines.slice(1)).toEqual([`${ids.silent},Silent Partners,2026-03-31,0,at_risk`]);
    const history = await call(app, org.viewer)('GET', `/api/v1/accounts/${ids.harbor}/health.csv`);
    expect(history.status).toBe(200);
    expect(history.raw.body.split(/\r?\n/).filter(Boolean)).toHaveLength(3);
    expect((await call(app, org.viewer)('GET', '/api/v1/reports/health?band=gone')).status).toBe(400);
  });

  it("keeps each organisation's scores to itself", async () => {
    expect((await health(other.admin, ids.harbor)).status).toBe(404);
    expect((await call(app, other.admin)('GET', `/api/v1/accounts/${ids.harbor}/health.csv`)).status).toBe(
      404,
    );
    const theirs = await call(app, other.viewer)('GET', '/api/v1/reports/health');
    expect(theirs.body).toMatchObject({ accounts: 0, items: [] });
  });

  it('scores many accounts in batches, one transaction each, and counts them once', async () => {
    const many = ACCOUNTS_PER_BATCH + 5;
    const signals = [];
    for (let i = 0; i < many; i++) {
      const res = await call(app, org.sales)('POST', '/api/v1/accounts', { name: `Bulk ${i}` });
      signals.push(sig(res.body.id, 'support', '2026-03-25T10:00:00Z', { csat: 1 + (i % 5) }));
    }
    expect((await call(app, org.operations)('POST', '/api/v1/signals', { signals })).status).toBe(200);
    clock.set('2026-04-02T06:00:00.000Z');
    await drain();
    const batches = await deps.store.db
      .selectFrom('scheduled_jobs')
      .select(['status', 'payload'])
      .where('kind', '=', 'health_scores')
      .where('org_id', '=', org.id)
      .where('payload', 'like', '%"run"%')
      .execute();
    // The day's run took two batches: the first, and one carrying on after it.
    expect(batches.filter((b) => JSON.parse(b.payload).run.scoredOn === '2026-04-01')).toHaveLength(1);
    const counted = await deps.store.db
      .selectFrom('health_scores')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', org.id)
      .where('scored_on', '=', '2026-04-01')
      .executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(many + 3);
    const audit = await sealedAuditOf(deps.store, org.id);
    const run = audit
      .filter((e) => e.action === 'health.scored')
      .map((e) => JSON.parse(e.after!))
      .at(-1);
    expect(run).toMatchObject({ scored_on: '2026-04-01', scored: many + 3, unscored: 0 });
    expect(run.healthy + run.watch + run.at_risk).toBe(many + 3);
  });
});
