import { Writable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateRequest } from '../src/identity/authenticate-request.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { type Api, buildApp } from '../src/kernel/http/build-app.js';
import { appDeps } from '../src/server/app-deps.js';
import { ALL_ROUTES } from '../src/server/routes.js';
import { LOG_REDACT } from '../src/server/start-server.js';
import { call, seedOrg, type TestOrg, testKeyring } from './support/app.js';
import { startOutbox } from './support/outbox.js';
import { loopbackAllowed } from './support/receivers.js';
import { SECRET_PLAYBOOK } from './support/secret-playbook.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

/** The secrets this test stores, each of a kind no other text of the test contains. */
const IN_PACKET = 'Pk7-zebra-quartz-91';
const REPLACED = 'Rp3-otter-basalt-42';
const IN_VAULT = 'Vt5-heron-cobalt-18';
const IN_BAD_REQUEST = 'Br9-lynx-garnet-66';
const AMENDED = 'Am2-ibis-flint-27';
const SECRETS = [IN_PACKET, REPLACED, IN_VAULT, IN_BAD_REQUEST, AMENDED];
/** A value that is no secret, and must show wherever the packet is shown: the search's control. */
const VISIBLE = 'Goal-visible-canary-303';

/** The text a PDF draws: every stream inflated, and the hex strings of its text operators decoded. */
function pdfText(bytes: Buffer): string {
  const raw = bytes.toString('latin1');
  const parts: string[] = [raw];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const body = Buffer.from(match[1]!, 'latin1');
    let text: string;
    try {
      text = inflateSync(body).toString('latin1');
    } catch {
      text = body.toString('latin1');
    }
    parts.push(text);
    // pdfkit writes a standard font's text as hex strings, split where it kerns: join them up.
    const hex = [...text.matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => m[1]).join('');
    parts.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return parts.join('\n');
}

