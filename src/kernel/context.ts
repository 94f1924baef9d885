import type { Kysely, Transaction } from 'kysely';
import type { Clock } from './clock.js';
import type { Store } from './db/dialect.js';
import type { Database } from './db/schema.js';
import { bindSubscribers, type Subscribers } from './events.js';
import type { DestinationGuard } from './outbound/destination-guard.js';

/**
 * What one feature asks another to answer where no event fits (a read, not a reaction): each
 * member is declared by the feature that asks, by augmenting this interface in its own folder,
 * and handed in by the composition root (`src/server/ports.ts`), so neither feature imports the
 * other.
 *
 * @example
 *   declare module '../kernel/context.js' {
 *     interface Ports { closeBlockersOf(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, Issue[]>> }
 *   }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the features that ask (see above)
export interface Ports {}

/** What every use case is handed: where the data lives and what time it is. */
export interface Deps {
  store: Store;
  clock: Clock;
  /**
   * Who reacts to the domain events use cases publish. Required, so nothing runs without them:
   * the processes and the tests take the composition root's (`src/server/app-deps.ts`).
   */
  subscribers: Subscribers;
  /** What features answer one another, handed in by the composition root (`appDeps`). */
  ports: Ports;
  /** Where outbound requests may go (chat webhooks); public destinations only when absent. */
  destinations?: DestinationGuard;
}

export type Tx = Transaction<Database>;
export type Db = Kysely<Database> | Transaction<Database>;

type BeforeCommit = (trx: Tx) => Promise<void>;
const beforeCommit = new WeakMap<Tx, Map<string, BeforeCommit>>();

/**
 * Runs `work` in one transaction: all of its writes land, or none do. The events it publishes
 * reach `deps.subscribers` inside it; work registered with `onBeforeCommit` runs last, inside it too.
 */
export function inTransaction<T>(deps: Deps, work: (trx: Tx) => Promise<T>): Promise<T> {
  return deps.store.db.transaction().execute(async (trx) => {
    bindSubscribers(trx, deps.subscribers);
    const hooks = new Map<string, BeforeCommit>();
    beforeCommit.set(trx, hooks);
    const result = await work(trx);
    for (const hook of hooks.values()) await hook(trx);
    beforeCommit.delete(trx);
    return result;
  });
}

/**
 * Registers `hook` (once per key) to run at the end of a transaction opened by `inTransaction`,
 * just before it commits. Answers false when the transaction was not opened that way, so the
 * caller does its work at once instead.
 */
export function onBeforeCommit(trx: Tx, key: string, hook: BeforeCommit): boolean {
  const hooks = beforeCommit.get(trx);
  if (!hooks) return false;
  if (!hooks.has(key)) hooks.set(key, hook);
  return true;
}
