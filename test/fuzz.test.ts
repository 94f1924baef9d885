import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { openTestStore } from './support/stores.js';

const RUNS = Number(process.env.BATON_FUZZ_RUNS ?? 3000);

interface Route {
  method: string;
  path: string;
}

/** Values that a path parameter might be sent as: real ids, ids of another org, and garbage. */
function paramArbitrary(real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...real),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '0',
      '-1',
      '1e309',
      'null',
      '%00',
      '..',
      'ünïcødé',
      '😀',
      ' '.repeat(3),
      'a'.repeat(5000),
    ),
    fc.integer().map(String),
  );
}

/** Bodies that are wrong in every way a client can be wrong. */
const bodyArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.letrec((tie) => ({
    deep: fc.oneof({ depthSize: 'small' }, fc.constant({}), fc.record({ a: tie('deep') })),
  })).deep,
  fc.dictionary(
    fc.string({ maxLength: 12 }),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())),
  ),
  fc.record({
    packet: fc.dictionary(
      fc.string({ maxLength: 10 }),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 2 })),
    ),
  }),
  fc.string({ minLength: 10_000, maxLength: 20_000 }).map((s) => ({ name: s, body: s, text: s })),
  fc.constant(Array.from({ length: 200 }, (_, i) => ({ [`k${i}`]: 'x' }))),
);

const STACK = /\bat\s+\S+\s+\(?\/?[\w./-]+:\d+:\d+\)?|node_modules|\.ts:\d+/;

describe('bad input on every route', () => {
  let app: Api;
  let deps: Deps;
  let store: Store;
  let a: TestOrg;
  let b: TestOrg;
  let routes: Route[];
  const ids: string[] = [];

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    ({ app, deps } = await testApp(store));
    a = await seedOrg(deps, 'Fuzz A');
    b = await seedOrg(deps, 'Fuzz B');
    for (const org of [a, b]) {
      const sales = call(app, org.sales);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Acc' });
      const engagement = await sales('POST', '/api/v1/engagements', {
        account_id: account.body.id,
        name: 'Eng',
      });
      const handoff = await sales('POST', '/api/v1/handoffs', {
        engagement_id: engagement.body.id,
        playbook: 'professional-services',
        transition: 'sales-to-delivery',
      });
      ids.push(account.body.id, engagement.body.id, handoff.body.id);
    }
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as Json;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  /** Audit entries of the organisation, sealed or waiting: any write appends at least one. */
  const auditEntries = async (orgId: string) => {
    const count = async (table: 'audit_log' | 'audit_pending') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('org_id', '=', orgId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return (await count('audit_log')) + (await count('audit_pending'));
  };

  it(`answers ${RUNS} malformed requests with 4xx problem+json, no 5xx, no stack trace, no partial write`, async () => {
    expect(routes.length).toBeGreaterThan(30);
    const arbitrary = fc.record({
      route: fc.constantFrom(...routes),
      params: fc.array(paramArbitrary(ids), { minLength: 3, maxLength: 3 }),
      body: bodyArbitrary,
      query: fc.dictionary(
        fc.constantFrom('state', 'limit', 'offset', 'team', 'version', 'format', 'q', 'mode', 'x'),
        fc.string({ maxLength: 30 }),
      ),
      as: fc.constantFrom('admin', 'sales', 'operations', 'viewer', 'none', 'other') as fc.Arbitrary<string>,
      contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/yaml'),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        let i = 0;
        const url = req.route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(req.params[i++] ?? 'x'));
        const qs = new URLSearchParams(req.query).toString();
        const token = req.as === 'none' ? null : req.as === 'other' ? b.admin : a[req.as as 'admin'];
        const before = await auditEntries(a.id);
        const payload =
          req.route.method === 'GET' || req.route.method === 'DELETE' ? undefined : JSON.stringify(req.body);
        const res = await app.inject({
          method: req.route.method as 'GET',
          url: `${url}${qs ? `?${qs}` : ''}`,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': req.contentType } : {}),
          },
          ...(payload !== undefined ? { payload } : {}),
        });
        expect(res.statusCode, `${req.route.method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(await auditEntries(a.id), `${req.route.method} ${url} wrote despite ${res.statusCode}`).toBe(
            before,
          );
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
  }, 300_000);
});
