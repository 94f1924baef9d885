import type { Store } from '../../kernel/db/dialect.js';
import { refreshRollups } from './refresh-rollups.js';

export interface RollupRefresher {
  /** Stops the timer and waits for a round under way. */
  stop(): Promise<void>;
}

/**
 * Rolls up the metrics' marked months every `intervalMs`, a round at a time, beside the
 * scheduler (docs/design-metrics.md, "Refresh"); a month is rolled up once its first mark is an
 * interval old, so a month changing all the time is rolled up once an interval, not once per
 * process. A failed round is reported and the next one
 * tries again: the marks stay, and the metrics stay exact meanwhile (they read marked months
 * from the facts).
 */
export function startRollupRefresher(
  store: Pick<Store, 'db' | 'dialect' | 'snapshots'>,
  options: { intervalMs: number; onError?: (error: unknown) => void },
): RollupRefresher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const loop = () => {
    if (stopped) return;
    running = refreshRollups(store, { settledBefore: new Date(Date.now() - options.intervalMs) })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, options.intervalMs);
      });
  };
  timer = setTimeout(loop, options.intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
