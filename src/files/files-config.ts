import { join, resolve } from 'node:path';
import type { Store } from '../kernel/db/dialect.js';
import type { ErrorDetail } from '../kernel/errors.js';
import type { BlobStorage } from './blob-storage.js';
import { DatabaseBlobStorage } from './database-storage.js';
import { DiskBlobStorage } from './disk-storage.js';
import { DEFAULT_FILE_TYPES, normaliseMediaType } from './domain/media-type.js';
import { S3BlobStorage, type S3Location } from './s3-storage.js';
import { DEFAULT_MAX_BYTES, type FileLimits } from './upload-guard.js';

/** Which storage `BATON_FILES` names. */
export type StorageSpec =
  | { kind: 'disk'; dir: string | null }
  | { kind: 'database' }
  | { kind: 's3'; location: Omit<S3Location, 'credentials'> };

export interface FilesConfig {
  storage: StorageSpec;
  limits: FileLimits;
}

/**
 * Reads `BATON_FILES` (`disk`, `disk:/dir`, `database`, or
 * `s3://bucket/prefix?endpoint=…&region=…&path_style=true`), `BATON_FILES_MAX_BYTES` and
 * `BATON_FILES_TYPES` (comma-separated media types or ranges), adding a problem to `errors` for
 * each value that is wrong.
 */
export function readFilesConfig(env: NodeJS.ProcessEnv, errors: ErrorDetail[]): FilesConfig {
  return {
    storage: readStorageSpec(env.BATON_FILES, errors),
    limits: {
      maxBytes: readMaxBytes(env.BATON_FILES_MAX_BYTES, errors),
      types: readTypes(env.BATON_FILES_TYPES, errors),
    },
  };
}

function readStorageSpec(raw: string | undefined, errors: ErrorDetail[]): StorageSpec {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'disk') return { kind: 'disk', dir: null };
  if (value.startsWith('disk:') && value.length > 'disk:'.length)
    return { kind: 'disk', dir: resolve(value.slice('disk:'.length)) };
  if (value === 'database') return { kind: 'database' };
  if (value.startsWith('s3://')) {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      url = null;
    }
    const bucket = url?.hostname ?? '';
    const known = ['endpoint', 'region', 'path_style'];
    const unknown = url ? [...url.searchParams.keys()].filter((k) => !known.includes(k)) : [];
    const endpoint = url?.searchParams.get('endpoint') ?? undefined;
    const pathStyle = url?.searchParams.get('path_style') ?? 'false';
    if (!url || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || url.username || url.password) {
      errors.push({
        path: 'BATON_FILES',
        message:
          'must name a bucket: s3://bucket/prefix (credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
      });
    } else if (unknown.length) {
      errors.push({
        path: 'BATON_FILES',
        message: `knows no option ${unknown.join(', ')} (only ${known.join(', ')})`,
      });
    } else if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
      errors.push({
        path: 'BATON_FILES',
        message: `endpoint must be an http or https URL, not ${JSON.stringify(endpoint)}`,
      });
    } else if (!['true', 'false'].includes(pathStyle)) {
      errors.push({ path: 'BATON_FILES', message: 'path_style must be true or false' });
    } else {
      const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
      return {
        kind: 's3',
        location: {
          bucket,
          prefix: path ? `${path}/` : '',
          ...(endpoint ? { endpoint } : {}),
          region: url.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
          pathStyle: pathStyle === 'true',
        },
      };
    }
    return { kind: 'disk', dir: null };
  }
  errors.push({
    path: 'BATON_FILES',
    message: `must be disk, disk:/directory, database or s3://bucket/prefix?endpoint=…&region=…&path_style=true, not ${JSON.stringify(raw)}`,
  });
  return { kind: 'disk', dir: null };
}

function readMaxBytes(raw: string | undefined, errors: ErrorDetail[]): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    errors.push({
      path: 'BATON_FILES_MAX_BYTES',
      message: `must be a whole number of bytes above 0, not ${JSON.stringify(raw)}`,
    });
    return DEFAULT_MAX_BYTES;
  }
  return n;
}

function readTypes(raw: string | undefined, errors: ErrorDetail[]): readonly string[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_FILE_TYPES;
  const types = raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const bad = types.filter((t) => t !== '*/*' && !normaliseMediaType(t.replace(/\/\*$/, '/x')));
  if (bad.length || !types.length)
    errors.push({
      path: 'BATON_FILES_TYPES',
      message: `must list media types such as application/pdf or image/*; not ${bad.map((b) => JSON.stringify(b)).join(', ') || 'empty'}`,
    });
  return types.map((t) => t.toLowerCase());
}

/** Opens the configured storage: disk under `<data dir>/files` unless a directory is named. */
export function openBlobStorage(spec: StorageSpec, where: { store: Store; dataDir: string }): BlobStorage {
  switch (spec.kind) {
    case 'disk':
      return new DiskBlobStorage(spec.dir ?? join(where.dataDir, 'files'));
    case 'database':
      return new DatabaseBlobStorage(where.store);
    case 's3':
      return new S3BlobStorage(spec.location);
  }
}
