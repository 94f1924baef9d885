import type { Deps } from '../kernel/context.js';
import type { HeadSigningKey } from './head-keys.js';
import type { HeadPublisher } from './published-heads.js';
import { organisationsWithPendingAudit, sealAuditLog } from './seal-audit-log.js';
import { organisationsToSign, signAuditHead } from './sign-audit-head.js';

/**
 * Organisations sealed at once by one process. Each takes a connection for its transaction, so
 * this stays well under a store's pool (10); on SQLite the transactions take turns on the writer.
 */
const SEAL_CONCURRENCY = 4;

export interface AuditSealerOptions {
  /** How long the sealer sleeps between sweeps. */
  intervalMs?: number;
  /** Heads are signed at most this often per organisation (and at least this soon after growing). */
  signIntervalMs?: number;
  /** Without a key the log is sealed but no head is signed. */
  signing?: { key: HeadSigningKey; publisher: HeadPublisher };
  onError?: (error: unknown) => void;
}

export interface AuditSealer {
  /** One sweep: seal every organisation with pending entries, then sign the heads that are due. */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the audit sealer beside the server or the scheduler: every `intervalMs` it seals what
 * writers appended (skipping organisations another process is sealing) and signs grown heads.
 * Any number of processes may run one against one database.
 */
export function startAuditSealer(deps: Deps, options: AuditSealerOptions = {}): AuditSealer {
  const intervalMs = options.intervalMs ?? 200;
  const signIntervalMs = options.signIntervalMs ?? 1000;
  const db = deps.store.db;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const sweep = async () => {
    // Organisations are sealed side by side, each in transactions of its own (a pool's worth at
    // most), so one with a long backlog does not hold the others' entries back.
    const waiting = await organisationsWithPendingAudit(db);
    const sealOne = async (): Promise<void> => {
      for (let orgId = waiting.shift(); orgId !== undefined; orgId = waiting.shift()) {
        await sealAuditLog(db, orgId, deps.clock.now(), { wait: false });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEAL_CONCURRENCY, waiting.length) }, sealOne));
    if (options.signing) {
      const now = deps.clock.now();
      for (const orgId of await organisationsToSign(db, new Date(now.getTime() - signIntervalMs))) {
        await signAuditHead(db, orgId, now, options.signing.key, options.signing.publisher);
      }
    }
  };
  const loop = () => {
    if (stopped) return;
    running = sweep()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  timer = setTimeout(loop, 0);
  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
