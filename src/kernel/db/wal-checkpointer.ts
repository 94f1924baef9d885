import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies SQLite's write-ahead log back into the database file on a thread of its own.
 *
 * SQLite checkpoints the WAL on the committing connection (every 1,000 pages by default): with
 * `synchronous = FULL` that is a burst of writes and an fsync of the database file on the server's
 * only thread, stalling every request behind it. Here the writer's automatic checkpoint is off and,
 * some time after a commit, a worker thread with its own connection runs a PASSIVE checkpoint,
 * which never blocks the writer: the writer goes on appending to the WAL while frames already
 * committed are copied. Should the worker fail, the writer's automatic checkpoint is turned back on.
 */
export interface WalCheckpointer {
  /** Tells the checkpointer a commit happened; it checkpoints soon after. */
  committed(): void;
  close(): Promise<void>;
}

// The worker is plain CommonJS evaluated from a string, so it needs no file of its own beside the
// bundle; it loads better-sqlite3 from the path the main thread resolved.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let timer;
parentPort.on('message', (message) => {
  if (message === 'close') {
    clearTimeout(timer);
    db.close();
    parentPort.close();
    return;
  }
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    db.pragma('wal_checkpoint(PASSIVE)');
  }, workerData.delayMs);
});
`;

export function startWalCheckpointer(
  path: string,
  options: { delayMs?: number; onFailure: (error: unknown) => void },
): WalCheckpointer {
  let worker: Worker | undefined;
  let failed = false;
  const start = () => {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER, {
      eval: true,
      workerData: { path, driver, delayMs: options.delayMs ?? 50 },
    });
    w.unref();
    w.on('error', (error) => {
      failed = true;
      options.onFailure(error);
    });
    return w;
  };
  return {
    committed() {
      if (failed) return;
      worker ??= start();
      worker.postMessage('commit');
    },
    async close() {
      if (!worker || failed) return;
      const w = worker;
      // Held open while it finishes, or a process with nothing else to do would exit meanwhile.
      w.ref();
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.postMessage('close');
      });
    },
  };
}
