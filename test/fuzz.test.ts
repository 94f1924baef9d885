import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { newId } from '../src/kernel/ids.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { addEmailSource } from './support/email-sources.js';
import { insertReviewGaps, reviewAnchor } from './support/review-gaps.js';
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
  /** Operations whose request body is bytes (file uploads) rather than JSON. */
  let bytesBodied: (route: Route) => boolean;
  /** Operations whose request body is multipart/form-data (an e-mail provider's inbound parse). */
  let formBodied: (route: Route) => boolean;

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
      const vaultEntry = await call(app, org.operations)(
        'POST',
        `/api/v1/engagements/${engagement.body.id}/vault`,
        {
          system: 'BMS',
          secret: 'fuzz-secret',
        },
      );
      ids.push(account.body.id, engagement.body.id, handoff.body.id, vaultEntry.body.id);
      const changeOrder = await sales('POST', `/api/v1/engagements/${engagement.body.id}/change-orders`, {
        request: 'A second site',
        asked_by_name: 'Pat',
        amount_minor: 1000,
        currency: 'USD',
      });
      ids.push(changeOrder.body.id, 'quote', 'approve', 'bill', 'decline');
      const webhook = await call(app, org.admin)('POST', '/api/v1/webhook-endpoints', {
        url: 'https://203.0.113.10/hook',
      });
      const ping = await call(app, org.admin)(
        'POST',
        `/api/v1/webhook-endpoints/${webhook.body.endpoint.id}/test`,
      );
      ids.push(webhook.body.endpoint.id, ping.body.id);
    }
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as Json;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
    bytesBodied = (route) =>
      !!doc.paths[route.path][route.method.toLowerCase()].requestBody?.content?.['application/octet-stream'];
    formBodied = (route) =>
      !!doc.paths[route.path][route.method.toLowerCase()].requestBody?.content?.['multipart/form-data'];
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
        fc.constantFrom(
          'state',
          'limit',
          'offset',
          'team',
          'version',
          'format',
          'q',
          'mode',
          'external_id',
          'unread',
          'cursor',
          'from',
          'to',
          'engagement_id',
          'band',
          'x',
        ),
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

  it('answers uploads of any bytes, type, name and tag with 2xx or 4xx problem+json, and writes nothing on 4xx', async () => {
    const uploads = routes.filter(bytesBodied);
    const answered = new Set<number>();
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    const file = await call(app, a.sales)(
      'POST',
      `/api/v1/engagements/${ids[1]}/files?name=Fuzz&tag=other`,
      {},
    );
    expect(file.status).toBe(201);
    const arbitrary = fc.record({
      route: fc.constantFrom(...uploads),
      // Mostly the real engagement and file (so uploads happen), sometimes anything.
      params: fc.oneof(
        { weight: 3, arbitrary: fc.constant([ids[1]!, file.body.id as string]) },
        {
          weight: 1,
          arbitrary: fc.array(paramArbitrary([...ids, file.body.id]), { minLength: 2, maxLength: 2 }),
        },
      ),
      bytes: fc.oneof(
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom(
          new Uint8Array(Buffer.from('%PDF-1.7\n')),
          new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          new Uint8Array([0x4d, 0x5a, 0x90, 0]),
          new Uint8Array([0xed, 0xa0, 0x80]),
          new Uint8Array(Buffer.from('site,switch\nA,sw-1\n')),
        ),
      ),
      query: fc
        .tuple(
          fc.record(
            {
              name: fc.oneof(fc.string({ maxLength: 250 }), fc.constantFrom('As-built', 'Fuzz', ' ')),
              tag: fc.oneof(
                { weight: 3, arbitrary: fc.constantFrom('as_built', 'photo', 'other') },
                { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
              ),
              filename: fc.string({ maxLength: 260 }),
            },
            { requiredKeys: [] },
          ),
          fc.option(fc.string({ maxLength: 5 }), { freq: 8 }),
        )
        .map(([known, x]) => (x === null ? known : { ...known, x })),
      contentType: fc.constantFrom(
        'application/octet-stream',
        'application/pdf',
        'text/plain',
        'image/png',
        'application/json',
        '',
      ),
      as: fc.constantFrom('admin', 'sales', 'sales', 'viewer', 'other') as fc.Arbitrary<string>,
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        let i = 0;
        const url = req.route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(req.params[i++] ?? 'x'));
        const qs = new URLSearchParams(req.query).toString();
        const token = req.as === 'other' ? b.admin : a[req.as as 'admin'];
        const before = await auditEntries(a.id);
        const res = await app.inject({
          method: 'POST',
          url: `${url}${qs ? `?${qs}` : ''}`,
          headers: {
            authorization: `Bearer ${token}`,
            ...(req.contentType ? { 'content-type': req.contentType } : {}),
          },
          payload: Buffer.from(req.bytes),
        });
        expect(res.statusCode, `POST ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        answered.add(res.statusCode);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(await auditEntries(a.id)).toBe(before);
        }
      }),
      { numRuns: Math.min(RUNS, 600), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
    // The property reached the uploads themselves, not only the refusals before them.
    expect([...answered].sort()).toEqual(expect.arrayContaining([200, 201, 400, 403, 404, 415]));
  }, 120_000);

  it('refuses text that is not well-formed Unicode anywhere in a body or query, naming where, on every route', async () => {
    const pointer = (parts: string[]) =>
      parts.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
    const key = fc
      .string({ minLength: 1, maxLength: 8 })
      .filter((k) => !['__proto__', 'constructor'].includes(k));
    // File uploads read their body as bytes, not text, the inbound e-mail endpoint reads multipart
    // only, and the inbound endpoints read the bytes a vendor signed (checked after the
    // signature): their own properties below cover them.
    const withBody = routes.filter(
      (r) =>
        ['POST', 'PUT', 'PATCH'].includes(r.method) &&
        !bytesBodied(r) &&
        !formBodied(r) &&
        !r.path.startsWith('/api/v1/inbound/'),
    );
    // A placeholder whose bytes a raw-byte case replaces with an encoded surrogate (ED A0 80).
    const RAW = 'RAW-BYTES-HERE';
    const arbitrary = fc.record({
      route: fc.constantFrom(...withBody),
      body: fc.dictionary(key, fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 })), {
        maxKeys: 4,
      }),
      at: fc.array(key, { minLength: 1, maxLength: 3 }),
      bad: fc.constantFrom('\ud800', '\udfff', 'a\ud83d', '\ude00b', RAW),
      inKey: fc.boolean(),
      inArray: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const body: Json = structuredClone(req.body);
        let node = body;
        for (const part of req.at.slice(0, -1)) {
          node[part] = {};
          node = node[part];
        }
        const last = req.at.at(-1)!;
        const bad = req.bad === RAW ? '\udced\udca0\udc80' : req.bad;
        let expected: string[];
        if (req.inKey) {
          node[`${last}${req.bad}`] = 'value';
          expected = [...req.at.slice(0, -1), `${last}${bad}`];
        } else if (req.inArray) {
          node[last] = ['fine', req.bad];
          expected = [...req.at, '1'];
        } else {
          node[last] = req.bad;
          expected = req.at;
        }
        const text = Buffer.from(JSON.stringify(body), 'utf8');
        const at = text.indexOf(RAW);
        const payload =
          at < 0
            ? text
            : Buffer.concat([
                text.subarray(0, at),
                Buffer.from([0xed, 0xa0, 0x80]),
                text.subarray(at + RAW.length),
              ]);
        const url = req.route.path.replace(/\{[^}]+\}/g, 'x');
        const before = await auditEntries(a.id);
        const res = await app.inject({
          method: req.route.method as 'POST',
          url,
          headers: { authorization: `Bearer ${a.admin}`, 'content-type': 'application/json' },
          payload,
        });
        expect(res.statusCode, `${req.route.method} ${url} ${res.body}`).toBe(400);
        expect(res.json().type).toBe('/problems/validation-failed');
        expect(res.json().errors.map((e: Json) => e.path)).toContain(pointer(expected));
        expect(await auditEntries(a.id)).toBe(before);
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const url = `${route.path.replace(/\{[^}]+\}/g, 'x')}?limit=5&name=%ED%A0%80`;
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${a.admin}` } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors, url).toContainEqual(expect.objectContaining({ path: '/querystring/name' }));
    }
    // A % that starts no escape is a plain character, as the query parser reads it.
    const percent = await app.inject({
      method: 'GET',
      url: '/api/v1/accounts?q=50%&limit=5',
      headers: { authorization: `Bearer ${a.admin}` },
    });
    expect(percent.statusCode, percent.body).toBe(200);
    // The search takes any text up to its length, wildcards and all, and answers fast.
    for (const q of ['%', '_', '\\', "'; drop table accounts; --", '😀', '%ED%A0%80', 'a'.repeat(100)]) {
      const url = `/api/v1/search?q=${q.startsWith('%ED') ? q : encodeURIComponent(q)}`;
      const started = Date.now();
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${a.admin}` } });
      expect(res.statusCode, `${url} ${res.body}`).toBeLessThan(500);
      expect(Date.now() - started, url).toBeLessThan(1000);
    }
    for (const q of ['', '%20', 'a'.repeat(5000)]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/search?q=${q}`,
        headers: { authorization: `Bearer ${a.admin}` },
      });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().errors).toContainEqual(expect.objectContaining({ path: '/querystring/q' }));
    }
    // A text body other than JSON (a playbook sent as YAML) is checked byte by byte.
    const yaml = await app.inject({
      method: 'POST',
      url: '/api/v1/playbooks/validate',
      headers: { authorization: `Bearer ${a.admin}`, 'content-type': 'application/yaml' },
      payload: Buffer.concat([
        Buffer.from('key: a\nname: '),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('\n'),
      ]),
    });
    expect(yaml.statusCode, yaml.body).toBe(400);
    expect(yaml.json().errors).toEqual([{ path: '/', message: expect.stringContaining('not well-formed') }]);
  }, 120_000);

  it('answers malformed requests to the client portal, by a real link, with 4xx problem+json and no write', async () => {
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Portal Acc' });
    const contact = await sales('POST', '/api/v1/contacts', {
      account_id: account.body.id,
      name: 'Ada',
      email: 'ada@portal.test',
      role: 'sponsor',
    });
    const engagement = await sales('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Eng',
    });
    const tokens: string[] = [];
    for (const purpose of ['confirm', 'signoff', 'survey']) {
      const made = await call(app, a.operations)(
        'POST',
        `/api/v1/engagements/${engagement.body.id}/portal-links`,
        {
          contact_id: contact.body.id,
          purpose,
        },
      );
      expect(made.status).toBe(201);
      tokens.push((made.body.url as string).split('/p/')[1]!);
    }
    // A file the sign-off link's package shows, for the download route to find.
    const uploaded = await app.inject({
      method: 'POST',
      url: `/api/v1/engagements/${engagement.body.id}/files?name=As-built&tag=as_built`,
      headers: { authorization: `Bearer ${a.operations}`, 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.7\n% fuzz\n%%EOF\n'),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const fileId = uploaded.json().id as string;
    const portalRoutes = routes.filter((r) => r.path.startsWith('/api/v1/portal/'));
    expect(portalRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /api/v1/portal/{token}',
      'GET /api/v1/portal/{token}/files/{fileId}/versions/{version}',
      'POST /api/v1/portal/{token}/confirm',
      'POST /api/v1/portal/{token}/signoff',
      'POST /api/v1/portal/{token}/survey',
    ]);
    const written = async () => {
      let n = await auditEntries(a.id);
      for (const table of ['portal_confirmations', 'closeout_signoffs', 'survey_responses'] as const)
        n += Number(
          (
            await store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return n;
    };
    const arbitrary = fc.record({
      route: fc.constantFrom(...portalRoutes),
      token: fc.oneof(fc.constantFrom(...tokens), paramArbitrary(tokens)),
      fileId: fc.oneof(fc.constant(fileId), paramArbitrary([fileId])),
      version: fc.oneof(fc.constant('1'), fc.integer({ min: -2, max: 3 }).map(String), fc.string()),
      body: fc.oneof(
        bodyArbitrary,
        fc.record({
          differences: fc.array(fc.record({ about: fc.string(), text: fc.string() }), { maxLength: 3 }),
          shown_sha256: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()),
          name: fc.string(),
          package_sha256: fc.string(),
          csat: fc.integer({ min: -3, max: 12 }),
          nps: fc.oneof(fc.integer({ min: -3, max: 12 }), fc.double()),
          comment: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        }),
      ),
      ip: fc.ipV4(),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const url = req.route.path
          .replace('{token}', encodeURIComponent(req.token))
          .replace('{fileId}', encodeURIComponent(req.fileId))
          .replace('{version}', encodeURIComponent(req.version));
        const before = await written();
        const res = await app.inject({
          method: req.route.method as 'GET',
          url,
          remoteAddress: req.ip,
          ...(req.route.method === 'POST'
            ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(req.body) }
            : {}),
        });
        expect(res.statusCode, `${req.route.method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(await written(), `${req.route.method} ${url} wrote despite ${res.statusCode}`).toBe(before);
        }
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
  }, 300_000);

  it('answers malformed and hostile inquiry e-mails with 200 or 4xx problem+json, writing only what it says', async () => {
    const key = 'fuzz-mailgun-signing-key';
    const sourceId = await addEmailSource(store, deps.vaultKeys, {
      orgId: a.id,
      kind: 'mailgun',
      secret: key,
      at: deps.clock.now(),
    });
    const rows = async () =>
      Number(
        (
          await store.db
            .selectFrom('inquiries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('Ada <ada@x.test>', `olive@${a.slug}.test`, ''),
    );
    const arbitrary = fc.record({
      source: fc.oneof(
        { weight: 4, arbitrary: fc.constant(sourceId) },
        { weight: 1, arbitrary: paramArbitrary([newId()]) },
      ),
      fields: fc
        .tuple(
          fc.record(
            { from: text, To: text, subject: text, 'Message-Id': fc.oneof(text, fc.uuid()) },
            { requiredKeys: ['from', 'To'] },
          ),
          fc.dictionary(fc.constantFrom('Cc', 'recipient', 'stripped-text', 'message-headers', 'x'), text),
        )
        .map(([known, extra]) => ({ ...extra, ...known })),
      signed: fc.boolean(),
      // Mostly well-formed (so the e-mail is read, signed or not, and routed), sometimes anything.
      boundary: fc.oneof(
        { weight: 4, arbitrary: fc.constant('----FuzzBoundary') },
        { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
      ),
      cut: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.nat({ max: 400 }) },
      ),
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constant('multipart/form-data') },
        { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json', '') },
      ),
      ip: fc.ipV4(),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const timestamp = String(Math.floor(deps.clock.now().getTime() / 1000));
        const token = newId();
        const fields: Record<string, string> = { ...req.fields, timestamp, token };
        fields.signature = req.signed
          ? createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex')
          : 'f'.repeat(64);
        let body = Object.entries(fields)
          .map(([n, v]) => `--${req.boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
          .join('');
        body += `--${req.boundary}--\r\n`;
        if (req.cut !== null) body = body.slice(0, req.cut);
        const before = await rows();
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/inbound/inquiry/${encodeURIComponent(req.source)}`,
          remoteAddress: req.ip,
          headers: req.type ? { 'content-type': `${req.type}; boundary=${req.boundary}` } : {},
          payload: body,
        });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        expect(res.body).not.toContain(key);
        const written = (await rows()) - before;
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          // A refusal (401) is recorded, once; any other 4xx writes nothing.
          expect(written, `${res.statusCode} ${res.body.slice(0, 200)}`).toBe(res.statusCode === 401 ? 1 : 0);
        } else {
          expect(res.statusCode).toBe(200);
          expect(written).toBe(res.json().duplicate ? 0 : 1);
        }
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
  }, 300_000);

  it('answers malformed requests to the inbound endpoints, by real sources, with 4xx problem+json and no record', async () => {
    const admin = call(app, a.admin);
    const sources: Json[] = [];
    for (const body of [
      {
        kind: 'hubspot',
        name: 'H',
        config: { playbook: 'professional-services' },
        secret: 'fuzz-hubspot-secret',
      },
      {
        kind: 'salesforce',
        name: 'S',
        config: { playbook: 'professional-services', organization_id: '00D000000000001AAA' },
      },
      { kind: 'pipedrive', name: 'P', config: { playbook: 'professional-services' } },
      { kind: 'clickup', name: 'C', config: { milestones: { done: 'Done' } }, secret: 'fuzz-clickup-secret' },
      { kind: 'procore', name: 'R', config: { milestones: { 'Projects.update': 'Updated' } } },
    ]) {
      const made = await admin('POST', '/api/v1/integration-sources', body);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      sources.push(made.body.source);
    }
    const records = async () => {
      let n = 0;
      for (const table of ['accounts', 'engagements', 'handoffs', 'engagement_milestones'] as const)
        n += Number(
          (
            await store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return n;
    };
    const xmlish = fc.oneof(
      fc.string().map((s) => `<?xml version="1.0"?><soapenv:Envelope>${s}</soapenv:Envelope>`),
      fc.constantFrom(
        '<a><b></a>',
        '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
        '<Envelope><Body><notifications><OrganizationId>00D000000000001AAA</OrganizationId><Notification><Id>1</Id></Notification></notifications></Body></Envelope>',
        '<Envelope><Body><notifications><OrganizationId>00D000000000001AAA</OrganizationId>' +
          '<Notification><Id>x</Id><sObject><Name>&#99999999;</Name></sObject></Notification></notifications></Body></Envelope>',
        `<a>${'<b>'.repeat(100)}`,
      ),
    );
    const arbitrary = fc.record({
      source: fc.constantFrom(...sources),
      body: fc.oneof(
        bodyArbitrary.map((b) => JSON.stringify(b) ?? ''),
        xmlish,
        fc.string(),
      ),
      headers: fc.record(
        {
          'x-hubspot-signature-v3': fc.oneof(fc.base64String(), fc.string()),
          'x-hubspot-request-timestamp': fc.oneof(fc.integer().map(String), fc.string()),
          'x-signature': fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()),
          authorization: fc.oneof(
            fc.string().map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
            fc.string(),
          ),
          'content-type': fc.constantFrom(
            'application/json',
            'text/xml',
            'text/plain',
            'application/x-www-form-urlencoded',
          ),
        },
        { requiredKeys: [] },
      ),
    });
    const before = await records();
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const res = await app.inject({
          method: 'POST',
          url: req.source.inbound_path,
          headers: req.headers as Record<string, string>,
          payload: req.body,
        });
        expect(res.statusCode, `${req.source.kind} → ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261202) },
    );
    expect(await records()).toBe(before);
  }, 300_000);

  it('answers signal batches of near-valid and hostile items with 200 or 4xx problem+json, all or nothing', async () => {
    const accountOf = async (org: TestOrg) =>
      (
        await store.db
          .selectFrom('accounts')
          .select('id')
          .where('org_id', '=', org.id)
          .executeTakeFirstOrThrow()
      ).id;
    const own = await accountOf(a);
    const theirs = await accountOf(b);
    const stored = async () =>
      Number(
        (
          await store.db
            .selectFrom('signals')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('org_id', '=', a.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const oddString = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('', ' ', '\u0000', 'a'.repeat(300), 'salesforce:', ':x', '😀', 'ünï:cødé'),
    );
    const item = fc.record(
      {
        event_id: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), oddString, fc.integer()),
        account_id: fc.oneof(fc.constantFrom(own, own, theirs), oddString, fc.constant(null)),
        account_external_id: oddString,
        kind: fc.oneof(fc.constantFrom('usage', 'support', 'adoption', 'escalation'), oddString),
        at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom('2026-13-01T00:00:00Z', 'yesterday', '', '2026-03-01'),
        ),
        value: fc.oneof(fc.double(), fc.integer(), oddString),
        feature: oddString,
        csat: fc.oneof(fc.integer({ min: -2, max: 8 }), fc.double()),
        extra: fc.anything({ maxDepth: 1 }),
      },
      { requiredKeys: ['event_id', 'kind', 'at'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 0, maxLength: 6 }), async (items) => {
        const before = await stored();
        const res = await call(app, a.operations)('POST', '/api/v1/signals', { signals: items });
        await expectAllOrNothing(res, items.length, before, stored);
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
  }, 300_000);

  it('answers near-valid and hostile health settings with 200 or 400 problem+json, saving all or nothing', async () => {
    const saved = async () => (await call(app, a.admin)('GET', '/api/v1/health-settings')).body;
    const weight = fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.constantFrom('1', null, 1e9));
    const settings = fc.record(
      {
        window_days: fc.oneof(fc.integer({ min: -2, max: 400 }), fc.constantFrom(1.5, '30', null)),
        weights: fc.oneof(
          fc.record(
            { usage: weight, support: weight, adoption: weight, escalations: weight, extra: weight },
            { requiredKeys: ['usage', 'support', 'adoption', 'escalations'] },
          ),
          fc.anything({ maxDepth: 1 }),
        ),
        features: fc.oneof(
          fc.array(fc.constantFrom('Routes', ' routes', '', 'x'.repeat(201), 'Reports', '\u0000'), {
            maxLength: 5,
          }),
          fc.anything({ maxDepth: 1 }),
        ),
        bands: fc.oneof(
          fc.record({
            healthy: fc.integer({ min: -10, max: 110 }),
            watch: fc.integer({ min: -10, max: 110 }),
          }),
          fc.anything({ maxDepth: 1 }),
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(settings, async (body) => {
        const before = await saved();
        const res = await call(app, a.admin)('PUT', '/api/v1/health-settings', body);
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
        expect(res.raw.body).not.toMatch(STACK);
        if (res.status === 200) expect(await saved()).toEqual(res.body);
        else {
          expect(res.status).toBe(400);
          expect(res.raw.headers['content-type']).toContain('application/problem+json');
          expect(res.body.errors.length).toBeGreaterThan(0);
          expect(await saved()).toEqual(before);
        }
      }),
      { numRuns: Math.min(RUNS, 300), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261202) },
    );
  }, 300_000);
});

describe('drafts of playbook suggestions', () => {
  let app: Api;
  let store: Store;
  let org: TestOrg;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    let deps: Deps;
    ({ app, deps } = await testApp(store));
    org = await seedOrg(deps, 'Fuzz Suggestions');
    const anchor = await reviewAnchor(app, store, org);
    await insertReviewGaps(store, anchor, 'promises.promises', 5, 5);
    await insertReviewGaps(store, anchor, 'scope.in_scope', 5, 5);
    await insertReviewGaps(store, anchor, 'goal.client_goal', 5, 5);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers any key and body with 200 or 4xx problem+json, and installs nothing', async () => {
    const versions = async () =>
      (await store.db.selectFrom('playbooks').select('id').where('org_id', '=', org.id).execute()).length;
    const before = await versions();
    const seen = new Set<number>();
    const key = fc.oneof(
      fc.constantFrom(
        'require:sales-to-delivery.promises.promises',
        'prompt:sales-to-delivery.scope.in_scope',
        'sharpen:sales-to-delivery.goal.client_goal',
        'require:sales-to-delivery.scope.in_scope',
        'prompt:nope.a.b',
      ),
      fc.string({ maxLength: 60 }),
    );
    const body = fc.oneof(
      // Near-valid: the right version, with or without a fitting prompt.
      fc.record(
        { version: fc.constant(1), prompt: fc.constantFrom('Why now?', 'What was said no to?') },
        {
          requiredKeys: ['version'],
        },
      ),
      fc.record(
        {
          version: fc.oneof(fc.constantFrom(1, 1, 2, 0, -1), fc.integer(), fc.string({ maxLength: 4 })),
          prompt: fc.oneof(
            fc.string({ maxLength: 80 }),
            fc.constantFrom(
              '',
              ' ',
              'Why?',
              'a\u0000b',
              'x\ny',
              '\u2028',
              "It's: #1 *a &b {c} [d] | > -",
              '😀',
            ),
            fc.constant('x'.repeat(600)),
          ),
          extra: fc.anything({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
      fc.anything({ maxDepth: 2 }),
    );
    await fc.assert(
      fc.asyncProperty(key, body, async (k, b) => {
        const res = await call(app, org.admin)(
          'POST',
          `/api/v1/playbooks/professional-services/suggestions/${encodeURIComponent(k)}/draft`,
          b,
        );
        expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
        expect(res.raw.body).not.toMatch(STACK);
        seen.add(res.status);
        if (res.status === 200) {
          expect(res.body.version).toBe(2);
          const check = await call(app, org.admin)('POST', '/api/v1/playbooks/validate', {
            source: res.body.source,
          });
          expect(check.body).toMatchObject({ valid: true, version: 2 });
        } else {
          expect(res.raw.headers['content-type']).toContain('application/problem+json');
        }
      }),
      { numRuns: Math.min(RUNS, 400), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261202) },
    );
    expect(await versions()).toBe(before);
    // The runs reached every answer: a draft, bad input, an unknown suggestion, a stale version, a bad prompt.
    expect([...seen].sort()).toEqual([200, 400, 404, 409, 422]);
  }, 300_000);
});

describe('CSV imports of accounts, contacts and engagements', () => {
  let app: Api;
  let store: Store;
  let a: TestOrg;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    let deps: Deps;
    ({ app, deps } = await testApp(store));
    a = await seedOrg(deps, 'Fuzz CSV');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('answers any file with 200 or 4xx problem+json, and writes nothing on 4xx', async () => {
    const cell = fc.oneof(
      fc.constantFrom('Name', 'Account Name', 'Email', 'Record ID', 'Id', 'Stage', 'Close Date', 'Role'),
      fc.constantFrom('=1+1', '"', '""', '\r\n', ',', 'not-an-email', '13/45/2024', '{"x":', '😀', ''),
      fc.string({ maxLength: 20 }),
    );
    const file = fc
      .tuple(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 6 }),
        fc.constantFrom('\n', '\r\n'),
      )
      .map(([rows, eol]) => rows.map((r) => r.join(',')).join(eol));
    const count = async () => {
      let n = 0;
      for (const table of ['accounts', 'contacts', 'engagements'] as const)
        n += Number(
          (
            await store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('org_id', '=', a.id)
              .executeTakeFirstOrThrow()
          ).n,
        );
      return n;
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('accounts', 'contacts', 'engagements'), file, async (kind, csv) => {
        const before = await count();
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/${kind}/import`,
          headers: { authorization: `Bearer ${a.sales}`, 'content-type': 'text/csv' },
          payload: csv,
        });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(await count()).toBe(before);
        }
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261121) },
    );
  }, 300_000);
});

describe('revenue records: batches, CSV files and the retention report', () => {
  let app: Api;
  let store: Store;
  let a: TestOrg;
  let own: string;
  let theirs: string;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    let deps: Deps;
    ({ app, deps } = await testApp(store));
    a = await seedOrg(deps, 'Fuzz Revenue');
    const b = await seedOrg(deps, 'Fuzz Revenue B');
    own = (await call(app, a.sales)('POST', '/api/v1/accounts', { name: 'Own' })).body.id;
    theirs = (await call(app, b.sales)('POST', '/api/v1/accounts', { name: 'Theirs' })).body.id;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const stored = async () =>
    Number(
      (
        await store.db
          .selectFrom('revenue_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('org_id', '=', a.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const oddString = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a'.repeat(300),
      'salesforce:',
      ':x',
      '😀',
      '=1+1',
      '2026-13',
      '2026-1',
    ),
  );

  it('answers batches of near-valid and hostile items with 200 or 4xx problem+json, all or nothing', async () => {
    const item = fc.record(
      {
        account_id: fc.oneof(fc.constantFrom(own, own, theirs), oddString, fc.constant(null)),
        account_external_id: oddString,
        period: fc.oneof(fc.constantFrom('2026-01', '2025-12'), oddString),
        kind: fc.oneof(fc.constantFrom('starting', 'expansion', 'contraction', 'churn'), oddString),
        amount_minor: fc.oneof(
          fc.integer({ min: -5, max: 1_000_000 }),
          fc.double(),
          fc.constant(1e16),
          oddString,
        ),
        currency: fc.oneof(fc.constantFrom('EUR', 'USD', 'eur'), oddString),
        external_id: fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), oddString),
        note: oddString,
        extra: fc.anything({ maxDepth: 1 }),
      },
      { requiredKeys: ['period', 'kind', 'amount_minor', 'currency'] },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 0, maxLength: 6 }), async (items) => {
        const before = await stored();
        const res = await call(app, a.operations)('POST', '/api/v1/revenue-records', { records: items });
        await expectAllOrNothing(res, items.length, before, stored);
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261202) },
    );
  }, 300_000);

  it('answers any CSV file with 200 or 4xx problem+json, and writes nothing on 4xx', async () => {
    const cell = fc.oneof(
      fc.constantFrom(
        'Account ID',
        'Period',
        'Kind',
        'Amount minor',
        'Amount',
        'Currency',
        'External ID',
        'Note',
      ),
      fc.constantFrom(
        own,
        theirs,
        'salesforce:X',
        '2026-01',
        'starting',
        'churn',
        '12.5',
        '1.005',
        'EUR',
        'JPY',
      ),
      fc.constantFrom('=1+1', '"', '""', '\r\n', ',', '-3', '😀', ''),
      fc.string({ maxLength: 12 }),
    );
    const file = fc
      .array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 0, maxLength: 6 })
      .map((rows) => rows.map((r) => r.join(',')).join('\n'));
    await fc.assert(
      fc.asyncProperty(file, async (csv) => {
        const before = await stored();
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/revenue-records/import',
          headers: { authorization: `Bearer ${a.sales}`, 'content-type': 'text/csv' },
          payload: csv,
        });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        expect(res.body).not.toMatch(STACK);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(await stored()).toBe(before);
        } else expect(await stored()).toBe(before + res.json().accepted);
      }),
      { numRuns: Math.min(RUNS, 500), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261202) },
    );
  }, 300_000);

  it('answers any retention query with 200 or 400 problem+json', async () => {
    const value = fc.oneof(
      fc.constantFrom('2026-01', '2026-12', '1999-01', '9999-12', 'cohort', 'quarter'),
      oddString,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('from', 'to', 'by', 'grain', 'x'), value),
        async (query) => {
          const res = await call(app, a.viewer)(
            'GET',
            `/api/v1/reports/retention?${new URLSearchParams(query).toString()}`,
          );
          expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
          expect(res.raw.body).not.toMatch(STACK);
          if (res.status !== 200) {
            expect(res.status).toBe(400);
            expect(res.raw.headers['content-type']).toContain('application/problem+json');
          }
        },
      ),
      { numRuns: Math.min(RUNS, 300), seed: Number(process.env.BATON_FUZZ_SEED ?? 20261202) },
    );
  }, 300_000);
});

/**
 * A batch's answer is all or nothing: 200 counting every item as accepted or a duplicate and
 * storing exactly the accepted ones, or 400/422 problem+json naming its problems and storing none.
 */
async function expectAllOrNothing(
  res: Awaited<ReturnType<ReturnType<typeof call>>>,
  items: number,
  before: number,
  stored: () => Promise<number>,
): Promise<void> {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeLessThan(500);
  expect(res.raw.body).not.toMatch(STACK);
  if (res.status === 200) {
    expect(res.body.accepted + res.body.duplicates).toBe(items);
    expect(await stored()).toBe(before + res.body.accepted);
  } else {
    expect([400, 422]).toContain(res.status);
    expect(res.raw.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await stored()).toBe(before);
  }
}
