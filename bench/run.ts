/**
 * `npm run bench`: every benchmark, each figure printed beside a baseline measured in the same
 * run, and a summary written to bench/RESULTS.md with the machine described.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres } from '../test/support/postgres-server.js';
import { benchColdStart } from './cold-start.js';
import { benchLifecycle, tempSqlite } from './http-lifecycle.js';
import { benchInboundCrm } from './inbound-crm.js';
import { benchInventoryImport } from './inventory-import.js';
import { benchMetricsDashboard } from './metrics-dashboard.js';
import { benchPlaybookCheck } from './playbook-check.js';
import { benchReadiness } from './readiness.js';
import { benchRecordImport } from './record-import.js';
import type { Figure } from './support/figure.js';
import { benchWebhookDelivery } from './webhook-delivery.js';

const COUNT = Number(process.env.BENCH_REQUESTS ?? 3000);

async function withPostgres<T>(work: (newDb: (name: string) => Promise<string>) => Promise<T>): Promise<T> {
  const server = await startPostgres({ settings: { max_connections: '200' } });
  try {
    return await work(async (name) => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return server.url.replace(/\/postgres$/, `/${name}`);
    });
  } finally {
    await server.stop();
  }
}

function format(f: Figure): string {
  const n = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  return `| ${f.name} | ${n(f.value)} ${f.unit} | ${n(f.baseline)} ${f.unit} | ${f.ratio.toFixed(2)}× | ${f.goal ?? ''} | ${f.note ?? ''} |`;
}

const figures: Figure[] = [];
/** Sections some benches add after the table (each its own heading). */
const sections: string[] = [];
const step = async (name: string, work: () => Promise<Figure[]> | Figure[]) => {
  process.stdout.write(`… ${name}\n`);
  const got = await work();
  for (const f of got) process.stdout.write(`  ${format(f)}\n`);
  figures.push(...got);
};

await step('readiness validation vs raw Ajv', () => benchReadiness());
await step('cold start and idle memory', () => benchColdStart());
await step('inventory CSV import vs csv-parse alone', () => benchInventoryImport());
await step('accounts CSV import vs csv-parse alone', () => benchRecordImport());
await step('the worst playbook document, through the server', () =>
  benchPlaybookCheck(tempSqlite('playbooks')),
);
/** Sets the goal of each submit/accept figure: `rate` for throughput, `p99` for latency. */
const withGoals = (rate: string, p99?: string) => (fs: Figure[]) =>
  fs.map((f) =>
    !/^(submit|accept)/.test(f.name)
      ? f
      : f.name.includes('p99')
        ? p99
          ? { ...f, goal: p99 }
          : f
        : { ...f, goal: rate },
  );
const lagGoal = (fs: Figure[]) =>
  fs.map((f) => (f.name.startsWith('audit sealing lag') ? { ...f, goal: '< 1000 ms' } : f));

