import { join } from 'node:path';
import { AppError, type ErrorDetail } from '../kernel/errors.js';
import { envInt } from './env.js';

/** Where the audit log's signing key and published heads live, and how often the sealer runs (README). */
export interface AuditConfig {
  /** The Ed25519 private key that signs tree heads (PKCS#8 PEM); signing is off while it is missing. */
  keyFile: string;
  /** Where signed heads are published, one JSON line each. */
  headsFile: string;
  /** Where each signed head is also posted, through the outbox (`BATON_AUDIT_WITNESS_URL`); null when unset. */
  witnessUrl: string | null;
  sealIntervalMs: number;
  signIntervalMs: number;
}

export function readAuditConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): AuditConfig {
  const errors: ErrorDetail[] = [];
  const int = (name: string, fallback: number, min: number, max: number) =>
    envInt(env, errors, name, fallback, min, max);
  const config = {
    keyFile: env.BATON_AUDIT_KEY_FILE || join(dataDir, 'audit-signing-key.pem'),
    headsFile: env.BATON_AUDIT_HEADS_FILE || join(dataDir, 'audit-heads.jsonl'),
    witnessUrl: readWitnessUrl(env.BATON_AUDIT_WITNESS_URL, errors),
    sealIntervalMs: int('BATON_AUDIT_SEAL_INTERVAL_MS', 200, 10, 60_000),
    signIntervalMs: int('BATON_AUDIT_SIGN_INTERVAL_MS', 1000, 0, 3_600_000),
  };
  if (errors.length) throw new AppError('validation_failed', 'The configuration is not valid.', errors);
  return config;
}

/** An http or https URL, or null when unset; where it may point is the destination guard's to decide at send time. */
function readWitnessUrl(raw: string | undefined, errors: ErrorDetail[]): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  let url: URL | null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (url?.protocol === 'http:' || url?.protocol === 'https:') return url.href;
  errors.push({
    path: 'BATON_AUDIT_WITNESS_URL',
    message: `must be an http or https URL such as https://witness.example/heads, not ${JSON.stringify(raw)}`,
  });
  return null;
}
