import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore } from './support/stores.js';

/** The header rows of the vendors' exports (copied from the shared fixtures, unedited). */
const FIXTURE = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'csv', name), 'utf8');

/** Sends a CSV file (text or a stream) to an import route. */
async function importCsv(app: Api, token: string, kind: string, payload: string | Readable) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/${kind}/import`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    payload,
  });
  return { status: res.statusCode, body: res.json() as Json, type: res.headers['content-type'] };
}

async function exportCsv(app: Api, token: string, url: string) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const rows =
    res.statusCode === 200 ? (parse(res.body, { bom: true, columns: true }) as Record<string, string>[]) : [];
  return { status: res.statusCode, body: res.body, rows, headers: res.headers };
}

describe.each(DIALECTS)('CSV import and export of accounts, contacts and engagements, on %s', (dialect) => {
  let app: Api;
  let store: Store;
  let a: TestOrg;
  let b: TestOrg;

  const count = async (org: TestOrg) => {
    const n: Record<string, number> = {};
    for (const table of ['accounts', 'contacts', 'engagements', 'record_external_ids'] as const)
      n[table] = Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('org_id', '=', org.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return n;
  };

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    a = await seedOrg(built.deps, 'CSV A');
    b = await seedOrg(built.deps, 'CSV B');
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it("reads Salesforce's and HubSpot's exports as they are, and a second import creates nothing", async () => {
    const report = await importCsv(
      app,
      a.sales,
      'engagements',
      FIXTURE('salesforce_opportunity_report_export.CONSTRUCTED.csv'),
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toEqual({
      kind: 'engagements',
      rows: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
      accounts_created: 1,
    });
    const hubspot = await importCsv(
      app,
      a.sales,
      'engagements',
      FIXTURE('hubspot_deals_export.CONSTRUCTED.csv'),
    );
    expect(hubspot.status, JSON.stringify(hubspot.body)).toBe(200);
    expect(hubspot.body.created).toBe(1);

    // The Bulk API result names its account by Salesforce id: the accounts come first, and
    // "Acme" (made by the report) is found by name and given its id.
    const accounts = await importCsv(app, a.sales, 'accounts', 'Id,Name\n001SM0000000iibYAA,Acme\n');
    expect(accounts.body).toMatchObject({ created: 0, updated: 1 });
    const bulk = await importCsv(
      app,
      a.sales,
      'engagements',
      FIXTURE('salesforce_opportunity_bulk_api_query_result.CONSTRUCTED.csv'),
    );
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    // The same opportunity as the report's: found by name within the account, given its id.
    expect(bulk.body).toMatchObject({ created: 0, updated: 1, accounts_created: 0 });

    const list = (await call(app, a.sales)('GET', '/api/v1/engagements?limit=200')).body.items as Json[];
    const acme = list.find((e) => e.name === 'Acme - 400 Widgets');
    expect(acme).toMatchObject({
      stage: 'Closed Won',
      contract_signed_at: '2024-06-28T00:00:00.000Z',
      external_ids: { salesforce: '006SM0000001Tb3YAE' },
    });
    const deal = list.find((e) => e.name === 'Custom data integrations');
    expect(deal).toMatchObject({
      stage: 'Closed won',
      contract_signed_at: '2019-12-07T16:50:00.000Z',
      external_ids: { hubspot: '512' },
    });
    const biglytics = await call(app, a.sales)('GET', `/api/v1/accounts/${deal.account_id}`);
    expect(biglytics.body.name).toBe('Biglytics');
    // Found by its external id, as the lookup table has it.
    const byId = await call(app, a.sales)('GET', '/api/v1/engagements?external_id=hubspot:512');
    expect(byId.body.items.map((e: Json) => e.id)).toEqual([deal.id]);

    const before = await count(a);
    for (const name of [
      'salesforce_opportunity_report_export.CONSTRUCTED.csv',
      'hubspot_deals_export.CONSTRUCTED.csv',
      'salesforce_opportunity_bulk_api_query_result.CONSTRUCTED.csv',
    ]) {
      const again = await importCsv(app, a.sales, 'engagements', FIXTURE(name));
      expect(again.body, name).toMatchObject({ created: 0, updated: 0, unchanged: 1, accounts_created: 0 });
    }
    expect(await count(a)).toEqual(before);
  });

  it('refuses a file with bad lines whole, naming each line and why, and writes nothing', async () => {
    const before = await count(a);
    const file = [
      'First Name,Last Name,Email,Job Title,Role,Associated Company',
      'Ada,Lovelace,ada@example.com,CTO,champion,Brand New Co',
      'Bad,Mail,not-an-email,,buyer,Brand New Co',
      'Too,Short,x@example.com',
      'Eve,Role,eve@example.com,,emperor,Brand New Co',
      ',,,,,',
      'Ada,Again,ADA@example.com,,buyer,Brand New Co',
      'No,Account,na@example.com,,buyer,',
    ].join('\r\n');
    const res = await importCsv(app, a.sales, 'contacts', file);
    expect(res.status).toBe(422);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.detail).toContain('nothing was imported');
    const byLine = (res.body.errors as Json[]).map((e) => [e.line, e.message]);
    expect(byLine).toEqual([
      [3, expect.stringContaining('email must be an e-mail address')],
      [4, 'line 4 has 3 cells; the header has 6'],
      [5, expect.stringContaining('role must be')],
      [8, expect.stringContaining('account is required')],
    ]);
    // Once every row reads, two rows of one person (same e-mail) are refused too.
    const twice = await importCsv(
      app,
      a.sales,
      'contacts',
      'Name,Email,Account Name\nAda,ada@example.com,Brand New Co\nAda L.,ADA@example.com,Brand New Co\n',
    );
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('same contact as line 2') }),
    ]);
    const unknownAccount = await importCsv(app, a.sales, 'engagements', 'Name,Account ID\nX,001NOPE\n');
    expect(unknownAccount.status).toBe(422);
    expect(unknownAccount.body.errors[0].message).toContain('account 001NOPE is no account');
    const header = await importCsv(app, a.sales, 'accounts', 'Name,Colour\nAcme,red\n');
    expect(header.status).toBe(422);
    expect(header.body.errors[0]).toMatchObject({ line: 1, message: expect.stringContaining('"Colour"') });
    const empty = await importCsv(app, a.sales, 'accounts', '');
    expect(empty.status).toBe(422);
    const broken = await importCsv(app, a.sales, 'accounts', 'Name\n"never closed\n');
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0].message).toContain('not valid CSV');
    // Nothing of any of these files was written, not even the account the first one named.
    expect(await count(a)).toEqual(before);
  });

  it('exports every list as CSV, safe to open, and the export imports back as it was', async () => {
    const sales = call(app, a.sales);
    const nasty = '=HYPERLINK("http://evil.example","click")';
    const account = await sales('POST', '/api/v1/accounts', {
      name: nasty,
      notes: 'line one\nline "two", with commas\n@SUM(1)',
      external_ids: { salesforce: '001RT', hubspot: '77' },
    });
    await sales('POST', '/api/v1/contacts', {
      account_id: account.body.id,
      name: '+Plus Person',
      email: 'plus@example.com',
      role: 'buyer',
    });
    await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: '-Minus Project' });

    const accounts = await exportCsv(app, a.sales, '/api/v1/accounts.csv');
    expect(accounts.status).toBe(200);
    expect(accounts.headers['content-type']).toContain('text/csv');
    expect(accounts.headers['content-disposition']).toBe('attachment; filename="accounts.csv"');
    expect(accounts.body.startsWith('\uFEFFid,name,external_ids,notes,created_at,updated_at\n')).toBe(true);
    // No cell starts with a formula character: a spreadsheet shows the text.
    for (const row of accounts.rows)
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(accounts.rows.find((r) => r.id === account.body.id)?.name).toBe(`'${nasty}`);
    const contacts = await exportCsv(app, a.sales, '/api/v1/contacts.csv');
    expect(contacts.rows.find((r) => r.email === 'plus@example.com')?.name).toBe("'+Plus Person");

    // Into the same organisation: every record is found as it is.
    for (const kind of ['accounts', 'contacts', 'engagements']) {
      const file = (await exportCsv(app, a.sales, `/api/v1/${kind}.csv`)).body;
      const total = (await sales('GET', `/api/v1/${kind}?limit=1`)).body.total;
      const back = await importCsv(app, a.sales, kind, file);
      expect(back.body, kind).toEqual({
        kind,
        rows: total,
        created: 0,
        updated: 0,
        unchanged: total,
        accounts_created: 0,
      });
    }
    // Into another organisation: the same accounts, as they were written (escapes undone).
    const intoB = await importCsv(app, b.sales, 'accounts', accounts.body);
    expect(intoB.status, JSON.stringify(intoB.body)).toBe(200);
    const found = await call(app, b.sales)('GET', '/api/v1/accounts?external_id=salesforce:001RT');
    expect(found.body.items).toEqual([
      expect.objectContaining({
        name: nasty,
        notes: 'line one\nline "two", with commas\n@SUM(1)',
        external_ids: { salesforce: '001RT', hubspot: '77' },
      }),
    ]);
    expect(found.body.items[0].id).not.toBe(account.body.id);

    // Lists of other features, with their filters, and one that pages by sequence number.
    const audit = await exportCsv(app, a.admin, '/api/v1/audit.csv');
    expect(audit.status).toBe(200);
    expect(audit.rows.some((r) => r.action === 'records.imported')).toBe(true);
    expect(Number(audit.rows.at(-1)!.seq)).toBe(audit.rows.length);
    const mine = await exportCsv(app, a.sales, `/api/v1/contacts.csv?account_id=${account.body.id}`);
    expect(mine.rows.map((r) => r.email)).toEqual(['plus@example.com']);
    const handoffs = await exportCsv(app, a.sales, '/api/v1/handoffs.csv');
    expect(handoffs.status).toBe(200);
    const notifications = await exportCsv(app, a.sales, '/api/v1/notifications.csv');
    expect(notifications.status).toBe(200);
    // Secrets are never exported: the vault's column is dropped, values and all.
    const engagement = (await sales('GET', `/api/v1/engagements?account_id=${account.body.id}`)).body
      .items[0];
    const vault = await call(app, a.operations)('POST', `/api/v1/engagements/${engagement.id}/vault`, {
      system: 'Door controller',
      secret: 'hunter2-very-secret',
    });
    expect(vault.status, JSON.stringify(vault.body)).toBe(201);
    const vaultCsv = await exportCsv(app, a.operations, `/api/v1/engagements/${engagement.id}/vault.csv`);
    expect(vaultCsv.status).toBe(200);
    expect(vaultCsv.rows.map((r) => r.system)).toEqual(['Door controller']);
    expect(Object.keys(vaultCsv.rows[0]!)).not.toContain('secret');
    expect(vaultCsv.body).not.toContain('hunter2');
    const tokens = await exportCsv(app, a.admin, '/api/v1/tokens.csv');
    expect(tokens.status).toBe(200);
    expect(tokens.body).not.toMatch(/bat_[A-Za-z0-9]{20,}/);
  });

  it('refuses callers without the capability, and never shows another organisation', async () => {
    const viewer = await importCsv(app, a.viewer, 'accounts', 'Name\nViewer Co\n');
    expect(viewer.status).toBe(403);
    expect(viewer.type).toContain('application/problem+json');
    expect(viewer.body.detail).toContain('may not import');
    const json = await call(app, a.sales)('POST', '/api/v1/accounts/import', { name: 'x' });
    expect(json.status).toBe(415);
    // A viewer reads lists, so exports them; a sales caller may not read the audit log.
    expect((await exportCsv(app, a.viewer, '/api/v1/accounts.csv')).status).toBe(200);
    const auditBySales = await exportCsv(app, a.sales, '/api/v1/audit.csv');
    expect(auditBySales.status).toBe(403);
    expect(auditBySales.headers['content-type']).toContain('application/problem+json');
    expect((await exportCsv(app, null as never, '/api/v1/accounts.csv')).status).toBe(401);

    await importCsv(app, b.sales, 'accounts', 'Name\nOnly In B\n');
    for (const kind of ['accounts', 'contacts', 'engagements']) {
      const fromA = await exportCsv(app, a.admin, `/api/v1/${kind}.csv`);
      const fromB = await exportCsv(app, b.admin, `/api/v1/${kind}.csv`);
      const idsB = new Set(fromB.rows.map((r) => r.id));
      expect(
        fromA.rows.filter((r) => idsB.has(r.id)),
        kind,
      ).toEqual([]);
      expect(fromA.body).not.toContain('Only In B');
    }
    // An account id of another organisation is no account here.
    const theirs = (await call(app, b.sales)('GET', '/api/v1/accounts?q=Only')).body.items[0].id;
    const cross = await importCsv(app, a.sales, 'engagements', `Name,Account ID\nX,${theirs}\n`);
    expect(cross.status).toBe(422);
    expect(cross.body.errors[0].line).toBe(2);
  });

  it('imports 50,000 rows as a stream, in bounded memory, answering other requests meanwhile', async () => {
    const ROWS = 50_000;
    async function* file() {
      yield 'Record ID,Company Name,Description\n';
      for (let i = 0; i < ROWS; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `HS-${j},Bulk company ${j},Imported in bulk (row ${j})\n`;
        yield chunk;
      }
    }
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }, 20);
    let importDone = 0;
    const started = performance.now();
    const importing = importCsv(app, a.operations, 'accounts', Readable.from(file())).then((r) => {
      importDone = performance.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    const answered = performance.now();
    expect(health.statusCode).toBe(200);
    const done = await importing;
    clearInterval(sampler);
    expect(done.status, JSON.stringify(done.body).slice(0, 500)).toBe(200);
    expect(done.body).toMatchObject({ rows: ROWS, created: ROWS });
    expect(answered).toBeLessThan(importDone);
    const grew = (peak - heapBefore) / 1024 / 1024;
    console.log(
      `${dialect}: ${ROWS} rows imported in ${Math.round(importDone - started)} ms, heap grew ${grew.toFixed(0)} MiB at most`,
    );
    expect(grew).toBeLessThan(400);
    const again = await importCsv(app, a.operations, 'accounts', Readable.from(file()));
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: ROWS });
  }, 300_000);
});
