import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, seedOrg, type TestOrg, testApp } from '../../test/support/app.js';
import { DIALECTS, openTestStore } from '../../test/support/stores.js';
import type { Api } from '../kernel/http/build-app.js';

const q = (text: string) => `/api/v1/search?q=${encodeURIComponent(text)}`;
const names = (items: { name?: string; title?: string }[]) => items.map((i) => i.name ?? i.title);

describe.each(DIALECTS)('global search on %s', (dialect) => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let app: Api;
  let org: TestOrg;
  let other: TestOrg;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    let deps: Parameters<typeof seedOrg>[0];
    ({ app, deps } = await testApp(store));
    org = await seedOrg(deps, 'Acme');
    other = await seedOrg(deps, 'Other Co');
    const sales = call(app, org.sales);
    const account = async (name: string) => (await sales('POST', '/api/v1/accounts', { name })).body;
    const harbor = await account('Harbor Logistics');
    await account('Oak Harbor');
    await account('Port harbormaster');
    await account('Shipyard 50% Co');
    await account('Shipyard 500');
    await account('Under_score Ltd');
    await account('Underscore Ltd');
    await account('École Moderne');
    await account('ÉCOLE Ancienne');
    await sales('POST', '/api/v1/contacts', {
      account_id: harbor.id,
      name: 'Dana Dock',
      email: 'dana@harbor.example',
      role: 'champion',
      title: 'Head of Operations',
    });
    const engagement = (
      await sales('POST', '/api/v1/engagements', { account_id: harbor.id, name: 'Harbor rollout' })
    ).body;
    const handoff = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagement.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      title: 'Harbor Logistics: sales to delivery',
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    await call(app, other.sales)('POST', '/api/v1/accounts', { name: 'Harbor of another organisation' });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('finds every kind, in any case, those starting with the text first', async () => {
    const res = await call(app, org.viewer)('GET', q('HARBOR'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(names(res.body.accounts)).toEqual(['Harbor Logistics', 'Oak Harbor', 'Port harbormaster']);
    expect(names(res.body.engagements)).toEqual(['Harbor rollout']);
    expect(res.body.engagements[0].account_name).toBe('Harbor Logistics');
    expect(names(res.body.handoffs)).toEqual(['Harbor Logistics: sales to delivery']);
    expect(res.body.handoffs[0]).toMatchObject({ state: 'draft', sending_team: expect.any(String) });
    expect(res.body.people).toEqual([
      {
        kind: 'contact',
        id: expect.any(String),
        name: 'Dana Dock',
        email: 'dana@harbor.example',
        detail: 'Head of Operations',
        account_id: expect.any(String),
        account_name: 'Harbor Logistics',
      },
    ]);
  });

  it("finds the organisation's users by name or e-mail address, not another organisation's", async () => {
    const res = await call(app, org.sales)('GET', q('olive'));
    expect(res.body.people).toEqual([
      expect.objectContaining({ kind: 'user', name: 'Olive Ops', detail: 'operations', account_id: null }),
    ]);
    const mine = await call(app, org.sales)('GET', q('another organisation'));
    expect(mine.body.accounts).toEqual([]);
    const theirs = await call(app, other.viewer)('GET', q('harbor'));
    expect(names(theirs.body.accounts)).toEqual(['Harbor of another organisation']);
  });

  it('takes LIKE wildcards in the text as the characters they are', async () => {
    const percent = await call(app, org.sales)('GET', q('50%'));
    expect(names(percent.body.accounts)).toEqual(['Shipyard 50% Co']);
    const underscore = await call(app, org.sales)('GET', q('r_s'));
    expect(names(underscore.body.accounts)).toEqual(['Under_score Ltd']);
    const backslash = await call(app, org.sales)('GET', q('\\'));
    expect(backslash.body.accounts).toEqual([]);
  });

  it('folds A to Z only, the same on every database', async () => {
    const accented = await call(app, org.sales)('GET', q('École MODERNE'));
    expect(names(accented.body.accounts)).toEqual(['École Moderne']);
    const upper = await call(app, org.sales)('GET', q('ÉCOLE'));
    expect(names(upper.body.accounts).sort()).toEqual(['ÉCOLE Ancienne', 'École Moderne']);
    const lower = await call(app, org.sales)('GET', q('école'));
    expect(lower.body.accounts).toEqual([]);
  });

  it('answers at most `limit` of each kind', async () => {
    const res = await call(app, org.sales)('GET', `${q('a')}&limit=2`);
    expect(res.status).toBe(200);
    for (const kind of ['handoffs', 'accounts', 'engagements', 'people'])
      expect(res.body[kind].length, kind).toBeLessThanOrEqual(2);
    expect(res.body.accounts).toHaveLength(2);
    expect(res.body.people).toHaveLength(2);
  });

  it('refuses an empty, blank, missing or too long text, naming q', async () => {
    const sales = call(app, org.sales);
    for (const url of [
      '/api/v1/search?q=',
      '/api/v1/search?q=%20%20',
      '/api/v1/search',
      q('x'.repeat(101)),
    ]) {
      const res = await sales('GET', url);
      expect(res.status, url).toBe(400);
      expect(
        res.body.errors.map((e: Json) => e.path),
        url,
      ).toContain('/querystring/q');
    }
    const longest = await sales('GET', q(`${'%_'.repeat(50)}`));
    expect(longest.status).toBe(200);
    expect(longest.body.accounts).toEqual([]);
  });

  it('needs a credential', async () => {
    expect((await call(app, null)('GET', q('harbor'))).status).toBe(401);
  });
});
