/**
 * The worst playbook document under the size cap, through the real server: how long its answer
 * takes, and how long other requests wait meanwhile (the longest /healthz answer while it is
 * checked), each beside a baseline of the same run: a built-in playbook's answer, and /healthz
 * while nothing is checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PLAYBOOK_SOURCE } from '../src/playbooks/use-cases/validate-playbook.js';
import { type Figure, median } from './support/figure.js';
import { bundle, freePort, ROOT, spawnServer } from './support/processes.js';
import { seedHandoffs } from './support/seed.js';

const RUNS = 5;

/** Posts `source` for validation and, until answered, asks /healthz every 10 ms; answers both times. */
async function timed(url: string, token: string, source: string | null) {
  let answered = false;
  const started = performance.now();
  const work =
    source === null
      ? new Promise<unknown>((resolve) => setTimeout(resolve, 500))
      : fetch(`${url}/api/v1/playbooks/validate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ source, file: 'bench.yaml' }),
        }).then((res) => res.json());
  const request = work.then(() => {
    answered = true;
  });
  let worstHealth = 0;
  while (!answered) {
    const asked = performance.now();
    await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    worstHealth = Math.max(worstHealth, performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await request;
  return { answerMs: performance.now() - started, worstHealthMs: worstHealth };
}

export async function benchPlaybookCheck(databaseUrl: string): Promise<Figure[]> {
  const [seeded] = await seedHandoffs(databaseUrl, 1);
  await bundle('src/playbooks/playbook-check-worker.ts', 'playbook-check-worker');
  const server = await spawnServer(
    await bundle('src/cli/main.ts', 'baton'),
    ['serve'],
    { BATON_DATABASE_URL: databaseUrl, BATON_SCHEDULER: 'off' },
    await freePort(),
  );
  try {
    const hostile = 'key: a\n'.repeat(Math.floor((MAX_PLAYBOOK_SOURCE - 1) / 7));
    const builtin = readFileSync(join(ROOT, 'src/playbooks/builtin/security-integrator.yaml'), 'utf8');
    const token = seeded!.sales;
    await timed(server.url, token, builtin); // starts the checker's workers
    const worst = [];
    const ordinary = [];
    const idle = [];
    for (let i = 0; i < RUNS; i++) {
      worst.push(await timed(server.url, token, hostile));
      ordinary.push(await timed(server.url, token, builtin));
      idle.push(await timed(server.url, token, null));
    }
    const worstAnswer = median(worst.map((r) => r.answerMs));
    const builtinAnswer = median(ordinary.map((r) => r.answerMs));
    const worstWait = median(worst.map((r) => r.worstHealthMs));
    const idleWait = median(idle.map((r) => r.worstHealthMs));
    return [
      {
        name: `playbook check: the worst document under the cap (${Math.round(hostile.length / 1024)} KB of one duplicate key)`,
        value: worstAnswer,
        unit: 'ms',
        baseline: builtinAnswer,
        ratio: worstAnswer / builtinAnswer,
        goal: '< 1000 ms',
        note: `median of ${RUNS}; baseline: the largest built-in playbook (${Math.round(builtin.length / 1024)} KB)`,
      },
      {
        name: 'playbook check: longest wait of another request meanwhile',
        value: worstWait,
        unit: 'ms',
        baseline: idleWait,
        ratio: worstWait / Math.max(1, idleWait),
        goal: '< 50 ms',
        note: `median of ${RUNS} runs of the longest /healthz answer; baseline: the same while nothing is checked`,
      },
    ];
  } finally {
    await server.stop();
  }
}
