/**
 * Benchmark (1) and (4): submit and accept, end to end through HTTP with auth, validation, audit
 * and the packet's records, against a bare Fastify route inserting one row into the same database,
 * measured in the same run. On SQLite with one process; on PostgreSQL with one and three.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHeadSigningKey } from '../src/audit/head-keys.js';
import { openStore } from '../src/kernel/db/dialect.js';
import type { Figure } from './support/figure.js';
import { type LoadResult, loadPaths } from './support/load.js';
import { bundle, freePort, type Running, spawnServer } from './support/processes.js';
import { requestsOf, seedHandoffs } from './support/seed.js';

const CONNECTIONS = 50;
/** Handoffs submitted and accepted before measuring, so both servers are measured warm. */
const WARM_UP = 500;

export async function benchLifecycle(options: {
  label: string;
  databaseUrl: string;
  bareDatabaseUrl: string;
  processes: number;
  count: number;
  /** Organisations the requests are spread over (one by default: every writer in one audit log). */
  organisations?: number;
  /** What submit and accept are set against: the plain insert (default) or the insert in a transaction. */
  against?: 'bare' | 'bare-tx';
}): Promise<Figure[]> {
  const seeded = await seedHandoffs(options.databaseUrl, WARM_UP + options.count, options.organisations ?? 1);
  const warm = seeded.slice(0, WARM_UP);
  const measured = seeded.slice(WARM_UP);
  // Every process runs as in production, scheduler and audit sealer included, each with the
  // organisation's signing key and a heads file of its own.
  const auditDir = mkdtempSync(join(tmpdir(), 'baton-bench-audit-'));
  const keyFile = join(auditDir, 'audit-signing-key.pem');
  createHeadSigningKey(keyFile);
  const servers: Running[] = [];
  const bare = await spawnServer(
    await bundle('bench/support/bare-server.ts', 'bench-bare'),
    [],
    { BATON_DATABASE_URL: options.bareDatabaseUrl },
    await freePort(),
  );
  try {
    for (let i = 0; i < options.processes; i++) {
      servers.push(
        await spawnServer(
          await bundle('src/cli/main.ts', 'baton'),
          ['serve'],
          {
            BATON_DATABASE_URL: options.databaseUrl,
            BATON_DATA_DIR: auditDir,
            BATON_AUDIT_KEY_FILE: keyFile,
            BATON_AUDIT_HEADS_FILE: join(auditDir, `audit-heads-${i + 1}.jsonl`),
          },
          await freePort(),
        ),
      );
    }
    // Warm up both (JIT, lazily compiled validators and serializers, connection pools) on
    // requests of the same kinds as those measured.
    const urls = servers.map((s) => s.url);
    await loadPaths([bare.url], Array(WARM_UP).fill('/bare'), { connections: CONNECTIONS });
    for (const step of ['submit', 'accept'] as const) {
      await loadPaths(urls, requestsOf(warm, step), { connections: CONNECTIONS });
    }

    // The baselines run before and after ours, half each, and count as one run: the machine's
    // speed drifts over a benchmark (other tenants, heat), and that way the drift falls on both.
    const half = Math.ceil(options.count / 2);
    const bareRun = (path: string) =>
      loadPaths([bare.url], Array(half).fill(path), { connections: CONNECTIONS });
    const before = [await bareRun('/bare'), await bareRun('/bare-tx')];
    settle();
    const measuredFrom = new Date();
    const submit = await loadPaths(urls, requestsOf(measured, 'submit'), { connections: CONNECTIONS });
    settle();
    const accept = await loadPaths(urls, requestsOf(measured, 'accept'), { connections: CONNECTIONS });
    const lag = await sealingLag(options.databaseUrl, measuredFrom);
    const after = [await bareRun('/bare-tx'), await bareRun('/bare')];
    const baseline = combined(before[0]!, after[1]!);
    const baselineTx = combined(before[1]!, after[0]!);
    for (const [name, r] of [
      ['submit', submit],
      ['accept', accept],
    ] as const) {
      if (r.non2xx || r.errors) {
        throw new Error(
          `${name} on ${options.label}: ${r.non2xx} non-2xx, ${r.errors} errors (${r.timeouts} timeouts)`,
        );
      }
    }
    const against = options.against === 'bare-tx' ? baselineTx : baseline;
    const againstName = options.against === 'bare-tx' ? 'bare insert in a transaction' : 'bare insert';
    const note = `${options.count} requests each over ${options.organisations ?? 1} organisation${(options.organisations ?? 1) > 1 ? 's' : ''}, against the ${againstName}; ${CONNECTIONS} connections; bare insert ${baseline.rps.toFixed(0)} req/s (${before[0]!.rps.toFixed(0)} before ours, ${after[1]!.rps.toFixed(0)} after), p99 ${baseline.p99} ms`;
    const figures: Figure[] = [];
    for (const [name, r] of [
      ['submit', submit],
      ['accept', accept],
    ] as const) {
      figures.push(
        {
          name: `${name} req/s (${options.label})`,
          value: r.rps,
          unit: 'req/s',
          baseline: against.rps,
          ratio: r.rps / against.rps,
          ...(name === 'submit' ? { note } : {}),
        },
        {
          name: `${name} p99 (${options.label})`,
          value: r.p99,
          unit: 'ms',
          baseline: against.p99,
          ratio: r.p99 / Math.max(1, against.p99),
        },
      );
    }
    figures.push({
      name: `audit sealing lag p99 (${options.label})`,
      value: lag.p99,
      unit: 'ms',
      baseline: SEAL_INTERVAL_MS,
      ratio: lag.p99 / SEAL_INTERVAL_MS,
      note: `${lag.entries} entries written by the measured requests, median ${lag.p50.toFixed(0)} ms; baseline: the sealer's interval`,
    });
    figures.push({
      name: `bare insert in a transaction req/s (${options.label})`,
      value: baselineTx.rps,
      unit: 'req/s',
      baseline: baseline.rps,
      ratio: baselineTx.rps / baseline.rps,
      note: `p99 ${baselineTx.p99} ms; the stricter baseline: submit ${(submit.rps / baselineTx.rps).toFixed(2)}×, accept ${(accept.rps / baselineTx.rps).toFixed(2)}× of it`,
    });
    return figures;
  } finally {
    await Promise.all([...servers.map((s) => s.stop()), bare.stop()]);
  }
}

