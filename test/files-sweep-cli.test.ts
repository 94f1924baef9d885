import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DiskBlobStorage } from '../src/files/disk-storage.js';
import { openTestStore } from './support/stores.js';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

describe('baton files sweep', () => {
  it('removes, from the configured storage, what no row references once it is old enough, and keeps the rest', async () => {
    const store = await openTestStore('sqlite');
    await store.close();
    const dir = mkdtempSync(join(tmpdir(), 'baton-sweep-'));
    const storage = new DiskBlobStorage(dir);
    const old = await storage.put(Readable.from([Buffer.from('%PDF-1.7 written, never committed\n')]));
    const young = await storage.put(Readable.from([Buffer.from('%PDF-1.7 an upload in flight\n')]));
    const path = (sha: string) => join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(path(old.sha256), twoHoursAgo, twoHoursAgo);
    const run = (...args: string[]) =>
      exec(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'files', 'sweep', ...args], {
        cwd: ROOT,
        env: {
          ...process.env,
          BATON_DATABASE_URL: store.url,
          BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-sweep-data-')),
          BATON_FILES: `disk:${dir}`,
          BATON_LOG_LEVEL: 'silent',
        },
      });
    const { stdout } = await run('--json');
    expect(JSON.parse(stdout)).toEqual({
      storage: `disk:${dir}`,
      removedBlobs: 1,
      removedUnfinished: 0,
      kept: 1,
    });
    expect(existsSync(path(old.sha256))).toBe(false);
    expect(existsSync(path(young.sha256))).toBe(true);
    await expect(run('--older-than', 'soon')).rejects.toMatchObject({
      stderr: expect.stringContaining('--older-than must be a number of minutes'),
    });
  }, 60_000);
});
