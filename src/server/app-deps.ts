import type { Deps } from '../kernel/context.js';
import { PORTS } from './ports.js';
import { SUBSCRIBERS } from './subscribers.js';

/**
 * What every use case is handed, as Baton's processes run it: the store, the clock (and where
 * outbound requests may go) with the composition root's subscribers (`subscribers.ts`) and ports
 * (`ports.ts`). The server, the CLI, the scheduler process and the tests all build their `Deps`
 * here, so none of them runs without the subscribers; a test may hand a registry extended from
 * `SUBSCRIBERS`.
 *
 * @example
 *   const deps = appDeps({ store: openStore(url), clock: systemClock });
 */
export function appDeps(
  parts: Omit<Deps, 'subscribers' | 'ports'>,
  subscribers = SUBSCRIBERS,
  ports = PORTS,
): Deps {
  return { ...parts, subscribers, ports };
}
