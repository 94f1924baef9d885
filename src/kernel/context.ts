import type { Kysely, Transaction } from 'kysely';
import type { Clock } from './clock.js';
import type { Store } from './db/dialect.js';
import type { Database } from './db/schema.js';

/** What every use case is handed: where the data lives and what time it is. */
export interface Deps {
  store: Store;
  clock: Clock;
}

export type Tx = Transaction<Database>;
export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one transaction: all of its writes land, or none do. */
export function inTransaction<T>(deps: Deps, work: (trx: Tx) => Promise<T>): Promise<T> {
  return deps.store.db.transaction().execute(work);
}
