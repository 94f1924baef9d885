import type { Ports } from '../../src/kernel/context.js';

/**
 * Ports for kernel tests, which run no feature: nothing here is ever asked. A test that reaches a
 * feature takes the composition root's (`appDeps`).
 */
export const NO_PORTS = new Proxy({} as Ports, {
  get: (_target, name) => {
    throw new Error(`A kernel test asked the port ${String(name)}: build its deps with appDeps`);
  },
});
