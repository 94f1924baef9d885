import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { packagedNativeDir, startPostgres } from './support/postgres-server.js';

describe('the test PostgreSQL server', () => {
  it('starts from binaries inside a folder of mode 0700 (a checkout under /root), and cleans up after itself', async () => {
    // Under the home folder when it is private (root's is), else a private folder of its own.
    const parent = mkdtempSync(join(existsSync(homedir()) ? homedir() : tmpdir(), '.baton-private-'));
    chmodSync(parent, 0o700);
    try {
      const nativeDir = join(parent, 'native');
      cpSync(await packagedNativeDir(), nativeDir, { recursive: true, verbatimSymlinks: true });
      const server = await startPostgres({ nativeDir });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query('SELECT 41 + 1 AS answer');
      await client.end();
      expect(rows[0].answer).toBe(42);
      await server.stop();
      const client2 = new pg.Client({ connectionString: server.url });
      await expect(client2.connect()).rejects.toThrow();
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
