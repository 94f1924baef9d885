import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Store } from '../kernel/db/dialect.js';
import { isUniqueViolation } from '../kernel/db/dialect.js';
import {
  type BlobStorage,
  checkAddress,
  hashing,
  inPieces,
  type ListedBlob,
  noContent,
  type StoredBlob,
} from './blob-storage.js';

/** The bytes of one row of `blob_chunks`: small enough for any driver, large enough to be few. */
export const CHUNK_BYTES = 1024 * 1024;

const UPLOAD = 'upload:';

/**
 * Blobs in the database itself, as rows of `blob_chunks` (key, sequence number, up to 1 MiB of
 * bytes), so several processes on one PostgreSQL share files with nothing more to run (works on
 * SQLite too). An upload writes its chunks under `upload:<uuid>`, one statement per chunk (no
 * transaction held open for the length of an upload), then renames them to the address in one
 * statement; a crash leaves `upload:` rows, which the sweep removes.
 */
export class DatabaseBlobStorage implements BlobStorage {
  readonly kind = 'database';
  constructor(private readonly store: Store) {}

  get description(): string {
    return `database (${this.store.dialect})`;
  }

  async put(source: Readable): Promise<StoredBlob> {
    const key = `${UPLOAD}${randomUUID()}`;
    const db = this.store.db;
    const tap = hashing(source);
    try {
      let seq = 0;
      const storedAt = new Date().toISOString();
      for await (const piece of inPieces(tap.chunks, CHUNK_BYTES)) {
        await db
          .insertInto('blob_chunks')
          .values({ blob_key: key, seq, data: piece, stored_at: storedAt })
          .execute();
        seq++;
      }
      // An empty file is one empty chunk, so that it exists.
      if (seq === 0)
        await db
          .insertInto('blob_chunks')
          .values({ blob_key: key, seq: 0, data: Buffer.alloc(0), stored_at: storedAt })
          .execute();
      const stored = tap.result();
      if (await this.has(stored.sha256)) {
        await this.deleteUnfinished(key);
        return stored;
      }
      try {
        await db
          .updateTable('blob_chunks')
          .set({ blob_key: stored.sha256 })
          .where('blob_key', '=', key)
          .execute();
      } catch (error) {
        // The same bytes, stored by someone else meanwhile.
        if (!isUniqueViolation(error)) throw error;
        await this.deleteUnfinished(key);
      }
      return stored;
    } catch (error) {
      await this.deleteUnfinished(key).catch(() => {});
      throw error;
    }
  }

  async get(sha256: string): Promise<Readable> {
    checkAddress(sha256);
    if (!(await this.has(sha256))) throw noContent(sha256);
    const db = this.store.db;
    async function* chunks() {
      for (let seq = 0; ; seq++) {
        const row = await db
          .selectFrom('blob_chunks')
          .select('data')
          .where('blob_key', '=', sha256)
          .where('seq', '=', seq)
          .executeTakeFirst();
        if (!row) return;
        if (row.data.length) yield Buffer.from(row.data);
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async has(sha256: string): Promise<boolean> {
    checkAddress(sha256);
    const row = await this.store.db
      .selectFrom('blob_chunks')
      .select('seq')
      .where('blob_key', '=', sha256)
      .where('seq', '=', 0)
      .executeTakeFirst();
    return row !== undefined;
  }

  async delete(sha256: string): Promise<void> {
    await this.store.db.deleteFrom('blob_chunks').where('blob_key', '=', checkAddress(sha256)).execute();
  }

  async *list(): AsyncIterable<ListedBlob> {
    const rows = await this.store.db
      .selectFrom('blob_chunks')
      .select(['blob_key', sql<string>`min(stored_at)`.as('stored_at')])
      .groupBy('blob_key')
      .execute();
    for (const row of rows) {
      const unfinished = row.blob_key.startsWith(UPLOAD);
      yield {
        sha256: unfinished ? null : row.blob_key,
        key: row.blob_key,
        storedAt: new Date(row.stored_at),
      };
    }
  }

  async deleteUnfinished(key: string): Promise<void> {
    if (!key.startsWith(UPLOAD)) throw new Error(`${key} is not an unfinished upload.`);
    await this.store.db.deleteFrom('blob_chunks').where('blob_key', '=', key).execute();
  }

  async close(): Promise<void> {}
}
