import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { BlobStorage } from '../src/files/blob-storage.js';
import { DatabaseBlobStorage } from '../src/files/database-storage.js';
import { DiskBlobStorage } from '../src/files/disk-storage.js';
import { DEFAULT_FILE_TYPES } from '../src/files/domain/media-type.js';
import { DEFAULT_MAX_BYTES } from '../src/files/upload-guard.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { call, type Json, seedOrg, testApp } from './support/app.js';
import { openTestStore } from './support/stores.js';

const MiB = 1024 * 1024;
const SIZE = 200 * MiB;

/** 200 MiB of a drawing, made a mebibyte at a time as the reader asks: never held whole. */
function generatedPdf(size: number) {
  const hash = createHash('sha256');
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(Math.min(MiB, size - sent));
      chunk.fill(sent / MiB);
      if (sent === 0) chunk.write('%PDF-1.7\n');
      hash.update(chunk);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return { body, sha256: () => hash.digest('hex') };
}

/** The largest resident set and heap seen while `work` runs, above what they were before it. */
async function growthDuring<T>(work: () => Promise<T>) {
  const before = process.memoryUsage();
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss - before.rss);
    heap = Math.max(heap, now.heapUsed - before.heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    const result = await work();
    sample();
    return { result, rss, heap };
  } finally {
    clearInterval(timer);
  }
}

describe.each(['disk', 'database'] as const)(
  'a 200 MiB file stored on %s (SQLite), through the real server',
  (kind) => {
    const closers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const close of closers.reverse()) await close();
    });

    it('uploads and downloads with flat memory', async () => {
      const store: Store = await openTestStore('sqlite');
      const storage: BlobStorage =
        kind === 'disk'
          ? new DiskBlobStorage(mkdtempSync(join(tmpdir(), 'baton-large-')))
          : new DatabaseBlobStorage(store);
      const { app, deps } = await testApp(store, undefined, {
        files: { storage, limits: { maxBytes: DEFAULT_MAX_BYTES, types: DEFAULT_FILE_TYPES } },
      });
      closers.push(
        () => store.close(),
        () => app.close(),
      );
      const org = await seedOrg(deps, 'Large');
      const sales = call(app, org.sales);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Harbour Clinic' });
      const engagement = (
        await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Fit-out' })
      ).body;
      const base = await app.listen({ port: 0, host: '127.0.0.1' });

      const drawing = generatedPdf(SIZE);
      const upload = await growthDuring(
        () =>
          new Promise<Json>((resolve, reject) => {
            const req = request(
              `${base}/api/v1/engagements/${engagement.id}/files?name=Site%20survey&tag=as_built`,
              {
                method: 'POST',
                headers: { authorization: `Bearer ${org.sales}`, 'content-type': 'application/pdf' },
              },
              (res) => {
                const parts: Buffer[] = [];
                res.on('data', (c: Buffer) => parts.push(c));
                res.on('end', () =>
                  resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(parts).toString()) }),
                );
              },
            );
            req.on('error', reject);
            drawing.body.pipe(req);
          }),
      );
      expect(upload.result.status, JSON.stringify(upload.result.body)).toBe(201);
      const version = upload.result.body.versions[0];
      expect(version).toMatchObject({ size: SIZE, sha256: drawing.sha256(), media_type: 'application/pdf' });

      const download = await growthDuring(async () => {
        const hash = createHash('sha256');
        let size = 0;
        await new Promise<void>((resolve, reject) => {
          request(
            `${base}${version.content_url}`,
            { headers: { authorization: `Bearer ${org.sales}` } },
            (res) => {
              expect(res.statusCode).toBe(200);
              expect(res.headers['content-length']).toBe(String(SIZE));
              pipeline(
                res,
                new Writable({
                  write(chunk: Buffer, _e, done) {
                    hash.update(chunk);
                    size += chunk.length;
                    done();
                  },
                }),
              ).then(resolve, reject);
            },
          )
            .on('error', reject)
            .end();
        });
        return { size, sha256: hash.digest('hex') };
      });
      expect(download.result).toEqual({ size: SIZE, sha256: version.sha256 });

      // Far below the file's size: what streaming holds (a few chunks, buffers, the allocator's slack).
      const report = (label: string, g: { rss: number; heap: number }) =>
        `${kind} ${label}: peak RSS +${(g.rss / MiB).toFixed(1)} MiB, heap +${(g.heap / MiB).toFixed(1)} MiB for a ${SIZE / MiB} MiB file`;
      console.log(report('upload', upload));
      console.log(report('download', download));
      for (const g of [upload, download]) {
        expect(g.rss, report('', g)).toBeLessThan(64 * MiB);
        expect(g.heap, report('', g)).toBeLessThan(48 * MiB);
      }
    }, 300_000);
  },
);

describe('a refused upload over a real socket', () => {
  it('answers 413 or 415 while the client is still sending, closes the connection, and lets the server stop', async () => {
    const store: Store = await openTestStore('sqlite');
    const { app, deps } = await testApp(store, undefined, {
      files: {
        storage: new DatabaseBlobStorage(store),
        limits: { maxBytes: MiB, types: DEFAULT_FILE_TYPES },
      },
    });
    const org = await seedOrg(deps, 'Refusals');
    const sales = call(app, org.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'A' });
    const engagement = (
      await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'E' })
    ).body;
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    type Answer = { status?: number; connection?: string; type?: string };
    // On a loaded machine the server's close can reach the client's write before its answer is
    // read (EPIPE): that refusal is what is tested, so the request is sent again, three times at most.
    const send = async (headers: Record<string, string>, fill: number): Promise<Answer> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await sendOnce(headers, fill);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EPIPE' || attempt === 3) throw e;
        }
      }
    };
    const sendOnce = (headers: Record<string, string>, fill: number) =>
      new Promise<Answer>((resolve, reject) => {
        let sent = 0;
        const size = 20 * MiB;
        const body = new Readable({
          read() {
            if (sent >= size) return void this.push(null);
            sent += 64 * 1024;
            this.push(Buffer.alloc(64 * 1024, fill));
          },
        });
        const req = request(
          `${base}/api/v1/engagements/${engagement.id}/files?name=Big&tag=other`,
          { method: 'POST', headers: { authorization: `Bearer ${org.sales}`, ...headers } },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode,
                connection: res.headers.connection,
                type: res.headers['content-type'],
              }),
            );
          },
        );
        req.on('error', reject);
        body.pipe(req);
      });
    const problem = { connection: 'close', type: 'application/problem+json; charset=utf-8' };
    expect(await send({ 'content-type': 'text/plain' }, 0x41)).toEqual({ status: 413, ...problem });
    expect(await send({ 'content-type': 'text/plain', 'content-length': String(20 * MiB) }, 0x41)).toEqual({
      status: 413,
      ...problem,
    });
    expect(await send({ 'content-type': 'application/pdf' }, 0)).toEqual({ status: 415, ...problem });
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
  }, 60_000);
});
