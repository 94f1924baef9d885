/**
 * Benchmark (3): cold start to ready and idle memory of the server, against a bare Fastify server
 * started the same way (node + tsx) on the same machine in the same run.
 */

import { tempSqlite } from './http-lifecycle.js';
import { type Figure, median } from './support/figure.js';
import { bundle, freePort, spawnServer } from './support/processes.js';
import { seedHandoffs } from './support/seed.js';

export async function benchColdStart(): Promise<Figure[]> {
  const db = tempSqlite('cold');
  await seedHandoffs(db, 1);
  const bareDb = tempSqlite('cold-bare');
  // The median of five: one start slowed by the machine (other tenants) does not move it.
  const runs = 5;
  const oursMs: number[] = [];
  const bareMs: number[] = [];
  let oursRss = 0;
  let bareRss = 0;
  for (let i = 0; i < runs; i++) {
    const b = await spawnServer(
      await bundle('bench/support/bare-server.ts', 'bench-bare'),
      [],
      { BATON_DATABASE_URL: bareDb },
      await freePort(),
    );
    const s = await spawnServer(
      await bundle('src/cli/main.ts', 'baton'),
      ['serve'],
      { BATON_DATABASE_URL: db, BATON_SCHEDULER: 'off' },
      await freePort(),
    );
    // Idle memory: after the first requests have warmed the routes, settled for a moment.
    await fetch(`${s.url}/api/v1/openapi.json`);
    await fetch(`${b.url}/healthz`);
    await new Promise((r) => setTimeout(r, 500));
    oursMs.push(s.readyMs);
    bareMs.push(b.readyMs);
    oursRss = Math.max(oursRss, s.rssMb());
    bareRss = Math.max(bareRss, b.rssMb());
    await Promise.all([s.stop(), b.stop()]);
  }
  const ours = median(oursMs);
  const bare = median(bareMs);
  return [
    {
      name: 'cold start to ready',
      value: ours,
      unit: 'ms',
      baseline: bare,
      ratio: ours / bare,
      goal: '< 1500 ms',
      note: `median of ${runs} starts (ours: ${oursMs.map((ms) => ms.toFixed(0)).join(', ')} ms)`,
    },
    {
      name: 'idle memory (RSS)',
      value: oursRss,
      unit: 'MB',
      baseline: bareRss,
      ratio: oursRss / bareRss,
      goal: '< 150 MB',
    },
  ];
}
