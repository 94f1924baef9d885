import { AppError, type ErrorDetail } from '../kernel/errors.js';
import type { SmtpConfig } from '../notifications/smtp-mailer.js';
import { envInt } from './env.js';

/** The scheduler's part of the configuration (documented in the README). */
export interface SchedulerConfig {
  enabled: boolean;
  intervalMs: number;
  batchSize: number;
  leaseMs: number;
  /** How often the metrics' marked months are rolled up (docs/design-metrics.md, "Refresh"). */
  rollupIntervalMs: number;
  /** Without an SMTP host, e-mail waits in the outbox until a process that has one runs. */
  smtp: SmtpConfig | null;
}

export function readSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const errors: ErrorDetail[] = [];
  const int = (name: string, fallback: number, min: number, max: number) =>
    envInt(env, errors, name, fallback, min, max);
  const mode = env.BATON_SCHEDULER || 'on';
  if (mode !== 'on' && mode !== 'off') errors.push({ path: 'BATON_SCHEDULER', message: 'must be on or off' });
  const intervalMs = int('BATON_SCHEDULER_INTERVAL_MS', 1000, 50, 3_600_000);
  const batchSize = int('BATON_SCHEDULER_BATCH', 100, 1, 10_000);
  const leaseMs = int('BATON_SCHEDULER_LEASE_MS', 60_000, 1000, 3_600_000);
  const rollupIntervalMs = int('BATON_ROLLUP_INTERVAL_MS', 5000, 50, 3_600_000);
  const port = int('BATON_SMTP_PORT', 587, 1, 65535);
  const secure = (env.BATON_SMTP_SECURE || 'false').toLowerCase();
  if (!['true', 'false'].includes(secure))
    errors.push({ path: 'BATON_SMTP_SECURE', message: 'must be true or false' });
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  const host = env.BATON_SMTP_HOST || '';
  return {
    enabled: mode === 'on',
    intervalMs,
    batchSize,
    leaseMs,
    rollupIntervalMs,
    smtp: host
      ? {
          host,
          port,
          secure: secure === 'true',
          ...(env.BATON_SMTP_USER
            ? { user: env.BATON_SMTP_USER, password: env.BATON_SMTP_PASSWORD ?? '' }
            : {}),
          from: env.BATON_SMTP_FROM || 'Baton <baton@localhost>',
        }
      : null,
  };
}
