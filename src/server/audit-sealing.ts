import { type AuditSealer, startAuditSealer } from '../audit/audit-sealer.js';
import { loadHeadSigningKey } from '../audit/head-keys.js';
import { allHeadPublishers, fileHeadPublisher, type HeadPublisher } from '../audit/published-heads.js';
import { organisationsWithPendingAudit, sealAuditLog } from '../audit/seal-audit-log.js';
import { organisationsToSign, signAuditHead } from '../audit/sign-audit-head.js';
import type { Deps } from '../kernel/context.js';
import type { AuditConfig } from './audit-config.js';
import { witnessHeadPublisher } from './audit-witness.js';

/** The signing key and publishers the configuration names; undefined while there is no key file. */
function signingOf(config: AuditConfig) {
  const key = loadHeadSigningKey(config.keyFile);
  return key ? { key, publisher: headPublisherOf(config) } : undefined;
}

/**
 * Where the configuration publishes signed heads: the heads file, and the witness's outbox when
 * `BATON_AUDIT_WITNESS_URL` is set.
 */
export function headPublisherOf(config: AuditConfig): HeadPublisher {
  const file = fileHeadPublisher(config.headsFile);
  return config.witnessUrl ? allHeadPublishers([witnessHeadPublisher(config.witnessUrl), file]) : file;
}

/** Starts the sealer the configuration describes; `signing` says whether heads are signed. */
export function startConfiguredSealer(
  deps: Deps,
  config: AuditConfig,
  onError: (error: unknown) => void,
): { sealer: AuditSealer; signing: boolean } {
  const signing = signingOf(config);
  const sealer = startAuditSealer(deps, {
    intervalMs: config.sealIntervalMs,
    signIntervalMs: config.signIntervalMs,
    ...(signing ? { signing } : {}),
    onError,
  });
  return { sealer, signing: signing !== undefined };
}

/**
 * Seals every pending entry and signs every grown head at once: what a command that wrote to the
 * database does before it exits, so its entries do not wait for a server to seal them.
 */
export async function sealAndSignNow(deps: Deps, config: AuditConfig): Promise<void> {
  for (const orgId of await organisationsWithPendingAudit(deps.store.db))
    await sealAuditLog(deps.store.db, orgId, deps.clock.now());
  const signing = signingOf(config);
  if (!signing) return;
  const now = deps.clock.now();
  for (const orgId of await organisationsToSign(deps.store.db, now))
    await signAuditHead(deps.store.db, orgId, now, signing.key, signing.publisher);
}