await step('submit/accept over HTTP on SQLite', () =>
  benchLifecycle({
    label: 'SQLite, 1 process',
    databaseUrl: tempSqlite('baton'),
    bareDatabaseUrl: tempSqlite('bare'),
    processes: 1,
    count: COUNT,
  })
    .then(withGoals('≥ 0.5× bare', '< 100 ms'))
    .then(lagGoal),
);
await withPostgres(async (newDb) => {
  const one = await benchLifecycle({
    label: 'PostgreSQL, 1 process',
    databaseUrl: await newDb('one'),
    bareDatabaseUrl: await newDb('bare1'),
    processes: 1,
    count: COUNT,
    against: 'bare-tx',
  });
  await step('submit/accept over HTTP on PostgreSQL, 1 process', () =>
    lagGoal(withGoals('≥ 0.5× bare in a transaction')(one)),
  );
  // Three processes against the one-process rates of this run, with every request of one
  // organisation (one audit log) and spread over ten.
  const rateOf = (fs: Figure[], kind: string) => fs.find((f) => f.name.startsWith(`${kind} req/s`))!.value;
  for (const organisations of [1, 10]) {
    await step(
      `submit/accept over HTTP on PostgreSQL, 3 processes, ${organisations} organisation(s)`,
      async () => {
        const three = await benchLifecycle({
          label: `PostgreSQL, 3 processes, ${organisations} organisation${organisations > 1 ? 's' : ''}`,
          databaseUrl: await newDb(`three_${organisations}`),
          bareDatabaseUrl: await newDb(`bare3_${organisations}`),
          processes: 3,
          count: COUNT,
          organisations,
          against: 'bare-tx',
        });
        const versusOne = (['submit', 'accept'] as const).map((kind) => {
          const value = rateOf(three, kind);
          const baseline = rateOf(one, kind);
          return {
            name: `${kind} req/s, 3 processes vs 1 (PostgreSQL, ${organisations} organisation${organisations > 1 ? 's' : ''})`,
            value,
            unit: 'req/s',
            baseline,
            ratio: value / baseline,
            goal: '≥ 1× one process',
            note: 'baseline: the one-process rate of this run',
          } satisfies Figure;
        });
        return [...lagGoal(three), ...versusOne];
      },
    );
  }
});
await withPostgres(async (newDb) =>
  step('metrics dashboard vs hand-written SQL per metric (SQLite, PostgreSQL)', async () => {
    const { figures: got, section } = await benchMetricsDashboard(await newDb('dashboard'));
    sections.push(section);
    return got;
  }),
);
await step('outbound webhook deliveries vs the receiver’s raw rate', () => benchWebhookDelivery());
await step('inbound closed-won webhooks vs n8n, same machine, same run', () => benchInboundCrm());
const extra = join(import.meta.dirname, 'scheduler-tick.ts');
if (existsSync(extra)) {
  const mod = (await import(extra)) as { run: () => Promise<Figure[]> };
  await step('scheduler tick cost', () => mod.run());
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free at the end), Linux ${release()}, Node ${process.version}`;
const report = `# Benchmark results

Latest run of \`npm run bench\` (${new Date().toISOString().slice(0, 10)}). Every figure is measured beside its baseline in the
same run; the ratio is ours ÷ baseline (for latency and memory, lower is better).

Machine: ${machine}.

| Figure | Baton | Baseline | Ratio | Goal | Notes |
| --- | --- | --- | --- | --- | --- |
${figures.map(format).join('\n')}

Baselines: HTTP figures against a bare Fastify route inserting one row into the same database with
the database's own driver (better-sqlite3 in WAL mode with \`synchronous = FULL\`, or a \`pg\` pool), each
insert its own durable commit (bench/support/bare-server.ts), measured half before and half after
ours, each run after \`sync\` so that none pays for the disk writes of the one before; "bare insert in
a transaction" is the same insert through Baton's store, committed with concurrent requests.
Readiness against the raw compiled Ajv validator of the same schema; cold start (median of five)
and memory against that bare Fastify server started the same way (an esbuild bundle run by node).

With 50 connections each waiting for its answer, p99 latency cannot be far below 50 ÷ throughput
(Little's law): under 50 ms needs roughly 1,000 req/s or more, so on this machine even the bare
statement-per-request insert misses it. Requests per second are timed to the last response.

Every server runs as in production, with its scheduler and audit sealer; the sealing lag is how
long the entries the measured requests wrote waited between their transaction and their sealing
into the chain (docs/design-audit-log.md). On PostgreSQL, submit and accept are set against the
bare insert in a transaction, and three processes against one, with the requests of one
organisation (one audit log) and spread over ten.

Inbound closed-won webhooks (a real \`baton serve\` on SQLite, HubSpot v3-signed single-deal
batches, each making an account, engagement and draft handoff) are set against n8n 2.8.4's
Webhook → Set workflow on SQLite, measured on this machine in the same run by the peers' own
script; outbound webhook deliveries against plain POSTs of the same body to the same receiver.
`;
writeFileSync(join(import.meta.dirname, 'RESULTS.md'), [report, ...sections].join('\n'));
process.stdout.write(`\nWrote bench/RESULTS.md\n`);