/** How often a server's audit sealer looks for work (the default of BATON_AUDIT_SEAL_INTERVAL_MS). */
const SEAL_INTERVAL_MS = 200;

/**
 * How long the audit entries written since `since` waited between their transaction and their
 * sealing, once every one is sealed (waiting up to 30 s for the last): median and 99th percentile.
 */
async function sealingLag(
  databaseUrl: string,
  since: Date,
): Promise<{ entries: number; p50: number; p99: number }> {
  const store = openStore(databaseUrl);
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const waiting = await store.db.selectFrom('audit_pending').select('id').limit(1).execute();
      if (waiting.length === 0) break;
      if (Date.now() > deadline) throw new Error('audit entries were still waiting to be sealed after 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows = await store.db
      .selectFrom('audit_log')
      .select(['at', 'sealed_at'])
      .where('at', '>=', since.toISOString())
      .where('sealed_at', 'is not', null)
      .execute();
    const lags = rows
      .map((r) => new Date(r.sealed_at!).getTime() - new Date(r.at).getTime())
      .sort((a, b) => a - b);
    const at = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0;
    return { entries: lags.length, p50: at(0.5), p99: at(0.99) };
  } finally {
    await store.close();
  }
}

/**
 * Writes every dirty page to disk before a measured run, so that no run pays for the writes of
 * the one before it (a statement-per-request insert waits for the disk at every request, and
 * waits longer while the kernel is writing back what an earlier run left behind).
 */
function settle(): void {
  execFileSync('sync');
}

/**
 * Two runs of one baseline as one: requests over the seconds of both, and the worse p99 (each
 * run's own is all autocannon keeps).
 */
function combined(a: LoadResult, b: LoadResult): LoadResult {
  const requests = a.requests + b.requests;
  const seconds = a.seconds + b.seconds;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: Math.max(a.p50, b.p50),
    p99: Math.max(a.p99, b.p99),
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
  };
}

/** A fresh SQLite file in a temp dir. */
export function tempSqlite(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'baton-bench-')), `${name}.db`);
}
