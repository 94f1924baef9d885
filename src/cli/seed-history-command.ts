import { InvalidArgumentError } from 'commander';
import { type SeedHistoryResult, seedHistory } from '../demo/seed-history.js';
import type { Deps } from '../kernel/context.js';
import { refreshRollups } from '../metrics/rollups/refresh-rollups.js';
import { countBar } from './progress-bar.js';

/** A whole number option (`--handoffs 5000`), or commander's error naming it. */
export function wholeNumber(value: string): number {
  if (!/^[0-9]{1,9}$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

/**
 * `baton seed-demo --handoffs N [--seed S] [--append]`: writes the demo organisation's history
 * with a progress bar on stderr.
 */
export async function seedDemoHistory(
  deps: Deps,
  options: { handoffs: number; seed: number; append: boolean },
): Promise<SeedHistoryResult> {
  const bar = countBar(options.handoffs, 'handoffs', process.stderr);
  try {
    const history = await seedHistory(deps.store, {
      slug: 'demo',
      handoffs: options.handoffs,
      seed: options.seed,
      append: options.append,
      now: deps.clock.now(),
      onProgress: (done) => bar.update(done),
    });
    // Rolled up now, so the dashboard reads roll-ups from the first look.
    await refreshRollups(deps.store);
    return history;
  } finally {
    bar.done();
  }
}

export function historyLine(h: SeedHistoryResult): string {
  const rows = Object.values(h.rows).reduce((s, n) => s + (n ?? 0), 0);
  const states = Object.entries(h.states)
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  return `History: ${h.handoffs} handoffs (${states}); ${rows} rows written in ${(h.ms / 1000).toFixed(1)} s`;
}
