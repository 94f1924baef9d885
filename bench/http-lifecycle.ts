/**
 * Benchmark (1) and (4): submit and accept, end to end through HTTP with auth, validation, audit
 * and the packet's records, against a bare Fastify route inserting one row into the same database,
 * measured in the same run. On SQLite with one process; on PostgreSQL with one and three.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './support/figure.js';
import { type LoadResult, loadPaths } from './support/load.js';
import { bundle, freePort, type Running, spawnServer } from './support/processes.js';
import { seedHandoffs } from './support/seed.js';

const CONNECTIONS = 50;
/** Handoffs submitted and accepted before measuring, so both servers are measured warm. */
const WARM_UP = 500;

export async function benchLifecycle(options: {
  label: string;
  databaseUrl: string;
  bareDatabaseUrl: string;
  processes: number;
  count: number;
}): Promise<Figure[]> {
  const seeded = await seedHandoffs(options.databaseUrl, WARM_UP + options.count);
  const warmIds = seeded.handoffIds.slice(0, WARM_UP);
  const handoffIds = seeded.handoffIds.slice(WARM_UP);
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
          { BATON_DATABASE_URL: options.databaseUrl, BATON_SCHEDULER: 'off' },
          await freePort(),
        ),
      );
    }
    // Warm up both (JIT, lazily compiled validators and serializers, connection pools) on
    // requests of the same kinds as those measured.
    const urls = servers.map((s) => s.url);
    await loadPaths([bare.url], Array(WARM_UP).fill('/bare'), { connections: CONNECTIONS });
    for (const [step, token] of [
      ['submit', seeded.sales],
      ['accept', seeded.operations],
    ] as const) {
      await loadPaths(
        urls,
        warmIds.map((id) => `/api/v1/handoffs/${id}/${step}`),
        { connections: CONNECTIONS, token },
      );
    }

    // The baselines run before and after ours, half each, and count as one run: the machine's
    // speed drifts over a benchmark (other tenants, heat), and that way the drift falls on both.
    const half = Math.ceil(options.count / 2);
    const bareRun = (path: string) =>
      loadPaths([bare.url], Array(half).fill(path), { connections: CONNECTIONS });
    const before = [await bareRun('/bare'), await bareRun('/bare-tx')];
    settle();
    const submit = await loadPaths(
      urls,
      handoffIds.map((id) => `/api/v1/handoffs/${id}/submit`),
      { connections: CONNECTIONS, token: seeded.sales },
    );
    settle();
    const accept = await loadPaths(
      urls,
      handoffIds.map((id) => `/api/v1/handoffs/${id}/accept`),
      { connections: CONNECTIONS, token: seeded.operations },
    );
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
    const note = `${options.count} requests each, ${CONNECTIONS} connections; bare insert ${baseline.rps.toFixed(0)} req/s (${before[0]!.rps.toFixed(0)} before ours, ${after[1]!.rps.toFixed(0)} after), p99 ${baseline.p99} ms`;
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
          baseline: baseline.rps,
          ratio: r.rps / baseline.rps,
          ...(name === 'submit' ? { note } : {}),
        },
        {
          name: `${name} p99 (${options.label})`,
          value: r.p99,
          unit: 'ms',
          baseline: baseline.p99,
          ratio: r.p99 / Math.max(1, baseline.p99),
        },
      );
    }
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
