import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCsvCell, unescapeCsvCell } from '../src/kernel/csv/escape.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealedAuditOf } from './support/stores.js';

const HEADER = 'Type,Make,Model,Serial,Location,Network address,Firmware version,Installed on,Warranty until';

/** Sends a CSV file to the import route. */
async function importCsv(app: Api, token: string, engagementId: string, csv: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/engagements/${engagementId}/inventory/import`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    payload: csv,
  });
  return { status: res.statusCode, body: res.json() as Json, raw: res };
}

describe('CSV cells are escaped against formulas and read back as written', () => {
  it('guards every formula start and round-trips any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ', ',') }),
        (text) => {
          const cell = escapeCsvCell(text);
          expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
          expect(unescapeCsvCell(cell)).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
    expect(escapeCsvCell('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(escapeCsvCell('Camera')).toBe('Camera');
  });
});

describe.each(DIALECTS)('the inventory of an engagement, on %s', (dialect) => {
  let app: Api;
  let store: Store;
  let a: TestOrg;
  let b: TestOrg;
  let engagement: string;
  let other: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const built = await testApp(store);
    app = built.app;
    const deps = built.deps;
    a = await seedOrg(deps, 'Inventory A');
    b = await seedOrg(deps, 'Inventory B');
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    engagement = (
      await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'HQ cameras' })
    ).body.id;
    const accountB = await call(app, b.sales)('POST', '/api/v1/accounts', { name: 'B' });
    other = (
      await call(app, b.sales)('POST', '/api/v1/engagements', { account_id: accountB.body.id, name: 'B' })
    ).body.id;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const count = async (engagementId: string) =>
    (await call(app, a.viewer)('GET', `/api/v1/engagements/${engagementId}/inventory`)).body.total as number;

  it('adds, edits and removes items, refusing a serial the engagement has and bad days, audited', async () => {
    const ops = call(app, a.operations);
    const added = await ops('POST', `/api/v1/engagements/${engagement}/inventory`, {
      type: 'Camera',
      make: 'Axis',
      model: 'P3265-LVE',
      serial: 'AX-0001',
      installed_on: '2026-03-02',
      warranty_until: '2029-03-01',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ type: 'Camera', product: 'Axis P3265-LVE', location: null });
    const again = await ops('POST', `/api/v1/engagements/${engagement}/inventory`, {
      type: 'Camera',
      serial: 'AX-0001',
    });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([
      expect.objectContaining({ path: '/serial', code: 'duplicate_serial' }),
    ]);
    const bad = await ops('POST', `/api/v1/engagements/${engagement}/inventory`, {
      type: ' ',
      installed_on: '2026-02-30',
      warranty_until: 'soon',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual([
      '/installed_on',
      '/type',
      '/warranty_until',
    ]);
    const moved = await ops('PATCH', `/api/v1/inventory/${added.body.id}`, { warranty_until: '2026-01-01' });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].message).toContain('before the installation');
    const edited = await ops('PATCH', `/api/v1/inventory/${added.body.id}`, {
      location: 'Dock 4',
      firmware_version: '11.2',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ location: 'Dock 4', firmware_version: '11.2', serial: 'AX-0001' });
    expect(await count(engagement)).toBe(1);
    // Another organisation sees none of it.
    expect(
      (await call(app, b.admin)('PATCH', `/api/v1/inventory/${added.body.id}`, { location: 'x' })).status,
    ).toBe(404);
    expect((await call(app, b.admin)('GET', `/api/v1/engagements/${engagement}/inventory`)).status).toBe(404);
    expect((await call(app, a.viewer)('DELETE', `/api/v1/inventory/${added.body.id}`)).status).toBe(403);
    expect((await ops('DELETE', `/api/v1/inventory/${added.body.id}`)).status).toBe(204);
    expect(await count(engagement)).toBe(0);
    const audit = await sealedAuditOf(store, added.body.id);
    expect(audit.map((e) => e.action)).toEqual([
      'inventory.item_added',
      'inventory.item_updated',
      'inventory.item_removed',
    ]);
  });

  it('imports a file with one bad row as nothing at all, naming the row, its line and why', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `Camera,Axis,P1,S-${i},Dock ${i},10.0.0.${i},1.0,2026-03-02,2029-03-01`,
    );
    rows[16] = 'Camera,Axis,P1,S-16,Dock,10.0.0.16,1.0,2026-13-02,2029-03-01';
    const csv = `${HEADER}\n${rows.join('\n')}\n`;
    const before = await count(engagement);
    const res = await importCsv(app, a.operations, engagement, csv);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.raw.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        line: 18,
        path: '/rows/18/installed_on',
        message: expect.stringContaining('line 18'),
      }),
    ]);
    expect(res.body.detail).toContain('nothing was imported');
    expect(await count(engagement)).toBe(before);
  });

  it('names every bad row in one answer: cells, counts, repeated serials, a serial already there', async () => {
    const ops = call(app, a.operations);
    await ops('POST', `/api/v1/engagements/${engagement}/inventory`, { type: 'Panel', serial: 'ON-FILE' });
    const csv = [
      ' type , SERIAL ,ip address,Installed On',
      'Camera,C-1,10.0.0.1,2026-03-02',
      ',C-2,10.0.0.2,2026-03-02',
      'Camera,C-1,10.0.0.3,2026-03-02',
      'Camera,C-4,10.0.0.4',
      'Reader,"multi',
      'line",10.0.0.5,2026-03-02',
      'Camera,C-6,"10.0.0.6",yesterday',
    ].join('\r\n');
    const res = await importCsv(app, a.operations, engagement, csv);
    expect(res.status).toBe(422);
    const lines = res.body.errors.map((e: Json) => e.line);
    expect(lines).toEqual([3, 4, 5, 6, 8]);
    expect(res.body.errors.find((e: Json) => e.line === 4).message).toBe(
      'line 4: serial C-1 is also on line 2',
    );
    expect(res.body.errors.find((e: Json) => e.line === 6).message).toContain('one line');
    // The rows were good; the serial is taken on the engagement: still nothing written, the row
    // named. Rows of empty cells, as spreadsheets save them, are skipped; later lines keep their numbers.
    const taken = await importCsv(
      app,
      a.operations,
      engagement,
      'Type,Serial\n,\nCamera,NEW-1\n , \nPanel,ON-FILE\n,\n',
    );
    expect(taken.status).toBe(422);
    expect(taken.body.errors).toEqual([expect.objectContaining({ line: 5, code: 'duplicate_serial' })]);
    const header = await importCsv(app, a.operations, engagement, 'Type,Serail\nCamera,X\n');
    expect(header.status).toBe(422);
    expect(header.body.errors[0].message).toContain('column 2 ("Serail") names no field');
    const broken = await importCsv(app, a.operations, engagement, 'Type,Serial\nCamera,"X\n');
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0].message).toContain('not valid CSV');
    expect((await importCsv(app, a.operations, engagement, '')).status).toBe(422);
    expect(await count(engagement)).toBe(1);
  });

  it('imports every row of a good file, and exports it back to the same items, formulas defused', async () => {
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Round trip' });
    const first = (await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'First' }))
      .body.id;
    const second = (
      await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Second' })
    ).body.id;
    const csv = [
      HEADER,
      'Camera,Axis,P3265-LVE,AX-1,"Dock 4, north wall",10.0.0.21,11.2.68,2026-03-02,2029-03-01',
      'Controller,Mercury,LP1502,"=HYPERLINK(""http://evil"")",Comms room,,1.29,,',
      'Reader,HID,"Signo ""40""",+SUM(A1),Lobby,@cmd,-1,2026-03-04,',
      "Panel,Bosch,B6512,'quoted',Café,,'=kept,,",
    ].join('\n');
    const res = await importCsv(app, a.operations, first, csv);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ imported: 4 });
    const exported = await app.inject({
      method: 'GET',
      url: `/api/v1/engagements/${first}/inventory.csv`,
      headers: { authorization: `Bearer ${a.viewer}` },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.headers['content-disposition']).toContain('inventory-first.csv');
    const text = exported.body;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    // No cell a spreadsheet opens starts a formula.
    for (const line of text.slice(1).split('\n').slice(1))
      for (const cell of line.split(',')) expect(/^"?[=+\-@]/.test(cell), cell).toBe(false);
    const back = await importCsv(app, a.operations, second, text);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const strip = (items: Json[]) =>
      items.map(({ id: _i, engagement_id: _e, created_at: _c, updated_at: _u, ...rest }) => rest);
    const one = (await sales('GET', `/api/v1/engagements/${first}/inventory`)).body.items;
    const two = (await sales('GET', `/api/v1/engagements/${second}/inventory`)).body.items;
    expect(strip(two)).toEqual(strip(one));
    expect(one.map((i: Json) => i.serial)).toEqual([
      'AX-1',
      '=HYPERLINK("http://evil")',
      '+SUM(A1)',
      "'quoted'",
    ]);
    // A cell escaped by hand is read as escaped: the apostrophe was the escape.
    expect(one[3].firmware_version).toBe('=kept');
  });

  it('answers other requests while a large file imports, and two racing imports of one serial write one', async () => {
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Large' });
    const big = (await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Big' }))
      .body.id;
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `Camera,Axis,P1,BIG-${i},Dock ${i % 9},,,2026-03-02,`,
    );
    let importDone = 0;
    const importing = importCsv(app, a.operations, big, `${HEADER}\n${rows.join('\n')}\n`).then((r) => {
      importDone = performance.now();
      return r;
    });
    // A request made while the file is read is answered before the import ends.
    await new Promise((r) => setTimeout(r, 5));
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    const answered = performance.now();
    expect(health.statusCode).toBe(200);
    const done = await importing;
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.imported).toBe(20_000);
    expect(answered).toBeLessThan(importDone);

    const race = (await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Race' }))
      .body.id;
    const file = (n: number) =>
      `Type,Serial\n${Array.from({ length: 300 }, (_, i) => `Camera,R-${n}-${i}`).join('\n')}\nPanel,SAME\n`;
    const results = await Promise.all([1, 2, 3].map((n) => importCsv(app, a.operations, race, file(n))));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect([409, 422]).toContain(r.status);
    expect(await count(race)).toBe(301);
  }, 120_000);

  it('refuses callers who may not import before reading, other organisations, and files too large', async () => {
    expect((await importCsv(app, a.viewer, engagement, 'Type\nCamera\n')).status).toBe(403);
    expect((await importCsv(app, b.admin, engagement, 'Type\nCamera\n')).status).toBe(404);
    expect((await importCsv(app, a.admin, other, 'Type\nCamera\n')).status).toBe(404);
    const json = await call(app, a.admin)('POST', `/api/v1/engagements/${engagement}/inventory/import`, {
      rows: [],
    });
    expect(json.status).toBe(415);
    const latin1 = await app.inject({
      method: 'POST',
      url: `/api/v1/engagements/${engagement}/inventory/import`,
      headers: { authorization: `Bearer ${a.admin}`, 'content-type': 'text/csv' },
      payload: Buffer.from('Type,Location\nCamera,Caf\xe9\n', 'latin1'),
    });
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json().detail).toContain('UTF-8');
    const huge = await importCsv(app, a.admin, engagement, `Type\n${'Camera\n'.repeat(2_500_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.raw.headers['content-type']).toContain('application/problem+json');
  });
});
