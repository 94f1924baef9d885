import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateRequest } from '../src/identity/authenticate-request.js';
import { PUBLIC_EVENT_TYPES, webhookPayloadOf } from '../src/integrations/domain/webhook-events.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { type Api, buildApp } from '../src/kernel/http/build-app.js';
import { errorResponses } from '../src/kernel/http/schemas.js';
import { appDeps } from '../src/server/app-deps.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { testApp } from './support/app.js';
import { checkResponsesAgainstDocument, describeDisagreements } from './support/conformance.js';
import { openTestStore } from './support/stores.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

describe('the OpenAPI document', () => {
  let app: Api;
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    ({ app } = await testApp(store));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('is served without a token, is OpenAPI 3.1, and describes every route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/playbooks',
      '/api/v1/playbooks/{key}',
      '/api/v1/playbooks/{key}/transitions/{transition}/schema',
      '/api/v1/playbooks/{key}/suggestions',
      '/api/v1/playbooks/{key}/suggestions/{suggestion}/draft',
      '/api/v1/accounts',
      '/api/v1/contacts',
      '/api/v1/engagements',
      '/api/v1/handoffs',
      '/api/v1/handoffs/{id}',
      '/api/v1/handoffs/{id}/readiness',
      '/api/v1/handoffs/{id}/submit',
      '/api/v1/handoffs/{id}/accept',
      '/api/v1/handoffs/{id}/reject',
      '/api/v1/handoffs/{id}/withdraw',
      '/api/v1/handoffs/{id}/revisions',
      '/api/v1/handoffs/{id}/revisions/{a}/diff/{b}',
      '/api/v1/handoffs/{id}/questions',
      '/api/v1/questions/{id}/answer',
      '/api/v1/handoffs/{id}/summary',
      '/api/v1/handoffs/{id}/audit',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const docs = await app.inject({ method: 'GET', url: '/api/v1/docs' });
    expect([200, 302]).toContain(docs.statusCode);
  });

  it('describes, under webhooks, what every public event posts, as a real delivery carries it', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.webhooks).sort()).toEqual([...PUBLIC_EVENT_TYPES, 'ping'].sort());
    const accepted = doc.webhooks['handoff.accepted'].post;
    expect(accepted.parameters.map((p: { name: string }) => p.name)).toEqual([
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
    // A payload made by the same code that makes deliveries validates against the document's schema.
    const validate = new Ajv({ strict: false }).compile(
      accepted.requestBody.content['application/json'].schema,
    );
    const at = new Date('2026-12-02T10:00:00Z');
    const payload = webhookPayloadOf({
      type: 'handoff.accepted',
      at,
      handoff: {
        id: 'h1',
        engagement_id: 'e1',
        playbook_key: 'security-integrator',
        transition_key: 'sales-to-operations',
        title: 'Rollout',
        state: 'accepted',
        revision: 2,
        sending_team_id: 't1',
        receiving_team_id: 't2',
        submitted_at: at.toISOString(),
        decided_at: at.toISOString(),
        updated_at: at.toISOString(),
      },
      from: 'submitted',
      note: null,
    } as unknown as Parameters<typeof webhookPayloadOf>[0]);
    expect(validate(JSON.parse(JSON.stringify(payload))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...payload, type: 'handoff.rejected' })).toBe(false);
  });

  it('names each resource once under components/schemas, and refers to it by name', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    for (const name of [
      'Account',
      'Contact',
      'Engagement',
      'Handoff',
      'HandoffActions',
      'Question',
      'Revision',
      'Promise',
      'ScopeItem',
      'SuccessLadder',
      'Checkpoint',
      'Rescope',
      'User',
      'Team',
      'Token',
      'Session',
      'Calendar',
      'NotificationSettings',
      'NotificationPreferences',
      'AuditEntry',
      'PlaybookDetail',
      'PlaybookSummary',
      'Problem',
    ])
      expect(doc.components.schemas, name).toHaveProperty(name);
    const ok = (path: string, method: string) =>
      doc.paths[path][method].responses['200'].content['application/json'].schema;
    expect(ok('/api/v1/handoffs/{id}', 'get')).toEqual({ $ref: '#/components/schemas/Handoff' });
    expect(ok('/api/v1/handoffs', 'get').properties.items.items).toEqual({
      $ref: '#/components/schemas/Handoff',
    });
    expect(ok('/api/v1/contacts/{id}', 'get')).toEqual({ $ref: '#/components/schemas/Contact' });
    expect(doc.components.schemas.Handoff.properties.sending_team).toEqual({
      $ref: '#/components/schemas/TeamRef',
    });
  });

  it("answers a path outside the docs page's files 404 not-found, like any path that does not exist", async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    for (const path of [
      '/api/v1/docs/static/../../package.json',
      '/api/v1/docs/static/%2e%2e/%2e%2e/package.json',
      '/api/v1/docs/static/..%5c..%5cpackage.json',
      '/api/v1/docs/static/a/../../x',
      '/api/v1/docs/static/..',
      '/api/v1/docs/static/%00',
      '/api/v1/docs/static/no-such-file.js',
    ]) {
      const res = await rawGet(port, path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toContain('application/problem+json');
      expect(JSON.parse(res.body).type, path).toBe('/problems/not-found');
    }
    const served = await rawGet(port, '/api/v1/docs/static/swagger-ui.css');
    expect(served.status).toBe(200);
  });

  it('is what every response is checked against: status, content type and body schema', async () => {
    // A route that answers what its schema does not say, in each way a route can.
    const liar = (api: Api) => {
      api.get(
        '/liar',
        {
          schema: {
            operationId: 'liar',
            tags: ['audit'],
            querystring: Type.Object({ as: Type.String() }),
            response: { 200: Type.Object({ id: Type.String() }), ...errorResponses(404) },
          },
          config: { scope: 'read' },
        },
        async (request, reply) => {
          const as = (request.query as { as: string }).as;
          // Untyped, so the lies compile.
          const r = reply as unknown as FastifyReply;
          if (as === 'status') return r.status(409).type('application/problem+json').send({});
          if (as === 'type') return r.type('text/plain').send('plain');
          if (as === 'body') return r.type('application/json').serializer(JSON.stringify).send({ id: 7 });
          return { id: 'fine' };
        },
      );
    };
    const other = await buildApp({
      deps: appDeps({ store, clock: new ManualClock() }),
      routes: [liar],
      authenticate: authenticateRequest,
    });
    const check = checkResponsesAgainstDocument(other);
    await other.ready();
    const org = await createOrganisation(appDeps({ store, clock: new ManualClock() }), { name: 'Liar Co' });
    const headers = { authorization: `Bearer ${org.admin.token.token}` };
    for (const as of ['fine', 'status', 'type', 'body'])
      await other.inject({ method: 'GET', url: `/api/v1/liar?as=${as}`, headers });
    const found = check.take();
    await other.close();
    expect(found.map((d) => `${d.operation} ${d.status}: ${d.problem}`)).toEqual([
      'GET /api/v1/liar (liar) 409: status 409 is not listed at #/paths/~1api~1v1~1liar/get/responses (it lists 200, 400, 401, 403, 404)',
      'GET /api/v1/liar (liar) 200: content type text/plain is not listed at #/paths/~1api~1v1~1liar/get/responses/200/content (it lists application/json)',
      'GET /api/v1/liar (liar) 200: the body at /id must be string {"type":"string"}; schema #/paths/~1api~1v1~1liar/get/responses/200/content/application~1json/schema/properties/id/type',
    ]);
    expect(describeDisagreements(found)).toContain(
      '- GET /api/v1/liar (liar) → 409 application/problem+json',
    );
  });

  it('passes spectral lint with the spectral:oas ruleset with no errors', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const file = join(mkdtempSync(join(tmpdir(), 'baton-oas-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const spectral = join(ROOT, 'node_modules/.bin/spectral');
    const result = await exec(
      spectral,
      ['lint', file, '--ruleset', join(ROOT, '.spectral.yaml'), '--fail-severity', 'error', '-f', 'json'],
      {
        cwd: ROOT,
      },
    ).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    const findings = JSON.parse(
      result.out.slice(result.out.indexOf('['), result.out.lastIndexOf(']') + 1),
    ) as {
      severity: number;
      code: string;
      message: string;
      path: string[];
    }[];
    const errors = findings.filter((f) => f.severity === 0);
    expect(errors.map((e) => `${e.code} ${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(result.code).toBe(0);
  }, 120_000);
});

/** A GET sent byte for byte as written: no client normalises `..` or percent-escapes away. */
function rawGet(
  port: number,
  path: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
    );
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}
