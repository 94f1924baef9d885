import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../kernel/errors.js';
import type { ParseResult } from './domain/parse-playbook.js';

/** Checks playbook documents on a worker thread, so the event loop stays free meanwhile. */
export interface PlaybookChecker {
  /**
   * Parses and validates a document. A document that takes longer than the time limit, or more
   * memory than the worker has, is answered as one error saying so; when too many documents wait
   * already, refuses with `too_many_requests`.
   */
  check(source: string, file: string): Promise<ParseResult>;
  /** Stops the worker; documents still waiting are refused. */
  close(): Promise<void>;
}

export interface PlaybookCheckerOptions {
  /** How long one document may take, from when the worker takes it up. */
  timeLimitMs?: number;
  /** How many documents may wait for the worker; more are refused. */
  maxWaiting?: number;
}

/**
 * The most one document may take, so that any document is answered within a second. Checking is
 * linear, but the YAML parser alone may need more than this for the largest document the API
 * accepts on a busy machine; a real playbook (10–20 KB) takes a few milliseconds.
 */
export const CHECK_TIME_LIMIT_MS = 800;
const MAX_WAITING = 8;
// A document under the size cap needs well under this; more means something is wrong with it.
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 512 };

interface Job {
  id: number;
  source: string;
  file: string;
  resolve: (result: ParseResult) => void;
  reject: (error: unknown) => void;
}

type Reply = { ready: true } | { id: number; result: ParseResult } | { id: number; failure: string };

/** One error for the whole document, for when it could not be checked at all. */
function refusal(file: string, message: string): ParseResult {
  return { ok: false, errors: [{ file, line: 1, column: 1, path: '', message }], errorCount: 1 };
}

/**
 * Running from source (tsx, vitest), the worker is TypeScript: it registers tsx's loader itself,
 * whatever flags the parent was started with. From the bundle it is `playbook-check-worker.mjs`,
 * built beside it by `scripts/build-server.mjs`.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    return new Worker(new URL('./playbook-check-worker.mjs', here), { resourceLimits: RESOURCE_LIMITS });
  }
  const require = createRequire(here);
  const manifest = require.resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(manifest, 'utf8')) as TsxManifest).exports['./esm/api'];
  if (!api) throw new Error(`${manifest} does not export ./esm/api`);
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });
  `;
  return new Worker(bootstrap, {
    eval: true,
    execArgv: [],
    resourceLimits: RESOURCE_LIMITS,
    workerData: {
      tsx: pathToFileURL(join(dirname(manifest), api.import.default)).href,
      entry: new URL('./playbook-check-worker.ts', here).href,
    },
  });
}
interface TsxManifest {
  exports: Record<string, { import: { default: string } }>;
}

/**
 * A checker with two worker threads: one checks while the other waits, warm, so that when a
 * document runs over the time limit and its worker is ended (JavaScript cannot be interrupted
 * otherwise), the next document need not wait for a worker to start. Documents are checked one at
 * a time, in the order they came, leaving the other core to the event loop.
 */
export function createPlaybookChecker(options: PlaybookCheckerOptions = {}): PlaybookChecker {
  const timeLimitMs = options.timeLimitMs ?? CHECK_TIME_LIMIT_MS;
  const maxWaiting = options.maxWaiting ?? MAX_WAITING;
  const poolSize = 2;
  const waiting: Job[] = [];
  const all = new Set<Worker>();
  const idle: Worker[] = [];
  let startFailed = false;
  let busy: { worker: Worker; job: Job; timer: NodeJS.Timeout } | undefined;
  let nextId = 1;

  /** Ends the running job's turn, handing its worker back when it is still usable. */
  const finish = (keepWorker: boolean): Job | undefined => {
    if (!busy) return undefined;
    const { worker, job, timer } = busy;
    busy = undefined;
    clearTimeout(timer);
    if (keepWorker) idle.push(worker);
    return job;
  };

  const drop = (w: Worker) => {
    all.delete(w);
    const at = idle.indexOf(w);
    if (at >= 0) idle.splice(at, 1);
    void w.terminate();
  };

  const spawn = () => {
    const w = startWorker();
    all.add(w);
    let ready = false;
    w.on('message', (reply: Reply) => {
      if (!all.has(w)) return;
      if ('ready' in reply) {
        ready = true;
        idle.push(w);
      } else if (busy?.worker === w && busy.job.id === reply.id) {
        const job = finish(true) as Job;
        if ('result' in reply) job.resolve(reply.result);
        else job.reject(new Error(`Checking a playbook failed: ${reply.failure}`));
      }
      pump();
    });
    const fail = (error: Error & { code?: string }) => {
      if (!all.has(w)) return;
      drop(w);
      if (!ready) {
        // A worker that cannot even start would fail again at once: refuse what waits instead.
        startFailed = true;
        for (const job of waiting.splice(0)) job.reject(error);
      } else if (busy?.worker === w) {
        const job = finish(false) as Job;
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          job.resolve(
            refusal(
              job.file,
              'checking the document needed more memory than the server gives one document; make it smaller or less repetitive',
            ),
          );
        } else {
          job.reject(error);
        }
      }
      pump();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`The playbook worker stopped (exit code ${code}).`)));
  };

  const pump = () => {
    dispatch();
    // One worker starts at a time, and the spare only while nothing is being checked: on two
    // cores, starting both at once (or the spare beside a check) slows the check it waits for.
    const starting = all.size - idle.length - (busy ? 1 : 0);
    if (!startFailed && starting === 0 && all.size < poolSize && (all.size === 0 || !busy)) spawn();
    // Workers keep the process alive only while there is work for them.
    const working = busy !== undefined || waiting.length > 0;
    for (const w of all) {
      if (working) w.ref();
      else w.unref();
    }
  };

  /** Hands the next waiting document to an idle worker, with the time limit running. */
  const dispatch = () => {
    if (busy || waiting.length === 0) return;
    const w = idle.shift();
    if (!w) return;
    const job = waiting.shift() as Job;
    const timer = setTimeout(() => {
      if (busy?.job !== job) return;
      finish(false);
      drop(w);
      job.resolve(
        refusal(
          job.file,
          `checking the document took longer than ${timeLimitMs / 1000} s, the most the server spends on one; make it smaller or less repetitive`,
        ),
      );
      pump();
    }, timeLimitMs);
    busy = { worker: w, job, timer };
    w.postMessage({ id: job.id, source: job.source, file: job.file });
  };

  return {
    check(source, file) {
      if (waiting.length >= maxWaiting) {
        return Promise.reject(
          new AppError(
            'too_many_requests',
            'The server is checking other playbooks; try again in a moment.',
            [],
            { retry_after: 1 },
          ),
        );
      }
      startFailed = false;
      return new Promise<ParseResult>((resolve, reject) => {
        waiting.push({ id: nextId++, source, file, resolve, reject });
        pump();
      });
    },
    async close() {
      const closing = new AppError('too_many_requests', 'The playbook checker is stopping.', [], {
        retry_after: 1,
      });
      startFailed = true;
      for (const job of waiting.splice(0)) job.reject(closing);
      finish(false)?.reject(closing);
      const workers = [...all];
      all.clear();
      idle.length = 0;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

let shared: PlaybookChecker | undefined;

/** The process's checker, started on first use. */
export function playbookChecker(): PlaybookChecker {
  shared ??= createPlaybookChecker();
  return shared;
}
