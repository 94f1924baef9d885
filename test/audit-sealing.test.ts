import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuditSealer } from '../src/audit/audit-sealer.js';
import { checkInclusionProof, type InclusionProof } from '../src/audit/domain/inclusion.js';
import { type OpenedHead, rawPublicKey } from '../src/audit/domain/signed-head.js';
import { HEAD_KEY_NAME, type HeadSigningKey } from '../src/audit/head-keys.js';
import { countPendingAudit } from '../src/audit/pending-entries.js';
import { fileHeadPublisher, readPublishedHeads } from '../src/audit/published-heads.js';
import { sealAuditLog } from '../src/audit/seal-audit-log.js';
import { signAuditHead } from '../src/audit/sign-audit-head.js';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { rewriteEntry, truncateLog } from './support/audit-tamper.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const pair = generateKeyPairSync('ed25519');
const key: HeadSigningKey = { name: HEAD_KEY_NAME, privateKey: pair.privateKey, publicKey: pair.publicKey };

/** Opens a signed note with an Ed25519 implementation other than the one that signed it. */
async function openWithNoble(note: string): Promise<OpenedHead> {
  const [body, sigs] = [note.slice(0, note.indexOf('\n\n') + 1), note.slice(note.indexOf('\n\n') + 2)];
  const m = new RegExp(`^\u2014 ${HEAD_KEY_NAME} ([A-Za-z0-9+/=]+)$`, 'm').exec(sigs);
  if (!m) return { ok: false, reason: 'no signature line' };
  const blob = Buffer.from(m[1]!, 'base64');
  const ok = await ed.verifyAsync(
    new Uint8Array(blob.subarray(4)),
    new Uint8Array(Buffer.from(body)),
    new Uint8Array(rawPublicKey(key.publicKey)),
  );
  if (!ok) return { ok: false, reason: 'bad signature' };
  const [origin, size, root] = body.split('\n');
  return { ok: true, head: { origin: origin!, size: Number(size), root: Buffer.from(root!, 'base64') } };
}

