/**
 * Real Baton processes for the "proof at scale" suites: the CLI and `baton serve` as child
 * processes, started, killed (SIGKILL) and restarted by the tests, plus a small fetch client.
 *
 * `node --import tsx src/cli/main.ts` spends most of its start-up transforming TypeScript, and the
 * crash suite restarts the server dozens of times, so by default the sources are transpiled once
 * per test file with esbuild (the transformer tsx itself uses; no bundling, the same module
 * layout, the YAML playbooks copied beside them) into a temp dir whose `node_modules` links to the
 * project's. `BATON_CLUSTER_TSX=1` runs `node --import tsx src/cli/main.ts` instead.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres-server.js';

export const ROOT = join(import.meta.dirname, '..', '..');

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies freely
export type Json = any;

export { freePort };

/** How to run the Baton CLI: `node <args…> <command…>`. */
export interface BatonBuild {
  nodeArgs: string[];
  cleanup(): void;
}

/** Transpiles src/ once (see the file comment), or uses tsx when BATON_CLUSTER_TSX=1. */
export async function buildBaton(): Promise<BatonBuild> {
  if (process.env.BATON_CLUSTER_TSX === '1') {
    return { nodeArgs: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')], cleanup: () => {} };
  }
  let build: typeof import('esbuild').build;
  try {
    ({ build } = await import('esbuild'));
  } catch {
    // esbuild comes with tsx; should it ever be missing, run the sources through tsx.
    return { nodeArgs: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')], cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'baton-build-'));
  const src = join(ROOT, 'src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(src, f));
  await build({
    entryPoints: files,
    outdir: join(dir, 'src'),
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  // Non-TypeScript assets read at run time (the built-in playbooks' YAML).
  cpSync(src, join(dir, 'src'), {
    recursive: true,
    filter: (s) => !/\.(ts|tsx)$/.test(s),
  });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'web'), { recursive: true });
  return {
    nodeArgs: [join(dir, 'src', 'cli', 'main.js')],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs one CLI command to its end. */
export function runCli(
  baton: BatonBuild,
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...baton.nodeArgs, ...args],
      { cwd: ROOT, env: { ...process.env, ...env, BATON_LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs a CLI command that prints JSON, failing with its stderr when it does not succeed. */
export async function cliJson(
  baton: BatonBuild,
  env: Record<string, string>,
  ...args: string[]
): Promise<Json> {
  const res = await runCli(baton, env, ...args);
  if (res.code !== 0) throw new Error(`baton ${args.join(' ')} exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout);
}

const live = new Set<ChildProcess>();
// A test process that ends for any reason takes its servers with it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** One `baton serve` process. */
export interface BatonNode {
  url: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  /** What the server logged (its stdout), the last 64 kB. */
  log(): string;
  /** SIGKILL, resolved once the process has exited. */
  kill(): Promise<void>;
  /** SIGTERM (a graceful stop), resolved once the process has exited. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `baton serve` on `port` (one from the OS by default) and waits for /healthz. */
export async function startNode(
  baton: BatonBuild,
  env: Record<string, string>,
  options: { port?: number; readyTimeoutMs?: number } = {},
): Promise<BatonNode> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...baton.nodeArgs, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, BATON_LOG_LEVEL: 'silent', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  // The server's log (BATON_LOG_LEVEL, silent unless the caller sets one), its last 64 kB.
  let log = '';
  child.stdout?.on('data', (d) => {
    log = (log + String(d)).slice(-65_536);
  });
  const url = `http://127.0.0.1:${port}`;
  const node: BatonNode = {
    url,
    port,
    child,
    stderr: () => stderr,
    log: () => log,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const done = exited(child);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `baton serve exited (${child.exitCode ?? child.signalCode}) before it was ready: ${stderr}`,
      );
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return node;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await node.kill();
      throw new Error(
        `baton serve on port ${port} was not ready within ${options.readyTimeoutMs ?? 30_000} ms: ${stderr}`,
      );
    }
    await sleep(15);
  }
}

/** Kills every server process still running (for afterAll, whatever happened). */
export async function killAllNodes(): Promise<void> {
  await Promise.all(
    [...live].map((child) => {
      child.kill('SIGKILL');
      return exited(child);
    }),
  );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it holds; fails naming what was awaited and the last state seen. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe?: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${describe ? `: ${await describe()}` : ''}`,
      );
    await sleep(50);
  }
}

/** A seeded pseudo-random generator (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** How a request authenticates: a bearer token, a session cookie (+ CSRF token), or nothing. */
export type Credentials = string | { cookie: string; csrf?: string } | null;

/** One HTTP request to a node; network failures throw (the write was not acknowledged). */
export async function request(
  baseUrl: string,
  credentials: Credentials,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  timeoutMs = 20_000,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (typeof credentials === 'string') headers.authorization = `Bearer ${credentials}`;
  else if (credentials) {
    headers.cookie = credentials.cookie;
    if (credentials.csrf) headers['x-csrf-token'] = credentials.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: Json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}

/** The Message-ID Baton gives an outbox e-mail is `<job-id@baton>`: the job id, or null. */
export function messageJobId(raw: string): string | null {
  const m = /^message-id:\s*<([^@>]+)@baton>/im.exec(raw);
  return m ? m[1]! : null;
}
