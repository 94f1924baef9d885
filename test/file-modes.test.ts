import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';

const ROOT = join(import.meta.dirname, '..');
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('files Baton creates are readable by their owner only', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'baton-modes-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('`baton start` on a fresh data directory creates it 0700 and the database, its log and the demo logins 0600', async () => {
    const dataDir = join(scratch, 'fresh', 'data');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        BATON_DATA_DIR: dataDir,
        BATON_DATABASE_URL: '',
        BATON_SCHEDULER: 'off',
        BATON_LOG_LEVEL: 'silent',
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += String(d);
          if (out.includes('Baton is running at')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`baton start exited ${code}: ${err}`)));
      });
      const db = join(dataDir, 'baton.db');
      const files = [db, `${db}-wal`, `${db}-shm`, join(dataDir, 'demo-logins.json')];
      for (const file of files) expect(existsSync(file), file).toBe(true);
      expect(Object.fromEntries(files.map((f) => [f, modeOf(f)]))).toEqual(
        Object.fromEntries(files.map((f) => [f, '600'])),
      );
      expect(modeOf(dataDir)).toBe('700');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('openStore creates a missing database 0600 and leaves an existing file as it is', async () => {
    const path = join(scratch, 'store', 'nested', 'baton.db');
    const store = openStore(path);
    await migrateToLatest(store.db);
    expect(modeOf(path)).toBe('600');
    expect(modeOf(`${path}-wal`)).toBe('600');
    expect(modeOf(join(scratch, 'store'))).toBe('700');
    await store.close();
    // A database someone deliberately shared with a group stays shared.
    const shared = join(scratch, 'shared.db');
    writeFileSync(shared, '', { mode: 0o640 });
    chmodSync(shared, 0o640);
    const again = openStore(shared);
    await migrateToLatest(again.db);
    expect(modeOf(shared)).toBe('640');
    await again.close();
  });
});
