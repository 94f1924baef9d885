import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../kernel/errors.js';
import { DEFAULT_FILE_TYPES, isAllowedType, sniffMediaType } from './domain/media-type.js';
import { readFilesConfig } from './files-config.js';

const read = (env: NodeJS.ProcessEnv) => {
  const errors: ErrorDetail[] = [];
  return { config: readFilesConfig(env, errors), errors };
};

describe('BATON_FILES, BATON_FILES_MAX_BYTES and BATON_FILES_TYPES', () => {
  it('stores on disk under the data directory with 256 MiB and the default types unless told otherwise', () => {
    expect(read({})).toEqual({
      config: {
        storage: { kind: 'disk', dir: null },
        limits: { maxBytes: 268435456, types: DEFAULT_FILE_TYPES },
      },
      errors: [],
    });
    expect(read({ BATON_FILES: 'disk:/srv/baton-files' }).config.storage).toEqual({
      kind: 'disk',
      dir: '/srv/baton-files',
    });
    expect(read({ BATON_FILES: 'database' }).config.storage).toEqual({ kind: 'database' });
  });

  it('reads an S3 bucket, prefix, endpoint, region and path style from one URL', () => {
    expect(
      read({
        BATON_FILES:
          's3://baton-files/prod/attachments?endpoint=http://minio.local:9000&region=eu-west-1&path_style=true',
      }).config.storage,
    ).toEqual({
      kind: 's3',
      location: {
        bucket: 'baton-files',
        prefix: 'prod/attachments/',
        endpoint: 'http://minio.local:9000',
        region: 'eu-west-1',
        pathStyle: true,
      },
    });
    expect(read({ BATON_FILES: 's3://baton-files', AWS_REGION: 'x' }).config.storage).toMatchObject({
      kind: 's3',
      location: { bucket: 'baton-files', prefix: '', pathStyle: false },
    });
  });

  it('names every value that is wrong', () => {
    expect(
      read({
        BATON_FILES: 'ftp://x',
        BATON_FILES_MAX_BYTES: '10MB',
        BATON_FILES_TYPES: 'pdf, image/*',
      }).errors.map((e) => e.path),
    ).toEqual(['BATON_FILES', 'BATON_FILES_MAX_BYTES', 'BATON_FILES_TYPES']);
    expect(read({ BATON_FILES: 's3://bucket?acl=public' }).errors[0]?.message).toContain(
      'knows no option acl',
    );
    expect(read({ BATON_FILES: 's3://bucket?endpoint=minio:9000' }).errors[0]?.message).toContain(
      'endpoint must be',
    );
    expect(read({ BATON_FILES: 's3://key:secret@bucket' }).errors[0]?.message).toContain('AWS_ACCESS_KEY_ID');
    expect(
      read({ BATON_FILES_MAX_BYTES: '1048576', BATON_FILES_TYPES: 'application/pdf, image/*' }).config.limits,
    ).toEqual({
      maxBytes: 1048576,
      types: ['application/pdf', 'image/*'],
    });
  });
});

describe('the type of a file, read from its bytes', () => {
  it('believes the bytes over the claim', () => {
    const bytes = (hex: string) => Buffer.from(hex, 'hex');
    expect(sniffMediaType(Buffer.from('%PDF-1.4\n'), 'image/png', false)).toBe('application/pdf');
    expect(sniffMediaType(bytes('89504e470d0a1a0a'), null, false)).toBe('image/png');
    expect(sniffMediaType(bytes('ffd8ffe000104a4649'), 'application/pdf', false)).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('GIF89a'), null, true)).toBe('image/gif');
    expect(sniffMediaType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '), null, false)).toBe('image/webp');
    expect(
      sniffMediaType(
        bytes('504b0304'),
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        false,
      ),
    ).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffMediaType(bytes('504b0304'), 'image/png', false)).toBe('application/zip');
    expect(sniffMediaType(Buffer.from('site,switch\nA,sw-1\n'), 'text/csv; charset=utf-8', true)).toBe(
      'text/csv',
    );
    expect(sniffMediaType(Buffer.from('<html><script>alert(1)</script>'), 'text/html', true)).toBe(
      'text/plain',
    );
    expect(sniffMediaType(Buffer.from('MZ\x90\x00\x03'), 'application/pdf', false)).toBe(
      'application/octet-stream',
    );
    // A UTF-8 character cut in two by the end of the sample is still text.
    expect(sniffMediaType(Buffer.from('Zürich é').subarray(0, 9), 'text/plain', false)).toBe('text/plain');
  });

  it('matches media types and ranges of the allowlist', () => {
    expect(isAllowedType('image/png', ['image/*'])).toBe(true);
    expect(isAllowedType('application/pdf', ['image/*'])).toBe(false);
    expect(isAllowedType('application/octet-stream', DEFAULT_FILE_TYPES)).toBe(false);
  });
});
