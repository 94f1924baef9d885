import { join, resolve } from 'node:path';
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
  const publicUrl = readPublicUrl(env.BATON_PUBLIC_URL);
  if (publicUrl === undefined)
    errors.push({
      path: 'BATON_PUBLIC_URL',
      message: 'must be an http or https URL, e.g. https://baton.example.com',
    });
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  const dataDir = resolve(env.BATON_DATA_DIR || './data');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.BATON_DATABASE_URL || join(dataDir, 'baton.db'),
    logLevel,
    publicUrl: publicUrl ?? null,
  };
}

/** The public URL without its trailing slash; null when unset, undefined when it is not http(s). */
function readPublicUrl(raw: string | undefined): string | null | undefined {
  if (raw === undefined || raw.trim() === '') return null;
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
