import type { KeyObject } from 'node:crypto';
import type { Deps } from '../../kernel/context.js';
import { type ChainBreak, entryLeaf, findChainBreak } from '../domain/chain.js';
import { checkAgainstHeads, type HeadRecord } from '../domain/check-heads.js';
import { openSignedHead, originOf } from '../domain/signed-head.js';
import { HEAD_KEY_NAME } from '../head-keys.js';
import type { PublishedHead } from '../published-heads.js';
import { readSealedEntries } from '../sealed-entries.js';

export interface ChainReport {
  org: string;
  entries: number;
  ok: boolean;
  firstBreak: ChainBreak | null;
  /** Entries appended but not yet sealed, and how long the oldest has waited (ms). */
  pending: { count: number; oldestAgeMs: number | null };
  /** Published heads checked against the log, and the largest tree size they cover. */
  signedHeads: number;
  signedSize: number;
}

export interface VerifyOptions {
  orgSlug?: string;
  /** Heads published outside the database, and the public key that signed them. */
  heads?: { records: (PublishedHead & { line: number })[]; publicKey: KeyObject };
  /** An entry waiting longer than this to be sealed fails the check (default one minute). */
  maxPendingMs?: number;
}

/**
 * Checks every organisation's audit log (or one, by slug): the hash chain from its first entry to
 * its stored head; the published signed heads, when given, which catch a log rewritten with its
 * chain recomputed or cut short with its head rewound; and that no entry waits too long to be
 * sealed.
 */
export async function verifyAuditChain(deps: Deps, options: VerifyOptions = {}): Promise<ChainReport[]> {
  const db = deps.store.db;
  const maxPendingMs = options.maxPendingMs ?? 60_000;
  let orgs = db.selectFrom('organisations').select(['id', 'slug', 'audit_seq', 'audit_head']);
  if (options.orgSlug) orgs = orgs.where('slug', '=', options.orgSlug);
  const reports: ChainReport[] = [];
  const now = deps.clock.now().getTime();
  for (const org of await orgs.orderBy('slug').execute()) {
    const entries = await readSealedEntries(db, org.id);
    let firstBreak = findChainBreak(entries, { seq: Number(org.audit_seq), hash: org.audit_head });
    let signedHeads = 0;
    let signedSize = 0;
    if (options.heads) {
      const { publicKey } = options.heads;
      const records: HeadRecord[] = options.heads.records.filter((r) => r.org_id === org.id);
      const check = checkAgainstHeads(entries.map(entryLeaf), records, originOf(org.id), (note) =>
        openSignedHead(note, HEAD_KEY_NAME, publicKey),
      );
      signedHeads = check.heads;
      signedSize = check.signedSize;
      // The heads name a rewritten entry that the chain alone cannot see; report the earlier one.
      if (check.mismatch && (!firstBreak || (check.mismatch.seq ?? Infinity) <= firstBreak.seq))
        firstBreak = {
          seq: check.mismatch.seq ?? 0,
          id: idOf(entries, check.mismatch.seq),
          reason: check.mismatch.reason,
        };
    }
    const waiting = await db
      .selectFrom('audit_pending')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('at').as('oldest')])
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    const count = Number(waiting.n);
    const oldestAgeMs = count > 0 ? Math.max(0, now - new Date(String(waiting.oldest)).getTime()) : null;
    if (!firstBreak && oldestAgeMs !== null && oldestAgeMs > maxPendingMs) {
      firstBreak = {
        seq: Number(org.audit_seq) + 1,
        id: null,
        reason: `${count} entr${count === 1 ? 'y has' : 'ies have'} waited ${Math.round(oldestAgeMs / 1000)} s to be sealed (limit ${Math.round(maxPendingMs / 1000)} s): is a sealer running?`,
      };
    }
    reports.push({
      org: org.slug,
      entries: entries.length,
      ok: firstBreak === null,
      firstBreak,
      pending: { count, oldestAgeMs },
      signedHeads,
      signedSize,
    });
  }
  return reports;
}

function idOf(entries: readonly { seq: number; id: string }[], seq: number | null): string | null {
  if (seq === null) return null;
  return entries.find((e) => Number(e.seq) === seq)?.id ?? null;
}