describe.each(DIALECTS)(
  'no secret leaks into logs, answers, exports, the outbox or the PDF, on %s',
  (dialect) => {
    let store: Store;
    let app: Api;
    let deps: Deps;
    let org: TestOrg;
    let outbox: Awaited<ReturnType<typeof startOutbox>>;
    const logs: string[] = [];
    /** Every response body the test receives, but the reveals' own. */
    const answers: string[] = [];

    beforeAll(async () => {
      store = await openTestStore(dialect);
      deps = appDeps({
        store,
        clock: new ManualClock('2026-03-02T10:00:00.000Z'),
        destinations: loopbackAllowed,
        vaultKeys: testKeyring(),
      });
      // The server as `baton serve` logs: every request, at the most talkative level, redacted as configured.
      const stream = new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      });
      app = await buildApp({
        deps,
        routes: ALL_ROUTES,
        authenticate: authenticateRequest,
        logger: { level: 'trace', stream, redact: { paths: LOG_REDACT, censor: '[redacted]' } },
      });
      await app.ready();
      outbox = await startOutbox(deps);
      org = await seedOrg(deps, 'Leak Check');
    });
    afterAll(async () => {
      await outbox.close();
      await app.close();
      await store.close();
    });

    const as =
      (token: string) =>
      async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
        const res = await call(app, token)(method, url, body);
        answers.push(`${method} ${url} ${res.status} ${res.raw.body}`);
        return res;
      };

    it('finds none of the secrets anywhere, and finds the visible value where it is shown', async () => {
      const admin = as(org.admin);
      const sales = as(org.sales);
      const ops = as(org.operations);
      expect((await admin('POST', '/api/v1/playbooks', { source: SECRET_PLAYBOOK })).status).toBe(201);
      expect(
        (await admin('PUT', '/api/v1/notification-settings', { chat_webhook_url: outbox.hook.url })).status,
      ).toBe(200);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
      const engagement = (
        await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'HQ' })
      ).body.id as string;

      // A secret entered in the packet goes to the vault; the packet keeps its reference.
      const created = await sales('POST', '/api/v1/handoffs', {
        engagement_id: engagement,
        playbook: 'site-access',
        transition: 'sales-to-ops',
        packet: { basics: { goal: VISIBLE }, access: { admin_password: IN_PACKET } },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const handoff = created.body.id as string;
      const ref = created.body.packet.access.admin_password as { vault: string };
      expect(ref).toEqual({ vault: expect.any(String) });
      // Typed again, it replaces the secret of the same entry.
      const edited = await sales('PATCH', `/api/v1/handoffs/${handoff}`, {
        packet: { access: { admin_password: REPLACED } },
      });
      expect(edited.status, JSON.stringify(edited.body)).toBe(200);
      expect(edited.body.packet.access.admin_password).toEqual(ref);
      // Another engagement's entry, or none, is refused by the field's path.
      const bogus = await sales('PATCH', `/api/v1/handoffs/${handoff}`, {
        packet: { access: { admin_password: { vault: '00000000-0000-7000-8000-000000000000' } } },
      });
      expect(bogus.status).toBe(400);
      expect(bogus.body.errors).toEqual([
        { path: '/packet/access/admin_password', message: 'refers to no vault entry of this engagement' },
      ]);
      expect((await sales('POST', `/api/v1/handoffs/${handoff}/submit`)).status).toBe(200);
      // A question on the secret, answered with a corrected value: the vault entry changes, the
      // new revision keeps the reference.
      const asked = await ops('POST', `/api/v1/handoffs/${handoff}/questions`, {
        body: 'That password is refused',
        path: '/packet/access/admin_password',
      });
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      const answered = await sales('POST', `/api/v1/questions/${asked.body.id}/answer`, {
        answer: 'Corrected',
        amend: { value: AMENDED },
      });
      expect(answered.status, JSON.stringify(answered.body)).toBe(200);
      expect(answered.body.amended_revision).toBe(2);
      expect((await ops('GET', `/api/v1/handoffs/${handoff}`)).body.packet.access.admin_password).toEqual(
        ref,
      );
      await outbox.drain();

      // A credential entered in the vault, and requests that fail with a secret in them.
      const entry = (
        await ops('POST', `/api/v1/engagements/${engagement}/vault`, { system: 'NVR', secret: IN_VAULT })
      ).body.id as string;
      expect(
        (
          await ops('POST', `/api/v1/engagements/${engagement}/vault`, {
            system: 'X',
            secret: IN_BAD_REQUEST,
            extra: 1,
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await ops('POST', `/api/v1/engagements/${engagement}/vault`, {
            system: 'X',
            secret: `${IN_BAD_REQUEST}${'x'.repeat(4000)}`,
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await ops('PATCH', `/api/v1/engagements/${engagement}/vault/${entry}`, {
            secret: 5,
            note: IN_BAD_REQUEST,
          })
        ).status,
      ).toBe(400);

      // The reveals answer the value (and only they do): kept out of the search.
      const revealed = await call(app, org.operations)(
        'POST',
        `/api/v1/engagements/${engagement}/vault/${ref.vault}/reveal`,
        {
          reason: 'Commissioning',
        },
      );
      expect(revealed.body.secret).toBe(AMENDED);
      const vaultReveal = await call(app, org.admin)(
        'POST',
        `/api/v1/engagements/${engagement}/vault/${entry}/reveal`,
        {
          reason: 'Check',
        },
      );
      expect(vaultReveal.body.secret).toBe(IN_VAULT);

      // Everything a person or a system can read back.
      const vault = await ops('GET', `/api/v1/engagements/${engagement}/vault`);
      expect(vault.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            system: 'Controller admin password',
            secret: '••••••••',
            from_packet: { handoff_id: handoff, field: 'access.admin_password' },
          }),
        ]),
      );
      await ops('GET', `/api/v1/engagements/${engagement}/vault/${entry}`);
      await ops('GET', `/api/v1/handoffs/${handoff}`);
      await ops('GET', '/api/v1/handoffs');
      await ops('GET', `/api/v1/handoffs/${handoff}/revisions`);
      await ops('GET', `/api/v1/handoffs/${handoff}/revisions/1/diff/2`);
      await ops('GET', `/api/v1/engagements/${engagement}/timeline`);
      await ops('GET', `/api/v1/search?q=${encodeURIComponent('Controller')}`);
      await admin('GET', '/api/v1/audit');
      await admin('GET', `/api/v1/handoffs/${handoff}/audit`);
      await ops('GET', '/api/v1/notifications');
      const html = await ops('GET', `/api/v1/handoffs/${handoff}/summary`);
      const md = await ops('GET', `/api/v1/handoffs/${handoff}/summary?format=md`);
      expect(html.raw.body).toContain(VISIBLE);
      expect(md.raw.body).toContain(VISIBLE);
      expect(md.raw.body).toContain('kept in the vault');
      const pdf = await app.inject({
        method: 'GET',
        url: `/api/v1/handoffs/${handoff}/summary?format=pdf`,
        headers: { authorization: `Bearer ${org.operations}` },
      });
      expect(pdf.statusCode).toBe(200);
      const pdfSearched = pdfText(pdf.rawPayload);
      expect(pdfSearched, 'the PDF search finds what the sheet shows').toContain(VISIBLE);

      await sealAll(store);
      const jobs = await store.db.selectFrom('scheduled_jobs').selectAll().execute();
      expect(jobs.some((j) => j.kind === 'send_webhook')).toBe(true);
      expect(jobs.some((j) => j.kind === 'send_email')).toBe(true);
      const tables = {
        audit_log: await store.db.selectFrom('audit_log').selectAll().execute(),
        audit_pending: await store.db.selectFrom('audit_pending').selectAll().execute(),
        handoffs: await store.db.selectFrom('handoffs').selectAll().execute(),
        handoff_revisions: await store.db.selectFrom('handoff_revisions').selectAll().execute(),
        notifications: await store.db.selectFrom('notifications').selectAll().execute(),
        vault_entries: await store.db.selectFrom('vault_entries').selectAll().execute(),
      };
      const places: Record<string, string> = {
        'server logs': logs.join(''),
        'API answers, listings and exports': answers.join('\n'),
        'the summary PDF': pdfSearched,
        'outbox job payloads': JSON.stringify(jobs),
        'mails sent': JSON.stringify(outbox.smtp.mails),
        'webhooks posted': JSON.stringify(outbox.hook.posts),
        'the database tables (audit, packets, notifications, vault)': JSON.stringify(tables),
      };
      expect(logs.length, 'the server logged the requests').toBeGreaterThan(20);
      expect(outbox.hook.posts.length, 'the chat webhook was posted to').toBeGreaterThan(0);
      expect(outbox.smtp.mails.length, 'mail was sent').toBeGreaterThan(0);
      const found = Object.entries(places).flatMap(([place, text]) =>
        SECRETS.filter((s) => text.includes(s)).map((s) => `${s} in ${place}`),
      );
      expect(found).toEqual([]);
      expect(places['API answers, listings and exports']).toContain(VISIBLE);
    });
  },
);
