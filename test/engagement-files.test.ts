import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStorage } from '../src/files/blob-storage.js';
import { DatabaseBlobStorage } from '../src/files/database-storage.js';
import { DiskBlobStorage } from '../src/files/disk-storage.js';
import { DEFAULT_FILE_TYPES } from '../src/files/domain/media-type.js';
import { openBlobStorage, readFilesConfig } from '../src/files/files-config.js';
import { S3BlobStorage } from '../src/files/s3-storage.js';
import { sweepOrphanBlobs } from '../src/files/sweep-orphan-blobs.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { ErrorDetail } from '../src/kernel/errors.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { startS3Server } from './support/s3-server.js';
import { DIALECTS, openTestStore, sealedAuditOf } from './support/stores.js';

const STORAGES = ['disk', 'database', 's3'] as const;
const LIMIT = 3 * 1024 * 1024;

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let s3: Awaited<ReturnType<typeof startS3Server>>;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => s3?.stop());

async function everything(storage: BlobStorage) {
  const found = [];
  for await (const item of storage.list()) found.push(item);
  return found;
}

describe('BATON_FILES naming an S3 bucket', () => {
  it('reaches it with the credentials of the standard AWS environment variables', async () => {
    const errors: ErrorDetail[] = [];
    const config = readFilesConfig(
      {
        BATON_FILES: `s3://${s3.bucket}/from-config?endpoint=${encodeURIComponent(s3.endpoint)}&path_style=true`,
      },
      errors,
    );
    expect(errors).toEqual([]);
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    const storage = openBlobStorage(config.storage, { store: null as never, dataDir: tmpdir() });
    try {
      expect(storage.description).toBe(`s3://${s3.bucket}/from-config/ at ${s3.endpoint}`);
      const bytes = pdf('through the configuration');
      const stored = await storage.put(Readable.from([bytes]));
      const back: Buffer[] = [];
      for await (const chunk of await storage.get(stored.sha256)) back.push(chunk as Buffer);
      expect(Buffer.concat(back).equals(bytes)).toBe(true);
    } finally {
      await storage.close();
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});

describe.each(DIALECTS)('engagement files on %s', (dialect) => {
  describe.each(STORAGES)('stored on %s', (kind) => {
    let store: Store;
    let app: Api;
    let deps: Deps;
    let storage: BlobStorage;
    let a: TestOrg;
    let b: TestOrg;
    let engagementId: string;
    let otherEngagementId: string;

    const upload = (
      token: string,
      url: string,
      body: Buffer | Readable,
      contentType = 'application/octet-stream',
    ) =>
      app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        payload: body,
      });
    const rows = async () => ({
      files: (await store.db.selectFrom('engagement_files').selectAll().execute()).length,
      versions: (await store.db.selectFrom('engagement_file_versions').selectAll().execute()).length,
      blobs: (await store.db.selectFrom('blobs').selectAll().execute()).length,
    });

    beforeAll(async () => {
      store = await openTestStore(dialect);
      storage =
        kind === 'disk'
          ? new DiskBlobStorage(mkdtempSync(join(tmpdir(), 'baton-files-')))
          : kind === 'database'
            ? new DatabaseBlobStorage(store)
            : new S3BlobStorage(s3.location(`${dialect}-${Date.now()}/`));
      ({ app, deps } = await testApp(store, undefined, {
        files: { storage, limits: { maxBytes: LIMIT, types: DEFAULT_FILE_TYPES } },
      }));
      a = await seedOrg(deps, 'Files A');
      b = await seedOrg(deps, 'Files B');
      const engagementOf = async (org: TestOrg) => {
        const sales = call(app, org.sales);
        const account = await sales('POST', '/api/v1/accounts', { name: 'Harbour Clinic' });
        return (await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Fit-out' }))
          .body.id as string;
      };
      engagementId = await engagementOf(a);
      otherEngagementId = await engagementOf(b);
    });
    afterAll(async () => {
      await app.close();
      await storage.close();
      await store.close();
    });

    it('uploads a file, reads its type from the bytes, versions it by name and keeps every version downloadable', async () => {
      const first = pdf('floor 2, first issue');
      const res = await upload(
        a.operations,
        `/api/v1/engagements/${engagementId}/files?name=As-built%20floor%202&tag=as_built&filename=floor2.pdf`,
        first,
        'image/png',
      );
      expect(res.statusCode, res.body).toBe(201);
      const file = res.json() as Json;
      expect(file).toMatchObject({ name: 'As-built floor 2', tag: 'as_built', latest_version: 1 });
      expect(file.versions).toEqual([
        expect.objectContaining({
          version: 1,
          sha256: sha(first),
          size: first.length,
          media_type: 'application/pdf',
          original_name: 'floor2.pdf',
        }),
      ]);

      // The same name again, in another case: version 2 of the same file.
      const second = pdf('floor 2, as built');
      const again = await upload(
        a.operations,
        `/api/v1/engagements/${engagementId}/files?name=as-built%20FLOOR%202&tag=as_built`,
        second,
      );
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ id: file.id, latest_version: 2 });

      // And a new version by id.
      const third = await upload(
        a.sales,
        `/api/v1/engagements/${engagementId}/files/${file.id}/versions`,
        Readable.from([png]),
      );
      expect(third.statusCode, third.body).toBe(201);
      const latest = third.json() as Json;
      expect(latest.versions.map((v: Json) => [v.version, v.media_type])).toEqual([
        [3, 'image/png'],
        [2, 'application/pdf'],
        [1, 'application/pdf'],
      ]);

      const list = await call(app, a.viewer)('GET', `/api/v1/engagements/${engagementId}/files`);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([latest]);

      const old = await app.inject({
        method: 'GET',
        url: latest.versions[2].content_url,
        headers: { authorization: `Bearer ${a.viewer}` },
      });
      expect(old.statusCode).toBe(200);
      expect(old.rawPayload.equals(first)).toBe(true);
      expect(old.headers['content-type']).toBe('application/pdf');
      expect(old.headers['content-disposition']).toBe(
        `attachment; filename="As-built floor 2.pdf"; filename*=UTF-8''As-built%20floor%202.pdf`,
      );
      expect(old.headers['x-content-type-options']).toBe('nosniff');
      const inline = await app.inject({
        method: 'GET',
        url: `${latest.versions[0].content_url}?disposition=inline`,
        headers: { authorization: `Bearer ${a.viewer}` },
      });
      expect(inline.headers['content-type']).toBe('image/png');
      expect(inline.headers['content-disposition']).toMatch(/^inline; /);
      expect(inline.rawPayload.equals(png)).toBe(true);

      const audit = await sealedAuditOf(store, file.id);
      expect(audit.map((e) => [e.action, JSON.parse(e.after ?? '{}').version])).toEqual([
        ['file.uploaded', 1],
        ['file.uploaded', 2],
        ['file.uploaded', 3],
      ]);
      expect(await storage.has(sha(first))).toBe(true);
    });

    it('stores the same bytes once, and shows no organisation another one’s files', async () => {
      const bytes = pdf('shared contract');
      const mine = await upload(
        a.admin,
        `/api/v1/engagements/${engagementId}/files?name=Contract&tag=contract`,
        bytes,
      );
      const theirs = await upload(
        b.admin,
        `/api/v1/engagements/${otherEngagementId}/files?name=Contract&tag=contract`,
        bytes,
      );
      expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
      expect((await everything(storage)).filter((i) => i.sha256 === sha(bytes))).toHaveLength(1);
      const file = mine.json() as Json;
      for (const url of [
        `/api/v1/engagements/${engagementId}/files`,
        file.versions[0].content_url,
        `/api/v1/engagements/${otherEngagementId}/files`.replace(otherEngagementId, engagementId),
      ]) {
        const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${b.admin}` } });
        expect(res.statusCode, url).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      const foreign = await upload(
        b.admin,
        `/api/v1/engagements/${engagementId}/files/${file.id}/versions`,
        bytes,
      );
      expect(foreign.statusCode).toBe(404);
    });

    it('refuses a file over the size limit with 413 and a type outside the list with 415, writing nothing', async () => {
      const before = await rows();
      const stored = (await everything(storage)).length;
      const big = Buffer.alloc(LIMIT + 1, 0x41);
      // Declared too large: refused before a byte is read.
      const declared = await upload(
        a.operations,
        `/api/v1/engagements/${engagementId}/files?name=Big&tag=other`,
        big,
        'text/plain',
      );
      expect(declared.statusCode, declared.body).toBe(413);
      expect(declared.headers['content-type']).toContain('application/problem+json');
      expect(declared.json()).toMatchObject({
        type: '/problems/payload-too-large',
        errors: [{ path: '/body', message: expect.stringContaining('3 MiB') }],
      });
      // Streamed without a length: refused as the limit is crossed.
      const chunks = Array.from({ length: 4 }, () => Buffer.alloc(1024 * 1024, 0x41));
      const streamed = await upload(
        a.operations,
        `/api/v1/engagements/${engagementId}/files?name=Big&tag=other`,
        Readable.from(chunks),
        'text/plain',
      );
      expect(streamed.statusCode, streamed.body).toBe(413);
      // An executable sent as a PDF is read as what it is.
      const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(600, 0)]);
      const refused = await upload(
        a.operations,
        `/api/v1/engagements/${engagementId}/files?name=Drawing&tag=as_built`,
        exe,
        'application/pdf',
      );
      expect(refused.statusCode, refused.body).toBe(415);
      expect(refused.json()).toMatchObject({
        type: '/problems/unsupported-media-type',
        errors: [
          {
            path: '/body',
            message: expect.stringContaining('application/octet-stream (sent as application/pdf)'),
          },
        ],
      });
      const bad = await upload(
        a.operations,
        `/api/v1/engagements/${engagementId}/files?name=&tag=blueprint`,
        pdf('x'),
      );
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .errors.map((e: Json) => e.path)
          .sort(),
      ).toEqual(['/querystring/name', '/querystring/tag']);
      expect(await rows()).toEqual(before);
      expect((await everything(storage)).length).toBe(stored);
    });

    it('makes two first uploads of one name at once into versions 1 and 2 of one file', async () => {
      const url = `/api/v1/engagements/${engagementId}/files?name=Network%20map&tag=network_map`;
      const both = await Promise.all([
        upload(a.operations, url, pdf('map, from the site')),
        upload(a.service, url, pdf('map, from the office')),
      ]);
      expect(both.map((r) => r.statusCode).sort(), both.map((r) => r.body).join('\n')).toEqual([200, 201]);
      const list = await call(app, a.viewer)(
        'GET',
        `/api/v1/engagements/${engagementId}/files?tag=network_map`,
      );
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0].versions.map((v: Json) => v.version)).toEqual([2, 1]);
    });

    it('lets only roles that write records upload, and every role read', async () => {
      const viewer = await upload(
        a.viewer,
        `/api/v1/engagements/${engagementId}/files?name=Photo&tag=photo`,
        png,
      );
      expect(viewer.statusCode).toBe(403);
      const list = await call(app, a.viewer)('GET', `/api/v1/engagements/${engagementId}/files?tag=photo`);
      expect(list.body).toEqual({ items: [], total: 0 });
    });

    it('sweeps blobs no row references and uploads that never finished, after the grace period', async () => {
      const orphan = await storage.put(Readable.from([pdf('written, row never committed')]));
      const kept = sha(pdf('floor 2, first issue'));
      const young = await sweepOrphanBlobs(store, storage, { now: new Date() });
      expect(young.removedBlobs).toBe(0);
      expect(await storage.has(orphan.sha256)).toBe(true);
      const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
      const swept = await sweepOrphanBlobs(store, storage, { now: later });
      expect(swept.removedBlobs).toBe(1);
      expect(await storage.has(orphan.sha256)).toBe(false);
      expect(await storage.has(kept)).toBe(true);
      // A source that fails half-way stores nothing.
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 1));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(storage.put(failing)).rejects.toThrow('client went away');
      expect((await everything(storage)).filter((i) => i.sha256 === null)).toEqual([]);
    });
  });
});
