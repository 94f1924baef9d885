import { join, resolve } from 'node:path';
import { AppError, type ErrorDetail } from '../kernel/errors.js';

/** Baton's configuration, read from the environment (documented in the README). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  logLevel: string;
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
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  const dataDir = resolve(env.BATON_DATA_DIR || './data');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    databaseUrl: env.BATON_DATABASE_URL || join(dataDir, 'baton.db'),
    logLevel,
  };
}