describe.each(DIALECTS)('the audit log sealed after commit, on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let headsFile: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    headsFile = join(mkdtempSync(join(tmpdir(), 'baton-heads-')), 'audit-heads.jsonl');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const newOrg = async (name: string) => {
    const org = await seedOrg(deps, name);
    await sealAuditLog(store.db, org.id, clock.now());
    return org;
  };
  const writeAccounts = (org: TestOrg, n: number, prefix: string) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        call(app, org.sales)('POST', '/api/v1/accounts', { name: `${prefix} ${i}` }).then((r) => {
          expect(r.status, JSON.stringify(r.body)).toBe(201);
        }),
      ),
    );
  const sign = (org: TestOrg) =>
    signAuditHead(store.db, org.id, clock.now(), key, fileHeadPublisher(headsFile));
  const verify = async (org: TestOrg, withHeads = true) => {
    const [report] = await verifyAuditChain(deps, {
      orgSlug: org.slug,
      ...(withHeads
        ? { heads: { records: readPublishedHeads(headsFile).records, publicKey: key.publicKey } }
        : {}),
    });
    return report!;
  };
  const entriesOf = (org: TestOrg) =>
    store.db.selectFrom('audit_log').selectAll().where('org_id', '=', org.id).orderBy('seq').execute();

  it('chains the entries of concurrent writers and concurrent sealers into one gapless log, none lost or doubled', async () => {
    const org = await newOrg('Concurrent');
    const before = (await entriesOf(org)).length;
    // Writers and sealers at once: sealers that find the head taken skip, and the last one waits.
    await Promise.all([
      writeAccounts(org, 40, 'Writer'),
      ...Array.from({ length: 6 }, () => sealAuditLog(store.db, org.id, clock.now(), { wait: false })),
    ]);
    await sealAuditLog(store.db, org.id, clock.now());
    const entries = await entriesOf(org);
    expect(entries.map((e) => Number(e.seq))).toEqual(entries.map((_, i) => i + 1));
    expect(entries.length - before).toBe(40);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const pending = await store.db
      .selectFrom('audit_pending')
      .select('id')
      .where('org_id', '=', org.id)
      .execute();
    expect(pending).toEqual([]);
    expect((await verify(org, false)).ok).toBe(true);
  });

  it('shows every change committed before a read: reading the audit log seals it first', async () => {
    const org = await newOrg('Reader');
    const made = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Read Me' });
    const log = await call(app, org.admin)('GET', '/api/v1/audit?limit=1000');
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { entity: { id: string } }) => e.entity.id)).toContain(made.body.id);
  });

  it('says how many entries wait to be sealed', async () => {
    const org = await newOrg('Counted');
    expect(await countPendingAudit(store.db, org.id)).toBe(0);
    await writeAccounts(org, 3, 'Counted');
    expect(await countPendingAudit(store.db, org.id)).toBe(3);
    // The listing seals what was committed before it: nothing is left waiting, and it says so.
    const log = await call(app, org.admin)('GET', '/api/v1/audit?limit=1000');
    expect(log.body.pending).toBe(0);
    expect(await countPendingAudit(store.db, org.id)).toBe(0);
  });

  it('catches a rewrite of entry N with every later hash recomputed, naming N, once heads are signed', async () => {
    const org = await newOrg('Rewritten');
    await writeAccounts(org, 5, 'First');
    await sealAuditLog(store.db, org.id, clock.now());
    expect(await sign(org)).toBeGreaterThan(5);
    await writeAccounts(org, 5, 'Second');
    await sealAuditLog(store.db, org.id, clock.now());
    expect(await sign(org)).toBeGreaterThan(10);
    expect(await verify(org)).toMatchObject({ ok: true, signedHeads: 2 });

    // Someone with write access to the database rewrites entry 4 and recomputes the chain after it.
    const entries = await entriesOf(org);
    await rewriteEntry(store, org.id, 4, '{"name":"Mallory"}');

    expect((await verify(org, false)).ok).toBe(true); // the chain alone cannot tell
    const report = await verify(org);
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ seq: 4, id: entries[3]!.id });
    expect(report.firstBreak!.reason).toContain('changed after it was signed');
  });

  it('catches entries cut off the end with the stored head rewound, naming the first one missing', async () => {
    const org = await newOrg('Truncated');
    await writeAccounts(org, 6, 'Kept');
    await sealAuditLog(store.db, org.id, clock.now());
    const size = (await sign(org))!;
    expect((await verify(org)).ok).toBe(true);

    await truncateLog(store, org.id, size - 2);

    expect((await verify(org, false)).ok).toBe(true);
    const report = await verify(org);
    expect(report.ok).toBe(false);
    expect(report.firstBreak!.seq).toBe(size - 1);
    expect(report.firstBreak!.reason).toContain(`entry ${size - 1} is missing`);
  });

  it('proves one entry is in the signed log, checked with an independent Ed25519 verifier', async () => {
    const org = await newOrg('Proven');
    await writeAccounts(org, 7, 'Proof');
    await sealAuditLog(store.db, org.id, clock.now());
    const size = (await sign(org))!;
    for (const seq of [1, 4, size]) {
      const res = await call(app, org.admin)('GET', `/api/v1/audit/proof?seq=${seq}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const proof = res.body as InclusionProof;
      expect(proof.tree_size).toBe(size);
      const opened = await openWithNoble(proof.signed_head);
      expect(opened.ok).toBe(true);
      expect(checkInclusionProof(proof, () => opened)).toBeNull();
      const forged = { ...proof, entry_json: proof.entry_json.replace('"seq"', '"seq" ') };
      expect(checkInclusionProof(forged, () => opened)).toBe('the entry does not hash to the leaf given');
      const moved = { ...proof, proof: [...proof.proof].reverse() };
      if (proof.proof.length > 1) expect(checkInclusionProof(moved, () => opened)).not.toBeNull();
    }
    await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Not signed yet' });
    const late = await call(app, org.admin)('GET', `/api/v1/audit/proof?seq=${size + 1}`);
    expect(late.status).toBe(409);
    expect((await call(app, org.admin)('GET', '/api/v1/audit/proof?seq=99999')).status).toBe(404);
  });

  it('fails verification when an entry waits to be sealed longer than the limit', async () => {
    const org = await newOrg('Waiting');
    await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Waits' });
    expect((await verify(org, false)).ok).toBe(true);
    clock.advance(2 * 60_000);
    const report = await verify(org, false);
    expect(report.ok).toBe(false);
    expect(report.pending.count).toBeGreaterThan(0);
    expect(report.firstBreak!.reason).toMatch(/waited 1\d\d s to be sealed/);
    await sealAuditLog(store.db, org.id, clock.now());
    expect((await verify(org, false)).ok).toBe(true);
  });

  it('runs as a background sweep that seals within moments and publishes signed heads', async () => {
    const org = await newOrg('Swept');
    const file = join(mkdtempSync(join(tmpdir(), 'baton-heads-')), 'heads.jsonl');
    const sealer = startAuditSealer(deps, {
      intervalMs: 20,
      signIntervalMs: 0,
      signing: { key, publisher: fileHeadPublisher(file) },
    });
    try {
      await writeAccounts(org, 3, 'Swept');
      const deadline = Date.now() + 5000;
      for (;;) {
        const waiting = await store.db
          .selectFrom('audit_pending')
          .select('id')
          .where('org_id', '=', org.id)
          .execute();
        const signed = readFileSync(file, { flag: 'a+' }).toString().includes(org.id);
        if (waiting.length === 0 && signed) break;
        if (Date.now() > deadline) throw new Error('the sealer did not seal and sign within 5 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await sealer.stop();
    }
    const [report] = await verifyAuditChain(deps, {
      orgSlug: org.slug,
      heads: { records: readPublishedHeads(file).records, publicKey: key.publicKey },
    });
    expect(report).toMatchObject({ ok: true });
    expect(report!.signedHeads).toBeGreaterThan(0);
  });

  it('seals every organisation with waiting entries in one sweep, several side by side', async () => {
    const orgs = await Promise.all(Array.from({ length: 6 }, (_, i) => newOrg(`Side ${i}`)));
    await Promise.all(orgs.map((org, i) => writeAccounts(org, 5, `Side ${i}`)));
    // Its first sweep starts at once, and stop waits for it; a second finds what the first left.
    const sealer = startAuditSealer(deps, { intervalMs: 60_000 });
    await sealer.stop();
    await sealer.sweep();
    for (const org of orgs) {
      const entries = await entriesOf(org);
      expect(entries.map((e) => Number(e.seq))).toEqual(entries.map((_, i) => i + 1));
      expect(await countPendingAudit(store.db, org.id)).toBe(0);
      expect((await verify(org, false)).ok).toBe(true);
    }
  });
});
