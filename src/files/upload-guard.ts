import { Transform } from 'node:stream';
import { AppError } from '../kernel/errors.js';
import { isAllowedType, SNIFF_BYTES, sniffMediaType } from './domain/media-type.js';

/** How large and of what types uploaded files may be (`BATON_FILES_MAX_BYTES`, `BATON_FILES_TYPES`). */
export interface FileLimits {
  maxBytes: number;
  /** Media types or ranges (`image/*`). */
  types: readonly string[];
}

/** 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** "256 MiB", "1.5 KiB", "12 bytes". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** The refusal of a file over the limit (413). */
export function tooLarge(limits: FileLimits): AppError {
  const message = `is larger than the limit of ${formatBytes(limits.maxBytes)} (${limits.maxBytes} bytes)`;
  return new AppError('payload_too_large', `The file ${message}.`, [{ path: '/body', message }], {
    max_bytes: limits.maxBytes,
  });
}

/**
 * A pass-through for an upload's bytes that enforces the limits as they flow: it holds back the
 * first `SNIFF_BYTES`, decides the media type from them (`sniffMediaType`), and fails the stream
 * with 415 when the type is not allowed, or with 413 as soon as more than `maxBytes` have passed.
 * `mediaType()` answers the type once the first bytes are through.
 */
export function uploadGuard(limits: FileLimits, claimed: string | null): Transform & { mediaType(): string } {
  let head: Buffer[] = [];
  let held = 0;
  let size = 0;
  let type: string | null = null;
  const decide = (stream: Transform, complete: boolean): Error | null => {
    const bytes = Buffer.concat(head);
    head = [];
    type = sniffMediaType(bytes.subarray(0, SNIFF_BYTES), claimed, complete);
    if (!isAllowedType(type, limits.types)) {
      const message = `is ${type}${claimed && claimed !== type ? ` (sent as ${claimed})` : ''}, which is not one of the accepted types: ${limits.types.join(', ')}`;
      return new AppError('unsupported_media_type', `The file ${message}.`, [{ path: '/body', message }], {
        media_type: type,
        accepted: limits.types,
      });
    }
    stream.push(bytes);
    return null;
  };
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limits.maxBytes) return done(tooLarge(limits));
      if (type !== null) return done(null, chunk);
      head.push(chunk);
      held += chunk.length;
      if (held < SNIFF_BYTES) return done();
      done(decide(this, false));
    },
    flush(done) {
      done(type === null ? decide(this, true) : null);
    },
  });
  return Object.assign(guard, {
    mediaType(): string {
      if (type === null) throw new Error('The upload has not been read yet.');
      return type;
    },
  });
}
