/**
 * Benchmark (3): cold start to ready and idle memory of the server, against a bare Fastify server
 * started the same way (node + tsx) on the same machine in the same run.
 */

import { tempSqlite } from './http-lifecycle.js';
import type { Figure } from './support/figure.js';
import { bundle, freePort, spawnServer } from './support/processes.js';
import { seedHandoffs } from './support/seed.js';

export async function benchColdStart(): Promise<Figure[]> {
  const db = tempSqlite('cold');
  await seedHandoffs(db, 1);
  const bareDb = tempSqlite('cold-bare');
  const runs = 3;
  let ours = 0;
  let bare = 0;
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
    ours += s.readyMs / runs;
    bare += b.readyMs / runs;
    oursRss = Math.max(oursRss, s.rssMb());
    bareRss = Math.max(bareRss, b.rssMb());
    await Promise.all([s.stop(), b.stop()]);
  }
  return [
    {
      name: 'cold start to ready',
      value: ours,
      unit: 'ms',
      baseline: bare,
      ratio: ours / bare,
      goal: '< 1500 ms',
      note: `mean of ${runs}`,
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
