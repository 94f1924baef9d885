import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Location } from '../../src/files/s3-storage.js';

/** The part of s3rver (which ships no types) a test uses. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverServer;

/**
 * A real S3-compatible server (s3rver, from npm) on a free local port, over a temporary
 * directory, with one bucket; and where Baton's S3 storage finds it. s3rver's own account signs
 * with the key pair S3RVER/S3RVER.
 *
 * @example
 *   const s3 = await startS3Server(); const storage = new S3BlobStorage(s3.location('prefix/'));
 */
export async function startS3Server(bucket = 'baton-files') {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = mkdtempSync(join(tmpdir(), 'baton-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    location: (prefix = ''): S3Location => ({
      bucket,
      prefix,
      endpoint,
      region: 'us-east-1',
      pathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }),
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
