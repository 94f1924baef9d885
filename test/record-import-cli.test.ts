import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedOrg, testApp } from './support/app.js';
import { baton } from './support/cli.js';
import { DIALECTS, freshDatabaseUrl, openTestStore } from './support/stores.js';

function csvFile(rows: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-import-'));
  const file = join(dir, 'accounts.csv');
  const lines = ['Record ID,Company Name'];
  for (let i = 0; i < rows; i++) lines.push(`C-${i},Company ${i}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe.each(DIALECTS)('baton import, straight into the database, on %s', (dialect) => {
  it('imports with a progress bar, changes nothing the second time, and lists bad lines', async () => {
    const env = {
      BATON_DATABASE_URL: await freshDatabaseUrl(dialect),
      BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-cli-')),
    };
    expect((await baton(env, 'migrate')).code).toBe(0);
    expect((await baton(env, 'org', 'create', 'Import Co')).code).toBe(0);
    const user = ['user', 'add', '--org', 'import-co', '--role'];
    expect((await baton(env, ...user, 'sales', '--email', 'sam@import.example')).code).toBe(0);
    expect((await baton(env, ...user, 'viewer', '--email', 'vi@import.example')).code).toBe(0);

    const file = csvFile(20_000);
    const as = ['--org', 'import-co', '--as', 'sam@import.example'];
    const first = await baton(env, 'import', 'accounts', file, ...as);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('created: 20000');
    // The bar, a line per tenth on a pipe, ends full.
    const bars = first.stderr.split('\n').filter((l) => l.startsWith('['));
    expect(bars.length).toBeGreaterThanOrEqual(5);
    expect(bars.at(-1)).toMatch(/^\[#{30}\] 100% .* read; importing$/);

    const again = await baton(env, 'import', 'accounts', file, ...as, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).result).toMatchObject({ created: 0, unchanged: 20_000 });

    const bad = join(mkdtempSync(join(tmpdir(), 'baton-import-')), 'bad.csv');
    writeFileSync(bad, 'Name,Email,Account Name\nAda,ada@x.example,Acme\nBob,not-mail,Acme\n');
    const refused = await baton(env, 'import', 'contacts', bad, ...as);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('422');
    expect(refused.stdout).toContain('  line 3: email must be an e-mail address');

    const viewer = await baton(
      env,
      'import',
      'accounts',
      file,
      '--org',
      'import-co',
      '--as',
      'vi@import.example',
    );
    expect(viewer.code).toBe(1);
    expect(viewer.stdout).toContain('403');
  }, 180_000);
});

describe('baton import, into a running server', () => {
  it('streams the file to the server with a progress bar; the server checks the token', async () => {
    const store = await openTestStore('sqlite');
    const { app, deps } = await testApp(store);
    const org = await seedOrg(deps, 'Server Import');
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const file = csvFile(5_000);
      const ok = await baton({}, 'import', 'accounts', file, '--server', server, '--token', org.sales);
      expect(ok.code, ok.stderr + ok.stdout).toBe(0);
      expect(ok.stdout).toContain('created: 5000');
      expect(ok.stderr).toContain('100%');
      const viewer = await baton(
        { BATON_SERVER_URL: server, BATON_TOKEN: org.viewer },
        'import',
        'accounts',
        file,
      );
      expect(viewer.code).toBe(1);
      expect(viewer.stdout).toMatch(/^403 The viewer role may not import/);
    } finally {
      await app.close();
      await store.close();
    }
  }, 120_000);
});

describe.each(DIALECTS)('baton import revenue, straight into the database, on %s', (dialect) => {
  it('imports revenue records of accounts named by their CRM id, once, and names bad lines', async () => {
    const env = {
      BATON_DATABASE_URL: await freshDatabaseUrl(dialect),
      BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-cli-')),
    };
    expect((await baton(env, 'migrate')).code).toBe(0);
    expect((await baton(env, 'org', 'create', 'Revenue Co')).code).toBe(0);
    expect(
      (
        await baton(
          env,
          'user',
          'add',
          '--org',
          'revenue-co',
          '--role',
          'sales',
          '--email',
          'sam@rev.example',
        )
      ).code,
    ).toBe(0);
    const as = ['--org', 'revenue-co', '--as', 'sam@rev.example'];
    expect((await baton(env, 'import', 'accounts', csvFile(3), ...as)).code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'baton-import-'));
    const file = join(dir, 'revenue.csv');
    writeFileSync(
      file,
      [
        'Account ID,Period,Kind,Amount,Currency,External ID',
        'hubspot:C-0,2026-01,starting,1200.00,EUR,r-1',
        'hubspot:C-1,2026-01,starting,980,JPY,r-2',
        'hubspot:C-1,2026-01,expansion,10.5,USD,r-3',
      ].join('\n'),
    );
    const first = await baton(env, 'import', 'revenue', file, ...as, '--json');
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(JSON.parse(first.stdout).result).toEqual({ rows: 3, accepted: 3, duplicates: 0 });
    const again = await baton(env, 'import', 'revenue', file, ...as, '--json');
    expect(JSON.parse(again.stdout).result).toEqual({ rows: 3, accepted: 0, duplicates: 3 });

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'Account ID,Period,Kind,Amount minor,Currency\nhubspot:C-2,2026-1,starting,5,EUR\nhubspot:NOPE,2026-02,gift,5,EUR\n',
    );
    const refused = await baton(env, 'import', 'revenue', bad, ...as);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('422');
    expect(refused.stdout).toContain('  line 2: period "2026-1" must be a month as YYYY-MM');
    expect(refused.stdout).toContain(
      '  line 3: kind "gift" must be one of starting, expansion, contraction, churn',
    );
  }, 180_000);
});
