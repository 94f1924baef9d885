import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, seedOrg, type TestOrg, testApp } from '../../test/support/app.js';
import { DIALECTS, openTestStore, sealAll, sealedAuditOf } from '../../test/support/stores.js';
import type { ManualClock } from '../kernel/clock.js';
import type { Deps } from '../kernel/context.js';
import type { Api } from '../kernel/http/build-app.js';

const paths = (body: Json): string[] => (body.errors ?? []).map((e: { path: string }) => e.path).sort();

describe.each(DIALECTS)('accounts, contacts and engagements on %s', (dialect) => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let orgA: TestOrg;
  let orgB: TestOrg;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    orgA = await seedOrg(deps, 'Acme');
    orgB = await seedOrg(deps, 'Other Co');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const auditOf = (entityId: string) => sealedAuditOf(store, entityId);

  const newAccount = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await call(app, orgA.sales)('POST', '/api/v1/accounts', { name, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  describe('accounts', () => {
    it('creates, reads, lists and edits an account, auditing each change', async () => {
      const sales = call(app, orgA.sales);
      const created = await sales('POST', '/api/v1/accounts', {
        name: '  Harbor Logistics ',
        external_ids: { salesforce: '001ABC', hubspot: '42' },
        notes: 'Three warehouses',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Harbor Logistics',
        external_ids: { salesforce: '001ABC', hubspot: '42' },
        notes: 'Three warehouses',
      });
      const id = created.body.id as string;

      expect((await sales('GET', `/api/v1/accounts/${id}`)).body).toEqual(created.body);

      clock.advance(60_000);
      const updated = await sales('PATCH', `/api/v1/accounts/${id}`, {
        name: 'Harbor Logistics Ltd',
        external_ids: { salesforce: '001ABC' },
        notes: null,
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        name: 'Harbor Logistics Ltd',
        external_ids: { salesforce: '001ABC' },
        notes: null,
      });
      expect(updated.body.updated_at).not.toBe(created.body.updated_at);

      // A PATCH that changes nothing writes nothing.
      const same = await sales('PATCH', `/api/v1/accounts/${id}`, { name: 'Harbor Logistics Ltd' });
      expect(same.status).toBe(200);
      expect(same.body.updated_at).toBe(updated.body.updated_at);

      const entries = await auditOf(id);
      expect(entries.map((e) => e.action)).toEqual(['account.created', 'account.updated']);
      expect(entries.every((e) => e.org_id === orgA.id && e.actor_id === orgA.userIds.sales)).toBe(true);
      expect(JSON.parse(entries[1]!.before!)).toEqual({
        name: 'Harbor Logistics',
        external_ids: { salesforce: '001ABC', hubspot: '42' },
        notes: 'Three warehouses',
      });
      expect(JSON.parse(entries[1]!.after!)).toEqual({
        name: 'Harbor Logistics Ltd',
        external_ids: { salesforce: '001ABC' },
        notes: null,
      });
    });

    it('searches by part of the name in any case, pages and counts', async () => {
      const sales = call(app, orgA.sales);
      for (const name of [
        'Zeta Search One',
        'zeta search two',
        'ZETA SEARCH THREE',
        'Zeta 100% Pure',
        'Zeta_x',
      ]) {
        await newAccount(name);
      }
      const all = await sales('GET', '/api/v1/accounts?q=zeta%20SEARCH');
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items).toHaveLength(3);

      const page = await sales('GET', '/api/v1/accounts?q=zeta%20search&limit=2&offset=2');
      expect(page.body.total).toBe(3);
      expect(page.body.items).toHaveLength(1);

      // LIKE wildcards in the search are plain characters.
      const percent = await sales('GET', `/api/v1/accounts?q=${encodeURIComponent('100%')}`);
      expect(percent.body.items.map((a: Json) => a.name)).toEqual(['Zeta 100% Pure']);
      const underscore = await sales('GET', '/api/v1/accounts?q=zeta_');
      expect(underscore.body.items.map((a: Json) => a.name)).toEqual(['Zeta_x']);

      const bad = await sales('GET', '/api/v1/accounts?limit=0&offset=-1&colour=red');
      expect(bad.status).toBe(400);
      expect(paths(bad.body)).toEqual(['/querystring/colour', '/querystring/limit', '/querystring/offset']);
    });

    it('lists every problem with an account at once', async () => {
      const sales = call(app, orgA.sales);
      const typed = await sales('POST', '/api/v1/accounts', {
        name: 5,
        external_ids: 'sf-1',
        notes: 7,
        colour: 'red',
      });
      expect(typed.status).toBe(400);
      expect(typed.raw.headers['content-type']).toContain('application/problem+json');
      expect(typed.body.type).toBe('/problems/validation-failed');
      expect(paths(typed.body)).toEqual(['/colour', '/external_ids', '/name', '/notes']);

      const values = await sales('POST', '/api/v1/accounts', {
        name: '   ',
        external_ids: { 'Sales Force': '1', hubspot: '   ' },
      });
      expect(values.status).toBe(400);
      expect(paths(values.body)).toEqual(['/external_ids/Sales Force', '/external_ids/hubspot', '/name']);

      const missing = await sales('POST', '/api/v1/accounts', {});
      expect(missing.status).toBe(400);
      expect(paths(missing.body)).toEqual(['/name']);
    });
  });

  describe('contacts', () => {
    it('creates, reads, lists by account and role, and edits a contact', async () => {
      const sales = call(app, orgA.sales);
      const account = await newAccount('Contact Co');
      const other = await newAccount('Contact Co Two');
      const dana = await sales('POST', '/api/v1/contacts', {
        account_id: account.id,
        name: 'Dana Whitfield',
        email: 'Dana@Client.Example',
        phone: '+1 555 0100',
        title: 'COO',
        role: 'buyer',
      });
      expect(dana.status).toBe(201);
      expect(dana.body).toMatchObject({
        account_id: account.id,
        name: 'Dana Whitfield',
        email: 'dana@client.example',
        phone: '+1 555 0100',
        title: 'COO',
        role: 'buyer',
      });
      const luis = await sales('POST', '/api/v1/contacts', {
        account_id: account.id,
        name: 'Luis Ortega',
        role: 'champion',
      });
      expect(luis.status).toBe(201);
      expect(luis.body).toMatchObject({ email: null, phone: null, title: null });
      await sales('POST', '/api/v1/contacts', { account_id: other.id, name: 'Elsewhere', role: 'buyer' });

      expect((await sales('GET', `/api/v1/contacts/${dana.body.id}`)).body).toEqual(dana.body);

      const ofAccount = await sales('GET', `/api/v1/contacts?account_id=${account.id}`);
      expect(ofAccount.body.total).toBe(2);
      expect(ofAccount.body.items.map((c: Json) => c.name)).toEqual(['Dana Whitfield', 'Luis Ortega']);
      const buyers = await sales('GET', `/api/v1/contacts?account_id=${account.id}&role=buyer`);
      expect(buyers.body.items.map((c: Json) => c.id)).toEqual([dana.body.id]);
      const badRole = await sales('GET', '/api/v1/contacts?role=boss');
      expect(badRole.status).toBe(400);
      expect(paths(badRole.body)).toEqual(['/querystring/role']);

      const edited = await sales('PATCH', `/api/v1/contacts/${dana.body.id}`, {
        role: 'decision_maker',
        title: null,
        email: 'dana@new.example',
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        role: 'decision_maker',
        title: null,
        email: 'dana@new.example',
        name: 'Dana Whitfield',
      });

      const entries = await auditOf(dana.body.id);
      expect(entries.map((e) => e.action)).toEqual(['contact.created', 'contact.updated']);
      expect(JSON.parse(entries[1]!.before!)).toEqual({
        role: 'buyer',
        title: 'COO',
        email: 'dana@client.example',
      });
      expect(JSON.parse(entries[1]!.after!)).toEqual({
        role: 'decision_maker',
        title: null,
        email: 'dana@new.example',
      });
    });

    it('lists a bad role, a bad e-mail and an unknown field together', async () => {
      const sales = call(app, orgA.sales);
      const account = await newAccount('Bad Contact Co');
      const res = await sales('POST', '/api/v1/contacts', {
        account_id: account.id,
        name: 'Pat',
        role: 'boss',
        email: 'not-an-email',
        nickname: 'P',
      });
      expect(res.status).toBe(400);
      expect(paths(res.body)).toEqual(['/email', '/nickname', '/role']);
      const role = res.body.errors.find((e: Json) => e.path === '/role');
      expect(role.message).toContain('buyer, champion, decision_maker, operator, sponsor, other');

      const typed = await sales('POST', '/api/v1/contacts', { account_id: 12, name: ['Pat'], phone: false });
      expect(typed.status).toBe(400);
      expect(paths(typed.body)).toEqual(['/account_id', '/name', '/phone', '/role']);

      const patch = await sales('PATCH', `/api/v1/contacts/${randomUUID()}`, {
        role: 'boss',
        account_id: 'x',
      });
      expect(patch.status).toBe(400);
      expect(paths(patch.body)).toEqual(['/account_id', '/role']);
    });

    it('names /account_id when the account is unknown or another organisation’s', async () => {
      const sales = call(app, orgA.sales);
      const theirs = await call(app, orgB.sales)('POST', '/api/v1/accounts', { name: 'Their account' });
      for (const accountId of [randomUUID(), 'not-an-id', theirs.body.id]) {
        const res = await sales('POST', '/api/v1/contacts', {
          account_id: accountId,
          name: '  ',
          role: 'buyer',
        });
        expect(res.status).toBe(400);
        expect(paths(res.body)).toEqual(['/account_id', '/name']);
        expect(res.body.errors[0].message).toBe('no such account in this organisation');
      }
    });
  });

  describe('engagements', () => {
    it('creates, reads with handoff counts, lists with filters, and edits an engagement', async () => {
      const sales = call(app, orgA.sales);
      const account = await newAccount('Engaged Co');
      const second = await newAccount('Engaged Co Two');
      const created = await sales('POST', '/api/v1/engagements', {
        account_id: account.id,
        name: 'Close automation',
        stage: 'closed_won',
        owner_id: orgA.userIds.sales,
        external_ids: { salesforce: '006XYZ' },
        contract_signed_at: '2026-01-05T10:30:00+01:00',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        account_id: account.id,
        name: 'Close automation',
        stage: 'closed_won',
        owner_id: orgA.userIds.sales,
        external_ids: { salesforce: '006XYZ' },
        contract_signed_at: '2026-01-05T09:30:00.000Z',
      });
      const id = created.body.id as string;
      clock.advance(1000);
      const bare = await sales('POST', '/api/v1/engagements', { account_id: second.id, name: 'Second' });
      expect(bare.body).toMatchObject({
        stage: null,
        owner_id: null,
        external_ids: {},
        contract_signed_at: null,
      });

      const handoff = await sales('POST', '/api/v1/handoffs', {
        engagement_id: id,
        playbook: 'professional-services',
        transition: 'sales-to-delivery',
      });
      expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
      const got = await sales('GET', `/api/v1/engagements/${id}`);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ ...created.body, handoffs: { total: 1 } });
      expect(got.body.handoffs.by_state).toEqual({
        draft: 1,
        submitted: 0,
        accepted: 0,
        rejected: 0,
        withdrawn: 0,
        in_delivery: 0,
        closed: 0,
      });

      const ofAccount = await sales('GET', `/api/v1/engagements?account_id=${account.id}`);
      expect(ofAccount.body).toMatchObject({ total: 1, items: [{ id }] });
      expect(ofAccount.body.items[0].handoffs).toBeUndefined();
      const byStage = await sales('GET', '/api/v1/engagements?stage=closed_won');
      expect(byStage.body.items.map((e: Json) => e.id)).toEqual([id]);
      const mine = await sales('GET', '/api/v1/engagements?owner=me');
      expect(mine.body.items.map((e: Json) => e.id)).toEqual([id]);
      const byOwner = await call(app, orgA.admin)('GET', `/api/v1/engagements?owner=${orgA.userIds.sales}`);
      expect(byOwner.body.items.map((e: Json) => e.id)).toEqual([id]);
      const all = await sales('GET', '/api/v1/engagements?limit=1');
      expect(all.body.items).toHaveLength(1);
      expect(all.body.total).toBeGreaterThanOrEqual(2);

      clock.advance(1000);
      const edited = await sales('PATCH', `/api/v1/engagements/${id}`, {
        stage: 'kickoff',
        owner_id: orgA.userIds.operations,
        external_ids: { salesforce: '006XYZ', hubspot: 'deal-9' },
        contract_signed_at: null,
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        stage: 'kickoff',
        owner_id: orgA.userIds.operations,
        external_ids: { salesforce: '006XYZ', hubspot: 'deal-9' },
        contract_signed_at: null,
        name: 'Close automation',
      });

      const entries = await auditOf(id);
      expect(entries.map((e) => e.action)).toEqual(['engagement.created', 'engagement.updated']);
      expect(entries.every((e) => e.engagement_id === id)).toBe(true);
      expect(JSON.parse(entries[1]!.after!)).toEqual({
        stage: 'kickoff',
        owner_id: orgA.userIds.operations,
        external_ids: { salesforce: '006XYZ', hubspot: 'deal-9' },
        contract_signed_at: null,
      });
      // The engagement's timeline finds its own changes and its handoff's.
      await sealAll(store);
      const timeline = await store.db
        .selectFrom('audit_log')
        .select('action')
        .where('org_id', '=', orgA.id)
        .where('engagement_id', '=', id)
        .orderBy('seq')
        .execute();
      // The handoff's creation also records the contract signing as a milestone and opens the
      // checkpoint due by then (the promise audit).
      expect(timeline.map((e) => e.action)).toEqual([
        'engagement.created',
        'handoff.created',
        'milestone.recorded',
        'checkpoint.created',
        'engagement.updated',
      ]);
    });

    it('lists every problem with an engagement at once', async () => {
      const sales = call(app, orgA.sales);
      const account = await newAccount('Strict Co');
      const values = await sales('POST', '/api/v1/engagements', {
        account_id: randomUUID(),
        name: ' ',
        owner_id: orgB.userIds.sales,
        contract_signed_at: '2026-01-05T10:30:00',
        external_ids: { 'CRM!': 'x' },
      });
      expect(values.status).toBe(400);
      // The date-time format is the schema's; the rest are the use case's, so they come in one answer
      // only when the shapes are right.
      expect(paths(values.body)).toEqual(['/contract_signed_at']);

      const domain = await sales('POST', '/api/v1/engagements', {
        account_id: randomUUID(),
        name: ' ',
        owner_id: orgB.userIds.sales,
        external_ids: { 'CRM!': 'x' },
      });
      expect(domain.status).toBe(400);
      expect(paths(domain.body)).toEqual(['/account_id', '/external_ids/CRM!', '/name', '/owner_id']);

      const typed = await sales('POST', '/api/v1/engagements', {
        account_id: account.id,
        name: 'Ok',
        stage: 3,
        external_ids: { salesforce: 1 },
        contract_signed_at: 'yesterday',
        owner: 'me',
      });
      expect(typed.status).toBe(400);
      expect(paths(typed.body)).toEqual([
        '/contract_signed_at',
        '/external_ids/salesforce',
        '/owner',
        '/stage',
      ]);

      const engagement = await sales('POST', '/api/v1/engagements', { account_id: account.id, name: 'Fine' });
      const patch = await sales('PATCH', `/api/v1/engagements/${engagement.body.id}`, {
        name: '',
        account_id: account.id,
      });
      expect(patch.status).toBe(400);
      expect(paths(patch.body)).toEqual(['/account_id', '/name']);
      const owner = await sales('PATCH', `/api/v1/engagements/${engagement.body.id}`, { owner_id: 'nobody' });
      expect(owner.status).toBe(400);
      expect(paths(owner.body)).toEqual(['/owner_id']);
    });
  });

  describe('external ids', () => {
    it('finds accounts, contacts and engagements by the ids they carry, as system:id or in any system', async () => {
      const sales = call(app, orgA.sales);
      const account = await newAccount('Ext Co', { external_ids: { salesforce: '001EXT', hubspot: 'H-7' } });
      const other = await newAccount('Ext Two', { external_ids: { hubspot: '001EXT' } });
      const contact = await sales('POST', '/api/v1/contacts', {
        account_id: account.id,
        name: 'Ext Person',
        role: 'buyer',
        external_ids: { hubspot: 'C-51', legacy: 'a:b' },
      });
      expect(contact.status, JSON.stringify(contact.body)).toBe(201);
      expect(contact.body.external_ids).toEqual({ hubspot: 'C-51', legacy: 'a:b' });
      const engagement = await sales('POST', '/api/v1/engagements', {
        account_id: account.id,
        name: 'Ext deal',
        external_ids: { crm: 'DEAL-1042' },
      });
      const ids = async (route: string, value: string) => {
        const res = await sales('GET', `/api/v1/${route}?external_id=${encodeURIComponent(value)}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.total).toBe(res.body.items.length);
        return res.body.items.map((r: Json) => r.id).sort();
      };
      expect(await ids('engagements', 'crm:DEAL-1042')).toEqual([engagement.body.id]);
      expect(await ids('engagements', 'DEAL-1042')).toEqual([engagement.body.id]);
      expect(await ids('engagements', 'salesforce:DEAL-1042')).toEqual([]);
      expect(await ids('accounts', 'salesforce:001EXT')).toEqual([account.id]);
      expect(await ids('accounts', '001EXT')).toEqual([account.id, other.id].sort());
      expect(await ids('accounts', 'hubspot:001EXT')).toEqual([other.id]);
      expect(await ids('contacts', 'hubspot:C-51')).toEqual([contact.body.id]);
      // An id holding a colon is found whole, with or without its system.
      expect(await ids('contacts', 'a:b')).toEqual([contact.body.id]);
      expect(await ids('contacts', 'legacy:a:b')).toEqual([contact.body.id]);
      // Another organisation's records are never found.
      const theirs = await call(app, orgB.sales)('GET', '/api/v1/engagements?external_id=crm:DEAL-1042');
      expect(theirs.body).toEqual({ items: [], total: 0 });

      // Replacing the map replaces what is found.
      await sales('PATCH', `/api/v1/engagements/${engagement.body.id}`, {
        external_ids: { crm: 'DEAL-2000' },
      });
      expect(await ids('engagements', 'crm:DEAL-1042')).toEqual([]);
      expect(await ids('engagements', 'crm:DEAL-2000')).toEqual([engagement.body.id]);
      await sales('PATCH', `/api/v1/contacts/${contact.body.id}`, { external_ids: {} });
      expect(await ids('contacts', 'C-51')).toEqual([]);
      await sales('PATCH', `/api/v1/accounts/${other.id}`, { name: 'Ext Two renamed' });
      expect(await ids('accounts', 'hubspot:001EXT')).toEqual([other.id]);
    });

    it('looks an id up through its index, not by reading the organisation', async () => {
      const { recordsWithExternalId } = await import('./use-cases/external-id-records.js');
      const { sql } = await import('kysely');
      const query = store.db
        .selectFrom('engagements')
        .select('id')
        .where('org_id', '=', orgA.id)
        .where('id', 'in', recordsWithExternalId(store.db, orgA.id, 'engagement', 'crm:DEAL-1'))
        .compile();
      const plan =
        dialect === 'sqlite'
          ? (await sql.raw(`EXPLAIN QUERY PLAN ${inline(query)}`).execute(store.db)).rows
          : await store.db.transaction().execute(async (trx) => {
              await sql`SET LOCAL enable_seqscan = off`.execute(trx);
              return (await sql.raw(`EXPLAIN ${inline(query)}`).execute(trx)).rows;
            });
      expect(JSON.stringify(plan)).toContain('record_external_ids_lookup');
    });

    it('fills the lookup, when migrating, from the ids accounts and engagements already carry', async () => {
      const migration = await import('../kernel/db/migrations/0008-external-ids.js');
      const account = await newAccount('Before Co', { external_ids: { erp: 'E-1' } });
      const engagement = await call(app, orgA.sales)('POST', '/api/v1/engagements', {
        account_id: account.id,
        name: 'Before deal',
        external_ids: { crm: 'OLD-1', erp: 'E-9' },
      });
      await migration.down(store.db);
      await migration.up(store.db);
      const rows = await store.db
        .selectFrom('record_external_ids')
        .selectAll()
        .where('record_id', 'in', [account.id, engagement.body.id])
        .orderBy('external_id')
        .execute();
      expect(rows).toEqual([
        { org_id: orgA.id, record_type: 'account', record_id: account.id, system: 'erp', external_id: 'E-1' },
        {
          org_id: orgA.id,
          record_type: 'engagement',
          record_id: engagement.body.id,
          system: 'erp',
          external_id: 'E-9',
        },
        {
          org_id: orgA.id,
          record_type: 'engagement',
          record_id: engagement.body.id,
          system: 'crm',
          external_id: 'OLD-1',
        },
      ]);
    });
  });

  describe('access', () => {
    let account: Json;
    let contact: Json;
    let engagement: Json;

    beforeAll(async () => {
      const sales = call(app, orgA.sales);
      account = await newAccount('Private Co');
      contact = (
        await sales('POST', '/api/v1/contacts', { account_id: account.id, name: 'Quinn', role: 'sponsor' })
      ).body;
      engagement = (
        await sales('POST', '/api/v1/engagements', { account_id: account.id, name: 'Private work' })
      ).body;
    });

    it('answers 404 to another organisation for every record, and lists none of them', async () => {
      const other = call(app, orgB.admin);
      for (const [kind, id] of [
        ['accounts', account.id],
        ['contacts', contact.id],
        ['engagements', engagement.id],
      ] as const) {
        const got = await other('GET', `/api/v1/${kind}/${id}`);
        expect(got.status, `${kind} GET`).toBe(404);
        expect(got.body.type).toBe('/problems/not-found');
        expect(
          (await other('PATCH', `/api/v1/${kind}/${id}`, { name: 'mine' })).status,
          `${kind} PATCH`,
        ).toBe(404);
        expect((await other('GET', `/api/v1/${kind}/not-a-uuid`)).status).toBe(404);
        const list = await other('GET', `/api/v1/${kind}`);
        expect(list.body.items.find((r: Json) => r.id === id)).toBeUndefined();
      }
      const contacts = await other('GET', `/api/v1/contacts?account_id=${account.id}`);
      expect(contacts.body).toEqual({ items: [], total: 0 });
      const engagements = await other('GET', `/api/v1/engagements?account_id=${account.id}`);
      expect(engagements.body).toEqual({ items: [], total: 0 });
      // Nothing changed.
      expect((await call(app, orgA.viewer)('GET', `/api/v1/accounts/${account.id}`)).body.name).toBe(
        'Private Co',
      );
    });

    it('lets a viewer read but not write', async () => {
      const viewer = call(app, orgA.viewer);
      for (const url of [
        '/api/v1/accounts',
        `/api/v1/accounts/${account.id}`,
        '/api/v1/contacts',
        `/api/v1/contacts/${contact.id}`,
        '/api/v1/engagements',
        `/api/v1/engagements/${engagement.id}`,
      ]) {
        expect((await viewer('GET', url)).status, url).toBe(200);
      }
      const writes: [method: 'POST' | 'PATCH', url: string, body: unknown][] = [
        ['POST', '/api/v1/accounts', { name: 'Nope' }],
        ['PATCH', `/api/v1/accounts/${account.id}`, { name: 'Nope' }],
        ['POST', '/api/v1/contacts', { account_id: account.id, name: 'Nope', role: 'other' }],
        ['PATCH', `/api/v1/contacts/${contact.id}`, { name: 'Nope' }],
        ['POST', '/api/v1/engagements', { account_id: account.id, name: 'Nope' }],
        ['PATCH', `/api/v1/engagements/${engagement.id}`, { name: 'Nope' }],
      ];
      for (const [method, url, body] of writes) {
        const res = await viewer(method, url, body);
        expect(res.status, `${method} ${url}`).toBe(403);
        expect(res.body.type).toBe('/problems/forbidden');
      }
      expect((await viewer('GET', `/api/v1/accounts/${account.id}`)).body.name).toBe('Private Co');
    });

    it('answers 401 without a valid token', async () => {
      for (const token of [null, 'bat_not-a-real-token']) {
        const anon = call(app, token);
        for (const url of [
          '/api/v1/accounts',
          `/api/v1/contacts/${contact.id}`,
          `/api/v1/engagements/${engagement.id}`,
        ]) {
          expect((await anon('GET', url)).status, url).toBe(401);
        }
        expect((await anon('POST', '/api/v1/accounts', { name: 'x' })).status).toBe(401);
      }
    });
  });
});

/** A compiled query with its parameters written in, for EXPLAIN (test values only: no quotes inside). */
function inline(query: { sql: string; parameters: readonly unknown[] }): string {
  let i = 0;
  return query.sql.replace(/\?|\$\d+/g, () => `'${String(query.parameters[i++])}'`);
}
