import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { crmPlaybook } from './support/crm-playbook.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const FIXTURES = join(import.meta.dirname, 'fixtures/integrations');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** A recorded HTTP request (`.http`, CRLF): its headers and the exact bytes of its body. */
function httpFixture(name: string): { headers: Record<string, string>; body: Buffer } {
  const raw = fixture(name);
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('utf8').split('\r\n').slice(1);
  const headers: Record<string, string> = {};
  for (const line of head) {
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim().toLowerCase();
    if (key !== 'host' && key !== 'content-length') headers[key] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(split + 4) };
}

describe.each(DIALECTS)('inbound CRM deals and status hooks on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let admin: ReturnType<typeof call>;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    org = await seedOrg(deps, 'Inbound Integrations');
    admin = call(app, org.admin);
    for (const team of ['sales', 'partners']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/playbooks',
        headers: { authorization: `Bearer ${org.admin}`, 'content-type': 'application/yaml' },
        payload: crmPlaybook(team),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const addSource = async (body: Json) => {
    const res = await admin('POST', '/api/v1/integration-sources', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { source: Json; secret: string | null };
  };
  const post = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  const count = async (table: 'accounts' | 'engagements' | 'handoffs' | 'contacts') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('org_id', '=', org.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const events = async (sourceId: string) =>
    (await admin('GET', `/api/v1/integration-sources/${sourceId}/events`)).body.items as Json[];

  describe('HubSpot v3-signed batch', () => {
    const signed = httpFixture('hubspot-closedwon.http');
    let source: Json;
    beforeAll(async () => {
      ({ source } = await addSource({
        kind: 'hubspot',
        name: 'HubSpot',
        config: { playbook: 'crm-intake', request_url: 'https://handoff.example.test/webhooks/hubspot' },
        secret: 'test-client-secret-0000',
      }));
    });

    it('accepts the fixture as sent and opens a draft, saying what it created and lacked', async () => {
      clock.set(new Date(1719590401000 + 60_000));
      const res = await post(source.inbound_path, signed.body, signed.headers);
      expect(res.statusCode, res.body).toBe(200);
      const [deal] = res.json().deals;
      expect(deal).toMatchObject({ external_id: '3816279555', outcome: 'created' });
      const handoff = await call(app, org.sales)('GET', `/api/v1/handoffs/${deal.handoff_id}`);
      expect(handoff.body).toMatchObject({ state: 'draft', engagement_id: deal.engagement_id });
      const engagement = await call(app, org.sales)('GET', `/api/v1/engagements/${deal.engagement_id}`);
      expect(engagement.body).toMatchObject({
        name: 'HubSpot deal 1467822',
        external_ids: { hubspot: '1467822' },
      });
      expect(deal.problems.map((p: Json) => p.path)).toEqual(
        expect.arrayContaining(['/engagement/name', '/account/name']),
      );
      const notes = await call(app, org.operations)(
        'GET',
        `/api/v1/handoffs/${deal.handoff_id}/inbound-notes`,
      );
      expect(notes.body.items[0].problems).toEqual(deal.problems);
    });

    it('refuses a stale timestamp and a tampered body with problem+json, recorded without the secret', async () => {
      clock.set(new Date(1719590401000 + 6 * 60_000));
      const stale = await post(source.inbound_path, signed.body, signed.headers);
      expect(stale.statusCode).toBe(401);
      expect(stale.headers['content-type']).toContain('application/problem+json');
      expect(stale.json().errors[0]).toMatchObject({ path: '/headers/x-hubspot-request-timestamp' });
      clock.set(new Date(1719590401000 + 60_000));
      const tampered = Buffer.from(signed.body.toString().replace('closedwon', 'closedwoN'));
      const bad = await post(source.inbound_path, tampered, signed.headers);
      expect(bad.statusCode).toBe(401);
      expect(bad.json().errors[0]).toMatchObject({ path: '/headers/x-hubspot-signature-v3' });
      const refused = (await events(source.id)).filter((e) => e.outcome === 'refused');
      expect(refused.map((e) => e.problems[0].message).sort()).toEqual([
        expect.stringContaining('does not match'),
        expect.stringContaining('stale'),
      ]);
      const everything =
        JSON.stringify(await events(source.id)) +
        JSON.stringify((await admin('GET', '/api/v1/integration-sources')).body);
      expect(everything).not.toContain('test-client-secret-0000');
      expect(everything).not.toContain(signed.headers['x-hubspot-signature-v3']);
    });
    it('answers each event of a batch: a new won deal created, another property change ignored', async () => {
      const now = 1719590401000 + 120_000;
      clock.set(new Date(now));
      const events = [
        {
          objectId: 99001,
          propertyName: 'dealstage',
          propertyValue: 'closedwon',
          eventId: 1001,
          subscriptionType: 'deal.propertyChange',
          portalId: 33,
          occurredAt: now,
        },
        {
          objectId: 99002,
          propertyName: 'amount',
          propertyValue: '10',
          eventId: 1002,
          subscriptionType: 'deal.propertyChange',
          portalId: 33,
          occurredAt: now,
        },
      ];
      const body = JSON.stringify(events);
      const signature = createHmac('sha256', 'test-client-secret-0000')
        .update(`POSThttps://handoff.example.test/webhooks/hubspot${body}${now}`)
        .digest('base64');
      const res = await post(source.inbound_path, body, {
        'x-hubspot-signature-v3': signature,
        'x-hubspot-request-timestamp': String(now),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().deals.map((d: Json) => [d.external_id, d.outcome])).toEqual([
        ['1001', 'created'],
        ['1002', 'ignored'],
      ]);
    });
  });

  describe('Salesforce Outbound Message', () => {
    const xml = fixture('salesforce-closedwon.xml');
    let source: Json;
    beforeAll(async () => {
      ({ source } = await addSource({
        kind: 'salesforce',
        name: 'Salesforce',
        config: { playbook: 'crm-intake', organization_id: '00D000000000001AAA' },
      }));
      expect(source.secret.origin).toBe('none');
    });

    it('accepts the fixture, answers the Ack it expects, and maps the opportunity', async () => {
      const res = await post(source.inbound_path, xml, {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: '""',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('text/xml');
      expect(res.body).toBe(fixture('salesforce-ack.xml').toString().replace(/\s+$/, '\n'));
      const [event] = await events(source.id);
      expect(event).toMatchObject({ outcome: 'created', external_id: '04l000000000001AAA' });
      const handoff = await call(app, org.sales)('GET', `/api/v1/handoffs/${event.handoff_id}`);
      expect(handoff.body.packet.deal).toEqual({
        contract_value: { amount_minor: 4_500_000, currency: 'USD' },
        close_date: '2024-06-28',
        probability: 100,
      });
      const engagement = await call(app, org.sales)(
        'GET',
        `/api/v1/engagements/${event.result.engagement_id}`,
      );
      expect(engagement.body).toMatchObject({
        name: 'Acme - 400 Widgets',
        external_ids: { salesforce: '006000000000001AAA' },
      });
      const account = await call(app, org.sales)('GET', `/api/v1/accounts/${engagement.body.account_id}`);
      expect(account.body.external_ids).toEqual({ salesforce: '001000000000001AAA' });
      // Unmapped values are listed, not dropped.
      expect(event.problems.map((p: Json) => p.path)).toContain('/deal/OwnerId');
    });

    it('takes a message of several notifications: each won one created, the rest ignored', async () => {
      const notification = (id: string, opportunity: string, won: boolean) =>
        `<Notification><Id>${id}</Id><sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${opportunity}</sf:Id><sf:Name>Deal ${opportunity}</sf:Name><sf:IsWon>${won}</sf:IsWon></sObject></Notification>`;
      const many = xml
        .toString()
        .replace(
          /<Notification>[\s\S]*<\/Notification>/,
          [
            notification('04l000000000002AAA', '006000000000002AAA', true),
            notification('04l000000000003AAA', '006000000000003AAA', false),
            notification('04l000000000004AAA', '006000000000004AAA', true),
          ].join(''),
        );
      const before = await count('engagements');
      const res = await post(source.inbound_path, many, { 'content-type': 'text/xml' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).toContain('<Ack>true</Ack>');
      expect((await count('engagements')) - before).toBe(2);
      const again = await post(source.inbound_path, many, { 'content-type': 'text/xml' });
      expect(again.statusCode).toBe(200);
      expect((await count('engagements')) - before).toBe(2);
    });

    it('refuses a message from another organisation', async () => {
      const other = xml.toString().replace('00D000000000001AAA', '00D000000000009ZZZ');
      const res = await post(source.inbound_path, other, { 'content-type': 'text/xml' });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses XML with a DOCTYPE, and malformed XML, naming why', async () => {
      const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml.toString().split('?>')[1]}`;
      const res = await post(source.inbound_path, doctype, { 'content-type': 'text/xml' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].message).toContain('DOCTYPE');
      const cut = await post(source.inbound_path, xml.subarray(0, 400), { 'content-type': 'text/xml' });
      expect(cut.statusCode).toBe(400);
    });
  });

  describe('Pipedrive won deal', () => {
    const body = fixture('pipedrive-won.json');
    let source: Json;
    let secret: string;
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`baton:${password}`).toString('base64')}`,
    });
    beforeAll(async () => {
      ({ source, secret } = (await addSource({
        kind: 'pipedrive',
        name: 'Pipedrive',
        config: { playbook: 'crm-intake' },
      })) as {
        source: Json;
        secret: string;
      });
    });

    it('replayed five times creates one engagement, and says the repeats were duplicates', async () => {
      const before = await count('engagements');
      const outcomes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await post(source.inbound_path, body, basic(secret));
        expect(res.statusCode, res.body).toBe(200);
        outcomes.push(res.json().deals[0].outcome);
      }
      expect(outcomes).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
      expect((await count('engagements')) - before).toBe(1);
    });

    it('lists the invalid and the unmapped fields on the draft', async () => {
      const [event] = await events(source.id);
      const notes = await call(app, org.sales)('GET', `/api/v1/handoffs/${event.handoff_id}/inbound-notes`);
      const problems = notes.body.items[0].problems as Json[];
      expect(problems).toContainEqual({
        path: '/packet/deal/probability',
        message: expect.stringContaining('is not a number'),
      });
      expect(problems.map((p) => p.path)).toEqual(
        expect.arrayContaining(['/deal/data/close_time', '/deal/data/first_won_time']),
      );
      // The currency went with the money value; ids and bookkeeping are not values of the deal.
      expect(problems.map((p) => p.path)).not.toContain('/deal/data/currency');
      expect(problems.map((p) => p.path)).not.toContain('/deal/meta/id');
      const handoff = await call(app, org.sales)('GET', `/api/v1/handoffs/${event.handoff_id}`);
      expect(handoff.body.packet.deal).toEqual({
        contract_value: { amount_minor: 4_000_000, currency: 'USD' },
        close_date: '2024-06-30',
      });
    });

    it('makes one account of three deals of a new company sent at once', async () => {
      const deal = (n: number) =>
        Buffer.from(
          body
            .toString()
            .replace('"id": 746', `"id": ${8000 + n}`)
            .replace('6ba407fc-006d-4556-9804-8298e584a288', `race-${n}`)
            .replace('"org_id": 130', '"org_id": 9999'),
        );
      const answers = await Promise.all(
        [1, 2, 3].map((n) => post(source.inbound_path, deal(n), basic(secret))),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
      const accounts = new Set(answers.map((a) => a.json().deals[0].account_id));
      expect(accounts.size).toBe(1);
      const holders = await store.db
        .selectFrom('record_external_ids')
        .select('record_id')
        .where('org_id', '=', org.id)
        .where('record_type', '=', 'account')
        .where('system', '=', 'pipedrive')
        .where('external_id', '=', '9999')
        .execute();
      expect(holders).toHaveLength(1);
    });

    it('refuses a wrong password, and the old secret once rotated', async () => {
      expect((await post(source.inbound_path, body, basic('not-it'))).statusCode).toBe(401);
      const rotated = await admin('POST', `/api/v1/integration-sources/${source.id}/secret`, {});
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(secret);
      const old = await post(source.inbound_path, body, basic(secret));
      expect(old.statusCode).toBe(401);
      const fresh = await post(source.inbound_path, body, basic(rotated.body.secret));
      expect(fresh.json().deals[0].outcome).toBe('duplicate');
    });

    it('writes nothing of a deal whose draft cannot be opened: one transaction per deal', async () => {
      const { source: broken, secret: password } = (await addSource({
        kind: 'pipedrive',
        name: 'Partners pipeline',
        config: { playbook: 'crm-intake-partners' },
      })) as { source: Json; secret: string };
      const other = Buffer.from(
        body
          .toString()
          .replace('"id": 746', '"id": 747')
          .replace('6ba407fc', '7ba407fc')
          .replace('"org_id": 130', '"org_id": 131'),
      );
      const before = await Promise.all([count('accounts'), count('engagements'), count('handoffs')]);
      const res = await post(broken.inbound_path, other, basic(password));
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toContainEqual(expect.objectContaining({ path: '/sending_team' }));
      expect(await Promise.all([count('accounts'), count('engagements'), count('handoffs')])).toEqual(before);
      expect(await events(broken.id)).toEqual([]);
    });

    it('refuses an oversized body with 413 and an unknown source with 404', async () => {
      const huge = Buffer.alloc(600 * 1024, 0x20);
      expect((await post(source.inbound_path, huge, basic(secret))).statusCode).toBe(413);
      const missing = await post('/api/v1/inbound/crm/01HZZZZZZZZZZZZZZZZZZZZZZZ', body, basic(secret));
      expect(missing.statusCode).toBe(404);
    });
  });

  describe('status hooks', () => {
    let engagementId: string;
    beforeAll(async () => {
      const sales = call(app, org.sales);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Tower Co' });
      engagementId = (
        await sales('POST', '/api/v1/engagements', {
          account_id: account.body.id,
          name: 'Tower fit-out',
          external_ids: { clickup: '1vj38vv', procore: '2468013579' },
        })
      ).body.id;
    });

    it('records the milestone a ClickUp status maps to, once', async () => {
      const signed = httpFixture('clickup-status.http');
      const { source } = await addSource({
        kind: 'clickup',
        name: 'ClickUp',
        config: { milestones: { 'In Progress': 'Installation started' } },
        secret: 'FAKE_CLICKUP_WEBHOOK_SECRET_0000',
      });
      expect(source.inbound_path).toBe(`/api/v1/inbound/status/${source.id}`);
      const first = await post(source.inbound_path, signed.body, signed.headers);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().events[0]).toMatchObject({
        outcome: 'recorded',
        milestone: 'Installation started',
        engagement_id: engagementId,
      });
      const again = await post(source.inbound_path, signed.body, signed.headers);
      expect(again.json().events[0].outcome).toBe('duplicate');
      const bad = await post(source.inbound_path, signed.body, {
        ...signed.headers,
        'x-signature': '00'.repeat(32),
      });
      expect(bad.statusCode).toBe(401);
      const milestones = await call(app, org.viewer)(
        'GET',
        `/api/v1/engagements/${engagementId}/inbound-milestones`,
      );
      expect(milestones.body.items).toMatchObject([
        { milestone: 'Installation started', status: 'in progress', reached_at: '2022-01-21T03:34:33.330Z' },
      ]);
    });

    it('records a Procore project update with its fixed Authorization header', async () => {
      const { source, secret } = await addSource({
        kind: 'procore',
        name: 'Procore',
        config: { milestones: { 'Projects.update': 'Project updated' } },
      });
      const body = fixture('procore-project-update.json');
      const res = await post(source.inbound_path, body, { authorization: `Bearer ${secret}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().events[0]).toMatchObject({ outcome: 'recorded', milestone: 'Project updated' });
      expect((await post(source.inbound_path, body, { authorization: 'Bearer nope' })).statusCode).toBe(401);
    });
  });

  describe('the sources API', () => {
    it("lists masked secrets, checks each kind's config, and is for admins only", async () => {
      const list = await admin('GET', '/api/v1/integration-sources');
      expect(list.status).toBe(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const s of list.body.items) expect(['••••••••', null]).toContain(s.secret.masked);
      const bad = await admin('POST', '/api/v1/integration-sources', {
        kind: 'salesforce',
        name: 'x',
        config: { playbook: 'Bad Key', organization_id: 'nope', extra: 1 },
        secret: 'should-not-be-here',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual([
        '/config/extra',
        '/config/organization_id',
        '/config/playbook',
        '/secret',
      ]);
      expect((await call(app, org.sales)('GET', '/api/v1/integration-sources')).status).toBe(403);
      const disabled = await admin('PATCH', `/api/v1/integration-sources/${list.body.items[0].id}`, {
        enabled: false,
      });
      expect(disabled.body.enabled).toBe(false);
    });
  });
});
