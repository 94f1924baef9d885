import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { AppError } from '../kernel/errors.js';

/** What `put` answers: the content's address and length. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

/** One thing a storage holds, as its sweep sees it. */
export interface ListedBlob {
  /** The content's address; null for an upload that never finished (its bytes sit under `key`). */
  sha256: string | null;
  /** Where the storage keeps it (a path, a row key, an object key). */
  key: string;
  /** When it was written. */
  storedAt: Date;
}

/**
 * Where file contents live, content-addressed by SHA-256 (docs/design-closeout.md): the same bytes
 * are stored once, whoever uploads them. Every implementation streams: `put` hashes and writes as
 * the bytes arrive, under a temporary name, and moves them to their address only once complete,
 * so a half-written upload is never served; `get` answers a stream. Which organisation may read a
 * blob is the database's business (`blobs`), not the storage's.
 */
export interface BlobStorage {
  /** `disk`, `database` or `s3`, for messages. */
  readonly kind: string;
  /** Where it stores, safe to print (no credentials). */
  readonly description: string;
  /** Reads `source` to its end, storing it; answers its SHA-256 and size. A failed source stores nothing. */
  put(source: Readable): Promise<StoredBlob>;
  /** The content stored at `sha256`; throws `not_found` when there is none. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Removes the content at `sha256` (nothing when there is none). */
  delete(sha256: string): Promise<void>;
  /** Everything stored, finished or not: what the sweep looks at. */
  list(): AsyncIterable<ListedBlob>;
  /** Removes an unfinished upload found by `list`. */
  deleteUnfinished(key: string): Promise<void>;
  /** Releases connections (S3 client); a no-op for the others. */
  close(): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Throws unless `sha256` is 64 lowercase hex digits (it becomes a path or a key). */
export function checkAddress(sha256: string): string {
  if (!SHA256.test(sha256)) throw new AppError('not_found', `No stored content ${JSON.stringify(sha256)}.`);
  return sha256;
}

/** No content at an address. */
export function noContent(sha256: string): AppError {
  return new AppError('not_found', `No stored content with SHA-256 ${sha256}.`);
}

/**
 * A pass-through that hashes and counts what flows through it; `result()` once it has ended.
 *
 * @example
 *   const tap = hashingTap(); await pipeline(source, tap, sink); tap.result() // { sha256, size }
 */
export function hashingTap(): Transform & { result(): StoredBlob } {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | null = null;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(tap, {
    result(): StoredBlob {
      digest ??= hash.digest('hex');
      return { sha256: digest, size };
    },
  });
}

/**
 * The chunks of `source` as they come, hashed and counted on the way; `result()` once read to the
 * end. (An async iteration passes the source's errors on, where `.pipe` would not.)
 */
export function hashing(source: AsyncIterable<Buffer>): {
  chunks: AsyncGenerator<Buffer>;
  result(): StoredBlob;
} {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | null = null;
  async function* chunks() {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  return {
    chunks: chunks(),
    result: () => {
      digest ??= hash.digest('hex');
      return { sha256: digest, size };
    },
  };
}

/**
 * Re-chunks a stream into pieces of exactly `size` bytes (the last one shorter), holding at most
 * one piece in memory: the database storage's rows and the S3 storage's parts.
 */
export async function* inPieces(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const chunk of source) {
    let rest = chunk;
    while (held + rest.length >= size) {
      const take = size - held;
      parts.push(rest.subarray(0, take));
      yield Buffer.concat(parts);
      parts = [];
      held = 0;
      rest = rest.subarray(take);
    }
    if (rest.length) {
      parts.push(rest);
      held += rest.length;
    }
  }
  if (held) yield Buffer.concat(parts);
}
