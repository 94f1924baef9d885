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
  /** How often a sealing sweep starts (the next at once when one takes longer); signing looks as often for heads due. */
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
 * writers appended (skipping organisations another process is sealing), and in a loop of its own
 * signs grown heads, so a round of signing (a read of the new leaves and a durable append to the
 * heads file per organisation) never holds the next sealing back. Sweeps start `intervalMs`
 * apart (or at once after one that took longer), so an entry waits about one interval plus one
 * sweep. Any number of processes may run one against one database.
 */
export function startAuditSealer(deps: Deps, options: AuditSealerOptions = {}): AuditSealer {
  const intervalMs = options.intervalMs ?? 200;
  const signIntervalMs = options.signIntervalMs ?? 1000;
  const db = deps.store.db;

  const seal = async () => {
    // Organisations are sealed side by side, each in transactions of its own (a pool's worth at
    // most), so one with a long backlog does not hold the others' entries back.
    const waiting = await organisationsWithPendingAudit(db);
    const sealOne = async (): Promise<void> => {
      for (let orgId = waiting.shift(); orgId !== undefined; orgId = waiting.shift()) {
        await sealAuditLog(db, orgId, deps.clock.now(), { wait: false });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEAL_CONCURRENCY, waiting.length) }, sealOne));
  };
  const sign = async () => {
    if (!options.signing) return;
    const now = deps.clock.now();
    for (const orgId of await organisationsToSign(db, new Date(now.getTime() - signIntervalMs))) {
      await signAuditHead(db, orgId, now, options.signing.key, options.signing.publisher);
    }
  };
  const loops = [
    repeat(seal, intervalMs, options.onError),
    ...(options.signing ? [repeat(sign, intervalMs, options.onError)] : []),
  ];
  return {
    async sweep() {
      await seal();
      await sign();
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}

/**
 * Runs `work` now and then again and again, each run starting `intervalMs` after the one before
 * started (at once when that one took longer), never two at a time; a failed run is reported and
 * the next goes on.
 */
function repeat(
  work: () => Promise<void>,
  intervalMs: number,
  onError?: (error: unknown) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const loop = () => {
    if (stopped) return;
    const started = performance.now();
    running = work()
      .catch((error: unknown) => onError?.(error))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, Math.max(0, intervalMs - (performance.now() - started)));
      });
  };
  timer = setTimeout(loop, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
