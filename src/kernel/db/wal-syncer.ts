import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const syncFile = promisify(fdatasync);
const closeFile = promisify(close);

/** Makes what has been written to a file so far durable: resolves once it is on stable storage. */
export type SyncFile = () => Promise<void>;

/**
 * `fdatasync` of a SQLite database's write-ahead log on the thread pool, so that the connection's
 * thread goes on working while the disk catches up. The log is opened on first use (SQLite
 * creates it) and stays open: SQLite removes it only when the last connection closes.
 */
export function walFileSync(databasePath: string): SyncFile & { close(): Promise<void> } {
  let fd: Promise<number> | undefined;
  const sync = async () => {
    fd ??= openFile(`${databasePath}-wal`, 'r+');
    try {
      await syncFile(await fd);
    } catch (error) {
      fd = undefined;
      throw error;
    }
  };
  return Object.assign(sync, {
    close: async () => {
      const open = fd;
      fd = undefined;
      if (open) await closeFile(await open).catch(() => undefined);
    },
  });
}

/**
 * Group syncing: any number of callers ask that everything written before they asked be durable,
 * and share the syncs. At most one sync runs at a time; callers arriving while it runs are served
 * by it if nothing was written since it began, else together by the next one.
 *
 * A failed sync leaves unknown what reached the disk, so the syncer fails for good: every waiting
 * and later caller gets the error (a store in that state must be restarted, as PostgreSQL
 * stops on a failed fsync rather than retrying it).
 */
export class GroupSyncer {
  private running: Promise<void> | undefined;
  /** How many writes the running sync covers (those announced before it began). */
  private runningCovers = 0;
  private next: { promise: Promise<void>; resolve(): void; reject(error: unknown): void } | undefined;
  private failure: { error: unknown } | undefined;
  /** Writes asked to be made durable, and how many of them are. */
  private asked = 0;
  private durable = 0;

  constructor(private readonly syncFile: SyncFile) {}

  /** True while something written (and announced with `written`) is not yet known durable. */
  get pending(): boolean {
    return this.durable < this.asked;
  }

  /** Notes a write; `sync` then makes it durable. */
  written(): void {
    this.asked++;
  }

  /** Resolves once everything written before this call is durable. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (!this.running) return this.start();
    // Nothing written since the running sync began (a reader asking): that sync is enough.
    if (this.runningCovers >= this.asked) return this.running;
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.next = { promise, resolve, reject };
    }
    return this.next.promise;
  }

  /** Resolves once no sync is running or waiting (errors are the callers'). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private start(): Promise<void> {
    const covers = this.asked;
    this.runningCovers = covers;
    const run = this.syncFile().then(
      () => {
        this.durable = Math.max(this.durable, covers);
        this.finish();
      },
      (error: unknown) => {
        this.failure = { error };
        this.finish();
        throw error;
      },
    );
    this.running = run;
    return run;
  }

  private finish(): void {
    this.running = undefined;
    const waiting = this.next;
    this.next = undefined;
    if (!waiting) return;
    if (this.failure) waiting.reject(this.failure.error);
    else this.start().then(waiting.resolve, waiting.reject);
  }
}
