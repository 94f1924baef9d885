import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type BlobStorage,
  checkAddress,
  hashingTap,
  type ListedBlob,
  noContent,
  type StoredBlob,
} from './blob-storage.js';

/**
 * Blobs as files under a directory (the embedded default, `<data dir>/files`):
 * `ab/cd/abcd…` by address, and `incoming/<uuid>` while an upload is being written. A finished
 * upload is flushed to disk, then renamed to its address (atomic on one file system), so a crash
 * leaves at most an `incoming/` file, which the sweep removes.
 */
export class DiskBlobStorage implements BlobStorage {
  readonly kind = 'disk';
  constructor(readonly root: string) {}

  get description(): string {
    return `disk:${this.root}`;
  }

  private pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(source: Readable): Promise<StoredBlob> {
    const incoming = join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    const temporary = join(incoming, randomUUID());
    const tap = hashingTap();
    try {
      await pipeline(source, tap, createWriteStream(temporary, { mode: 0o600 }));
      const handle = await open(temporary, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const stored = tap.result();
      const path = this.pathOf(stored.sha256);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // Same address, same bytes: renaming over an existing copy changes nothing.
      await rename(temporary, path);
      return stored;
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(sha256: string): Promise<Readable> {
    const path = this.pathOf(checkAddress(sha256));
    if (!(await this.has(sha256))) throw noContent(sha256);
    return createReadStream(path);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(checkAddress(sha256)))).isFile();
    } catch {
      return false;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(checkAddress(sha256)), { force: true });
  }

  async *list(): AsyncIterable<ListedBlob> {
    const entries = async (dir: string) => {
      try {
        return await readdir(dir, { withFileTypes: true });
      } catch {
        return [];
      }
    };
    for (const a of await entries(this.root)) {
      if (!a.isDirectory()) continue;
      const isIncoming = a.name === 'incoming';
      if (isIncoming) {
        for (const f of await entries(join(this.root, a.name))) {
          const key = join(this.root, a.name, f.name);
          yield { sha256: null, key, storedAt: (await stat(key)).mtime };
        }
        continue;
      }
      for (const b of await entries(join(this.root, a.name))) {
        if (!b.isDirectory()) continue;
        for (const f of await entries(join(this.root, a.name, b.name))) {
          if (!/^[0-9a-f]{64}$/.test(f.name)) continue;
          const key = join(this.root, a.name, b.name, f.name);
          yield { sha256: f.name, key, storedAt: (await stat(key)).mtime };
        }
      }
    }
  }

  async deleteUnfinished(key: string): Promise<void> {
    if (dirname(key) !== join(this.root, 'incoming')) throw new Error(`${key} is not an unfinished upload.`);
    await rm(key, { force: true });
  }

  async close(): Promise<void> {}
}
