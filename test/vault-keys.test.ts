import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import { readConfig } from '../src/server/config.js';
import { startServer } from '../src/server/start-server.js';
import { addKeyToFile, KeyringError, loadKeyring } from '../src/vault/keyring.js';
import { call, seedOrg, testApp } from './support/app.js';
import { type BatonBuild, ROOT, runCli } from './support/cluster.js';
import { DIALECTS, freshDatabaseUrl } from './support/stores.js';

/** The real CLI in a child process, as an operator runs it (through tsx: two commands only). */
const CLI: BatonBuild = {
  nodeArgs: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')],
  cleanup: () => {},
};
const baton = (env: Record<string, string>, ...args: string[]) => runCli(CLI, env, ...args);

describe.each(DIALECTS)('the vault key-encryption keys on %s', (dialect) => {
  it('`baton vault rotate --retire-old` rewraps every data key; the new key alone opens every secret; a missing key stops the server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-vault-'));
    const keyFile = join(dataDir, 'vault-keys');
    const url = await freshDatabaseUrl(dialect);
    const store = openStore(url);
    await migrateToLatest(store.db);
    const first = addKeyToFile(keyFile, new Date());
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const secrets = new Map<string, string>();
    let org: Awaited<ReturnType<typeof seedOrg>>;
    let engagement: string;
    {
      const { app, deps } = await testApp(store, undefined, { vaultKeys: loadKeyring(keyFile, {}) });
      org = await seedOrg(deps, 'Rotating Co');
      const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'A' });
      engagement = (
        await call(app, org.sales)('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'E' })
      ).body.id;
      for (const n of [1, 2, 3]) {
        const res = await call(app, org.operations)('POST', `/api/v1/engagements/${engagement}/vault`, {
          system: `System ${n}`,
          secret: `rotate-me-${n}`,
        });
        secrets.set(res.body.id, `rotate-me-${n}`);
      }
      await app.close();
    }
    const before = await store.db.selectFrom('vault_entries').selectAll().orderBy('id').execute();

    const env = { BATON_DATABASE_URL: url, BATON_DATA_DIR: dataDir };
    const rotated = await baton(env, 'vault', 'rotate', '--retire-old', '--json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const result = JSON.parse(rotated.stdout);
    expect(result).toMatchObject({ made_key: true, rewrapped: 1, total: 1, retired: [first.id] });
    expect(result.key).not.toBe(first.id);
    // The old key is gone from the file; the file holds the new one only.
    const ring = loadKeyring(keyFile, {});
    expect([...ring.keys.keys()]).toEqual([result.key]);
    expect(readFileSync(keyFile, 'utf8')).not.toContain(first.keyring.keys.get(first.id)!.toString('base64'));
    // No secret was touched: only the data key was rewrapped.
    expect(await store.db.selectFrom('vault_entries').selectAll().orderBy('id').execute()).toEqual(before);

    {
      const { app } = await testApp(store, undefined, { vaultKeys: ring });
      for (const [id, secret] of secrets) {
        const res = await call(app, org.service)(
          'POST',
          `/api/v1/engagements/${engagement}/vault/${id}/reveal`,
          {
            reason: 'After rotation',
          },
        );
        expect(res.body.secret).toBe(secret);
      }
      await app.close();
    }

    // A server holding only the old key refuses to start, naming the key it lacks.
    const config = {
      ...readConfig({}),
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: url,
      logLevel: 'silent',
    };
    const oldOnly = join(dataDir, 'old-keys');
    writeFileSync(oldOnly, `${first.id}:${first.keyring.keys.get(first.id)!.toString('base64')}\n`);
    await expect(
      startServer(config, {
        store: openStore(url),
        vaultKeys: loadKeyring(oldOnly, {}),
        scheduler: { enabled: false } as never,
      }),
    ).rejects.toThrow(
      new RegExp(`wrapped by the key-encryption key ${result.key}, which ${oldOnly} does not hold`),
    );
    // And `baton serve` says so and exits 1.
    const serve = await baton({ ...env, BATON_VAULT_KEY_FILE: oldOnly }, 'serve');
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain(`key-encryption key ${result.key}`);
    await store.close();
  }, 120_000);
});

describe('the configured keys', () => {
  it('reads BATON_VAULT_KEY before the file, the last key current; names a bad entry without its key', () => {
    const a = Buffer.alloc(32, 1).toString('base64');
    const b = Buffer.alloc(32, 2).toString('base64');
    const ring = loadKeyring('/nonexistent', { BATON_VAULT_KEY: `one:${a}, two:${b}` });
    expect(ring).toMatchObject({ source: 'BATON_VAULT_KEY', file: null, current: 'two' });
    expect(loadKeyring('/nonexistent', {})).toMatchObject({ current: null, file: '/nonexistent' });
    const short = Buffer.alloc(16, 3).toString('base64');
    expect(() => loadKeyring('/x', { BATON_VAULT_KEY: `one:${a},bad:${short}` })).toThrow(KeyringError);
    try {
      loadKeyring('/x', { BATON_VAULT_KEY: `one:${a},bad:${short}` });
    } catch (error) {
      expect((error as Error).message).toMatch(/BATON_VAULT_KEY, entry 2/);
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => loadKeyring('/x', { BATON_VAULT_KEY: `one:${a},one:${b}` })).toThrow(/listed twice/);
  });
});
