import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSignedHead } from '../src/audit/domain/signed-head.js';
import { createHeadSigningKey, HEAD_KEY_NAME, type HeadSigningKey } from '../src/audit/head-keys.js';
import { allHeadPublishers, type PublishedHead, readPublishedHeads } from '../src/audit/published-heads.js';
import { sealAuditLog } from '../src/audit/seal-audit-log.js';
import { signAuditHead } from '../src/audit/sign-audit-head.js';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { type AuditConfig, readAuditConfig } from '../src/server/audit-config.js';
import { sealAndSignNow } from '../src/server/audit-sealing.js';
import { witnessHeadPublisher } from '../src/server/audit-witness.js';
import { buildScheduler } from '../src/server/build-scheduler.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { loopbackAllowed, startWebhookReceiver } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('the audit heads witness, on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let dataDir: string;
  let key: HeadSigningKey;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    // The operator allows this machine's loopback, where the witness of the test listens.
    ({ app, deps, clock } = await testApp(store, undefined, { destinations: loopbackAllowed }));
    dataDir = mkdtempSync(join(tmpdir(), 'baton-witness-'));
    key = createHeadSigningKey(join(dataDir, 'audit-signing-key.pem'));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  /** The configuration of a server whose operator set `BATON_AUDIT_WITNESS_URL` (heads file and key in the data directory). */
  const configWith = (witnessUrl: string): AuditConfig =>
    readAuditConfig(dataDir, { BATON_AUDIT_WITNESS_URL: witnessUrl });
  const witnessJobsOf = (org: TestOrg) =>
    store.db
      .selectFrom('scheduled_jobs')
      .selectAll()
      .where('kind', '=', 'send_audit_head')
      .where('org_id', '=', org.id)
      .orderBy('id')
      .execute();
  const recordsOf = (posts: { body: unknown }[], org: TestOrg) =>
    posts.map((p) => p.body as PublishedHead).filter((r) => r.org_id === org.id);

  it('posts every signed head to the witness, as the heads file records it, once each', async () => {
    const witness = await startWebhookReceiver();
    try {
      const config = configWith(witness.url);
      const org = await seedOrg(deps, 'Witnessed');
      await sealAndSignNow(deps, config);
      const worker = buildScheduler(deps, {});
      await worker.tick();
      await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'After the first head' });
      clock.advance(5_000);
      await sealAndSignNow(deps, config);
      await sealAndSignNow(deps, config); // nothing grew: nothing more to sign or send
      await worker.tick();

      const received = recordsOf(witness.posts, org);
      const filed = readPublishedHeads(config.headsFile)
        .records.filter((r) => r.org_id === org.id)
        .map(({ line: _, ...record }) => record);
      expect(received).toHaveLength(2);
      expect(received).toEqual(filed);
      expect(received[1]!.first_seq).toBe(received[0]!.first_seq + received[0]!.leaves.length);
      for (const record of received) {
        const opened = openSignedHead(record.note, HEAD_KEY_NAME, key.publicKey);
        expect(opened.ok && opened.head.size).toBe(record.first_seq + record.leaves.length - 1);
      }
      const jobs = await witnessJobsOf(org);
      expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
      expect(
        witness.posts.filter((p) => (p.body as PublishedHead).org_id === org.id).map((p) => p.idempotencyKey),
      ).toEqual(jobs.map((j) => j.id));
      // The witness's copy alone is enough to check the log against.
      const [report] = await verifyAuditChain(deps, {
        orgSlug: org.slug,
        heads: { records: received.map((r, i) => ({ ...r, line: i + 1 })), publicKey: key.publicKey },
      });
      expect(report).toMatchObject({ ok: true, signedHeads: 2 });
    } finally {
      await witness.close();
    }
  });

  it('retries a witness that is down, dead-letters it after the last attempt, and delivers it when retried', async () => {
    const witness = await startWebhookReceiver({ statuses: [503, 503] });
    try {
      const org = await seedOrg(deps, 'Witness Down');
      await sealAndSignNow(deps, configWith(witness.url));
      const worker = buildScheduler(deps, {}, { maxAttempts: 2 });
      await worker.tick();
      let [job] = await witnessJobsOf(org);
      expect(job).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_error: '127.0.0.1 answered 503 Service Unavailable',
      });
      clock.set(job!.available_at);
      await worker.tick();
      [job] = await witnessJobsOf(org);
      expect(job).toMatchObject({ status: 'dead', attempts: 2 });
      expect(recordsOf(witness.posts, org)).toEqual([]);

      const admin = call(app, org.admin);
      const dead = (await admin('GET', '/api/v1/dead-jobs?kind=send_audit_head')).body.items as Json[];
      expect(dead.map((d) => d.id)).toEqual([job!.id]);
      expect((await admin('POST', `/api/v1/dead-jobs/${job!.id}/retry`)).status).toBe(200);
      await worker.tick();
      expect(recordsOf(witness.posts, org)).toHaveLength(1);
      expect((await witnessJobsOf(org))[0]).toMatchObject({ status: 'done', last_error: null });
    } finally {
      await witness.close();
    }
  });

  it('goes through the destination guard: an inward witness the operator did not allow is refused', async () => {
    const witness = await startWebhookReceiver();
    try {
      const org = await seedOrg(deps, 'Witness Inward');
      await sealAndSignNow(deps, configWith(witness.url));
      // A process whose operator allows no inward destination.
      const { destinations: _, ...publicOnly } = deps;
      await buildScheduler(publicOnly, {}).tick();
      const [job] = await witnessJobsOf(org);
      expect(job!.status).toBe('pending');
      expect(job!.last_error).toMatch(/^Destination refused: 127\.0\.0\.1 is a loopback address/);
      expect(recordsOf(witness.posts, org)).toEqual([]);
    } finally {
      await witness.close();
    }
  });

  it('enqueues the head in the signing transaction: a signing that fails sends nothing', async () => {
    const org = await seedOrg(deps, 'Witness Rollback');
    await sealAuditLog(store.db, org.id, clock.now());
    const failing = allHeadPublishers([
      witnessHeadPublisher('http://127.0.0.1:9/heads'),
      {
        async publish() {
          throw new Error('the disk is full');
        },
      },
    ]);
    await expect(signAuditHead(store.db, org.id, clock.now(), key, failing)).rejects.toThrow(
      'the disk is full',
    );
    expect(await witnessJobsOf(org)).toEqual([]);
    const head = await store.db
      .selectFrom('organisations')
      .select('audit_signed_seq')
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(Number(head.audit_signed_seq)).toBe(0);
  });

  it('reads BATON_AUDIT_WITNESS_URL: unset means no witness; anything but an http(s) URL stops start-up', () => {
    expect(readAuditConfig(dataDir, {}).witnessUrl).toBeNull();
    expect(
      readAuditConfig(dataDir, { BATON_AUDIT_WITNESS_URL: 'https://witness.example/heads' }).witnessUrl,
    ).toBe('https://witness.example/heads');
    expect(() => readAuditConfig(dataDir, { BATON_AUDIT_WITNESS_URL: 'ftp://witness.example' })).toThrow(
      expect.objectContaining({
        errors: [
          {
            path: 'BATON_AUDIT_WITNESS_URL',
            message:
              'must be an http or https URL such as https://witness.example/heads, not "ftp://witness.example"',
          },
        ],
      }),
    );
  });
});
