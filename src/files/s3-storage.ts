import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import {
  type BlobStorage,
  checkAddress,
  hashing,
  inPieces,
  type ListedBlob,
  noContent,
  type StoredBlob,
} from './blob-storage.js';

/** Where an S3-compatible storage keeps blobs (`BATON_FILES=s3://bucket/prefix?endpoint=…`). */
export interface S3Location {
  bucket: string;
  /** Key prefix, empty or ending in `/`. */
  prefix: string;
  endpoint?: string;
  region: string;
  pathStyle: boolean;
  /** Credentials; from the standard AWS environment variables when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The size of each part of a multipart upload (S3's minimum is 5 MiB, but for the last). */
export const PART_BYTES = 8 * 1024 * 1024;

/**
 * Blobs as objects of an S3-compatible bucket: `<prefix>blobs/<sha256>`. An upload streams to
 * `<prefix>incoming/<uuid>` as a multipart upload (one part of 8 MiB in memory at a time; a file
 * smaller than a part is one PUT), then is copied to its address and the incoming object removed.
 * Parts of a multipart upload that was never completed are not objects: a bucket lifecycle rule
 * ("abort incomplete multipart uploads after a day") removes them.
 */
export class S3BlobStorage implements BlobStorage {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(private readonly location: S3Location) {
    this.client = new S3Client({
      region: location.region,
      forcePathStyle: location.pathStyle,
      ...(location.endpoint ? { endpoint: location.endpoint } : {}),
      ...(location.credentials ? { credentials: location.credentials } : {}),
    });
  }

  get description(): string {
    const { bucket, prefix, endpoint } = this.location;
    return `s3://${bucket}/${prefix}${endpoint ? ` at ${endpoint}` : ''}`;
  }

  private keyOf(sha256: string): string {
    return `${this.location.prefix}blobs/${checkAddress(sha256)}`;
  }

  async put(source: Readable): Promise<StoredBlob> {
    const Bucket = this.location.bucket;
    const Key = `${this.location.prefix}incoming/${randomUUID()}`;
    const tap = hashing(source);
    let uploadId: string | undefined;
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      const pieces = inPieces(tap.chunks, PART_BYTES);
      let next = await pieces.next();
      for (let n = 1; ; n++) {
        const piece = next.done ? Buffer.alloc(0) : next.value;
        next = await pieces.next();
        if (n === 1 && next.done) {
          await this.client.send(
            new PutObjectCommand({ Bucket, Key, Body: piece, ContentLength: piece.length }),
          );
          break;
        }
        uploadId ??= (await this.client.send(new CreateMultipartUploadCommand({ Bucket, Key }))).UploadId;
        const part = await this.client.send(
          new UploadPartCommand({
            Bucket,
            Key,
            UploadId: uploadId,
            PartNumber: n,
            Body: piece,
            ContentLength: piece.length,
          }),
        );
        parts.push({ ETag: part.ETag ?? '', PartNumber: n });
        if (next.done) {
          await this.client.send(
            new CompleteMultipartUploadCommand({
              Bucket,
              Key,
              UploadId: uploadId,
              MultipartUpload: { Parts: parts },
            }),
          );
          uploadId = undefined;
          break;
        }
      }
      const stored = tap.result();
      if (!(await this.has(stored.sha256))) {
        await this.client.send(
          new CopyObjectCommand({
            Bucket,
            Key: this.keyOf(stored.sha256),
            CopySource: `${Bucket}/${encodeURI(Key)}`,
          }),
        );
      }
      await this.client.send(new DeleteObjectCommand({ Bucket, Key }));
      return stored;
    } catch (error) {
      if (uploadId)
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
          .catch(() => {});
      await this.client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => {});
      throw error;
    }
  }

  async get(sha256: string): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(sha256) }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw noContent(sha256);
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(sha256) }),
      );
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.keyOf(sha256) }),
    );
  }

  async *list(): AsyncIterable<ListedBlob> {
    const { bucket, prefix } = this.location;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        const rest = key.slice(prefix.length);
        const storedAt = object.LastModified ?? new Date(0);
        if (rest.startsWith('incoming/')) yield { sha256: null, key, storedAt };
        else if (/^blobs\/[0-9a-f]{64}$/.test(rest))
          yield { sha256: rest.slice('blobs/'.length), key, storedAt };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async deleteUnfinished(key: string): Promise<void> {
    if (!key.startsWith(`${this.location.prefix}incoming/`))
      throw new Error(`${key} is not an unfinished upload.`);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: key }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
