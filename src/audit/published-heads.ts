import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import type { Tx } from '../kernel/context.js';

/**
 * One signed head as published outside the database: the organisation, the sequence number of
 * the first leaf it brings, the Merkle leaves (hex) of the entries since the organisation's
 * previous record, and the signed note over the whole tree. Read together, the records of an
 * organisation are a copy of its log's fingerprints that a database rewrite cannot reach.
 */
export const PublishedHeadSchema = Type.Object({
  org_id: Type.String({ minLength: 1 }),
  org_slug: Type.String(),
  first_seq: Type.Integer({ minimum: 1 }),
  leaves: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  note: Type.String({ minLength: 1 }),
});
export type PublishedHead = Static<typeof PublishedHeadSchema>;

/**
 * Where signed heads go once made. `publish` runs inside the signing transaction, before the head
 * is recorded as published: what it writes to the database (a witness's outbox job) commits with
 * the head or not at all; what it writes elsewhere (the heads file) is on disk before the head is
 * recorded, so a crash in between leaves an overlapping record, never a gap.
 */
export interface HeadPublisher {
  publish(record: PublishedHead, signing: { trx: Tx; now: Date }): Promise<void>;
}

/**
 * Publishes each record through every publisher in turn, the database's first, so a failure there
 * leaves no record in a file for a head that was never signed.
 *
 * @example
 * allHeadPublishers([witnessHeadPublisher(url), fileHeadPublisher(path)])
 */
export function allHeadPublishers(publishers: readonly HeadPublisher[]): HeadPublisher {
  return {
    async publish(record, signing) {
      for (const publisher of publishers) await publisher.publish(record, signing);
    },
  };
}

/** Appends each record as one JSON line to `path` (created owner-only) and waits until it is on disk. */
export function fileHeadPublisher(path: string): HeadPublisher {
  return {
    async publish(record) {
      const fd = openSync(path, 'a', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(record)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

/**
 * Every record in a heads file, in the order written, with the line each came from; a line that
 * is not a record (cut short by a crash, or edited) is answered as a problem, not skipped.
 */
export function readPublishedHeads(path: string): {
  records: (PublishedHead & { line: number })[];
  problems: { line: number; message: string }[];
} {
  const records: (PublishedHead & { line: number })[] = [];
  const problems: { line: number; message: string }[] = [];
  if (!existsSync(path)) return { records, problems };
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    try {
      const r = JSON.parse(text) as PublishedHead;
      if (
        typeof r.org_id !== 'string' ||
        !Number.isInteger(r.first_seq) ||
        r.first_seq < 1 ||
        !Array.isArray(r.leaves) ||
        !r.leaves.every((l) => typeof l === 'string' && /^[0-9a-f]{64}$/.test(l)) ||
        typeof r.note !== 'string'
      )
        throw new Error('not a published head');
      records.push({ ...r, line: i + 1 });
    } catch {
      problems.push({ line: i + 1, message: 'is not a published head record' });
    }
  });
  return { records, problems };
}
