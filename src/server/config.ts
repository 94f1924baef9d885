import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { type FilesConfig, readFilesConfig } from '../files/files-config.js';
import { AppError, type ErrorDetail } from '../kernel/errors.js';

/** Baton's configuration, read from the environment (documented in the README). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  logLevel: string;
  /** The URL people reach Baton at (`BATON_PUBLIC_URL`), without a trailing slash; null when unset. */
  publicUrl: string | null;
  /**
   * The reverse proxies whose `X-Forwarded-For`, `-Proto` and `-Host` headers are believed
   * (`BATON_TRUSTED_PROXIES`): addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`.
   * Empty: the headers are ignored and the peer's own address is the client's.
   */
  trustedProxies: string[];
  /** Where uploaded files are stored and what they may be (`BATON_FILES`, `BATON_FILES_MAX_BYTES`, `BATON_FILES_TYPES`). */
  files: FilesConfig;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const errors: ErrorDetail[] = [];
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    errors.push({ path: 'PORT', message: `must be a port number, not ${JSON.stringify(env.PORT)}` });
  }
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  const logLevel = env.BATON_LOG_LEVEL || 'info';
  if (!levels.includes(logLevel))
    errors.push({ path: 'BATON_LOG_LEVEL', message: `must be one of ${levels.join(', ')}` });
  const publicUrl = readPublicUrl(env.BATON_PUBLIC_URL, errors);
  const trustedProxies = readTrustedProxies(env.BATON_TRUSTED_PROXIES, errors);
  const files = readFilesConfig(env, errors);
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  const dataDir = resolve(env.BATON_DATA_DIR || './data');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.BATON_DATABASE_URL || join(dataDir, 'baton.db'),
    logLevel,
    publicUrl,
    trustedProxies,
    files,
  };
}

/** An http or https URL without credentials, query or fragment; its trailing slash removed. */
function readPublicUrl(raw: string | undefined, errors: ErrorDetail[]): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(raw.trim());
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    errors.push({
      path: 'BATON_PUBLIC_URL',
      message: `must be an http or https URL such as https://baton.example.com, not ${JSON.stringify(raw)}`,
    });
    return null;
  }
  if (url.username || url.password || url.search || url.hash) {
    errors.push({
      path: 'BATON_PUBLIC_URL',
      message: 'must not carry a user, a password, a query or a fragment',
    });
    return null;
  }
  return url.href.replace(/\/+$/, '');
}

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** A comma-separated list of addresses, CIDR ranges and named ranges. */
function readTrustedProxies(raw: string | undefined, errors: ErrorDetail[]): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const validPrefix =
      prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits) || isIP(prefix) === 4;
    if (PROXY_RANGES.includes(entry)) continue;
    if (family === 0 || !validPrefix || rest.length) {
      errors.push({
        path: 'BATON_TRUSTED_PROXIES',
        message: `${JSON.stringify(entry)} is not an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_RANGES.join(', ')}`,
      });
    }
  }
  return entries;
}
