/**
 * Benchmark: HubSpot closed-won webhooks accepted per second by a real `baton serve` on SQLite
 * (each a v3-signed single-deal batch: signature checked, event recorded once, and an account,
 * engagement and draft handoff filled through the playbook's inbound mapping, in one transaction),
 * against n8n's Webhook → Set workflow measured on this machine in the same run by the peers' own
 * script (`../shared/peers/n8n-webhook-bench.sh`), at 50 and at 10 connections.
 *
 *   npx tsx bench/inbound-crm.ts
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createHeadSigningKey } from '../src/audit/head-keys.js';
import { authenticateToken } from '../src/identity/use-cases/authenticate-token.js';
import { createIntegrationSource } from '../src/integrations/use-cases/create-integration-source.js';
import { systemClock } from '../src/kernel/clock.js';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import { uploadPlaybook } from '../src/playbooks/use-cases/upload-playbook.js';
import { appDeps } from '../src/server/app-deps.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { memoryKeyring } from '../src/vault/keyring.js';
import { crmPlaybook } from '../test/support/crm-playbook.js';
import { tempSqlite } from './http-lifecycle.js';
import type { Figure } from './support/figure.js';
import { type PeerRun, runN8nPeer } from './support/n8n-peer.js';
import { bundle, freePort, spawnServer } from './support/processes.js';

const SECRET = 'bench-hubspot-client-secret';

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** `count` HubSpot batches (one closed-won deal each, every id new), signed as HubSpot signs them. */
function hubspotRequests(count: number, first: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const body = JSON.stringify([
      {
        objectId: 9_000_000 + n,
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
        changeSource: 'CRM_UI',
        eventId: 5_000_000_000 + n,
        subscriptionId: 31,
        portalId: 33,
        appId: 1160452,
        occurredAt: Date.now(),
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
      },
    ]);
    return { body };
  });
}

/** Sends every request once over `connections` connections, signing each as it leaves. */
function load(url: string, requests: ReturnType<typeof hubspotRequests>, connections: number) {
  let next = 0;
  const started = performance.now();
  let last = started;
  return new Promise<Measured>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount: requests.length,
        method: 'POST',
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const { body } = requests[next++ % requests.length]!;
              const timestamp = String(Date.now());
              const signature = createHmac('sha256', SECRET)
                .update(`POST${url}${body}${timestamp}`)
                .digest('base64');
              return {
                ...req,
                body,
                headers: {
                  'content-type': 'application/json',
                  'x-hubspot-signature-v3': signature,
                  'x-hubspot-request-timestamp': timestamp,
                },
              };
            },
          },
        ],
      },
      (error, r) => {
        if (error) return reject(error);
        const seconds = (last - started) / 1000;
        resolve({
          rps: r.requests.total / seconds,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
        });
      },
    );
    instance.on('response', () => {
      last = performance.now();
    });
  });
}

export async function benchInboundCrm(count = Number(process.env.BENCH_INBOUND ?? 3000)): Promise<Figure[]> {
  const databaseUrl = tempSqlite('inbound');
  const kek = randomBytes(32);
  const store = openStore(databaseUrl);
  const port = await freePort();
  let path: string;
  try {
    await migrateToLatest(store.db);
    const deps = appDeps({ store, clock: systemClock, vaultKeys: memoryKeyring([['bench-kek', kek]]) });
    const made = await createOrganisation(deps, { name: 'Bench Inbound', slug: 'bench-inbound' });
    const admin = (await authenticateToken(deps, made.admin.token.token))!;
    await uploadPlaybook(deps, admin, { source: crmPlaybook() });
    const source = await createIntegrationSource(deps, admin, {
      kind: 'hubspot',
      name: 'HubSpot',
      config: { playbook: 'crm-intake' },
      secret: SECRET,
    });
    path = `/api/v1/inbound/crm/${source.source.id}`;
  } finally {
    await store.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-inbound-'));
  const keyFile = join(dir, 'audit-signing-key.pem');
  createHeadSigningKey(keyFile);
  const server = await spawnServer(
    await bundle('src/cli/main.ts', 'baton'),
    ['serve'],
    {
      BATON_DATABASE_URL: databaseUrl,
      BATON_DATA_DIR: dir,
      BATON_AUDIT_KEY_FILE: keyFile,
      BATON_AUDIT_HEADS_FILE: join(dir, 'audit-heads.jsonl'),
      BATON_VAULT_KEY: `bench-kek:${kek.toString('base64')}`,
      BATON_PUBLIC_URL: `http://127.0.0.1:${port}`,
    },
    port,
    // `BENCH_PROFILE_DIR=…` profiles the server (node --cpu-prof), to find the hot path.
    process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
  );
  const url = `${server.url}${path}`;
  const runs: Record<'c50' | 'c10', Measured> = {} as never;
  try {
    await load(url, hubspotRequests(300, 0), 10);
    runs.c50 = await load(url, hubspotRequests(count, 1_000), 50);
    runs.c10 = await load(url, hubspotRequests(Math.ceil(count / 3), 1_000 + count), 10);
  } finally {
    await server.stop();
  }
  for (const [label, r] of Object.entries(runs))
    if (r.non2xx || r.errors) throw new Error(`inbound ${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);

  process.stdout.write(
    `    ours: ${Object.entries(runs)
      .map(([l, r]) => `${l} ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`)
      .join('; ')}\n`,
  );
  if (process.env.BENCH_PEERS === 'off') return [];
  const peer = await runN8nPeer().catch((error: Error) => {
    process.stdout.write(`    n8n peer failed: ${error.message.slice(0, 300)}\n`);
    return null;
  });
  const figures: Figure[] = [];
  for (const [label, connections, peerKey] of [
    ['c50', 50, 'n8n-saved-c50'],
    ['c10', 10, 'n8n-saved-c10'],
  ] as const) {
    const ours = runs[label];
    const theirs: PeerRun | undefined = peer?.get(peerKey);
    if (!theirs) continue;
    const note = `n8n 2.8.4 Webhook → Set on SQLite, executions saved (its default), ${theirs.reqPerSecond.toFixed(0)} req/s, p99 ${theirs.p99} ms; ours creates an account, engagement and draft handoff per deal`;
    figures.push(
      {
        name: `inbound closed-won webhooks/s, ${connections} connections (SQLite, 1 process)`,
        value: ours.rps,
        unit: 'req/s',
        baseline: theirs.reqPerSecond,
        ratio: ours.rps / theirs.reqPerSecond,
        goal: '≥ 10× n8n',
        note,
      },
      {
        name: `inbound closed-won webhook p99, ${connections} connections (SQLite, 1 process)`,
        value: ours.p99,
        unit: 'ms',
        baseline: theirs.p99,
        ratio: ours.p99 / theirs.p99,
        goal: '< 50 ms',
        note: `p50 ${ours.p50} ms; baseline: n8n's p99`,
      },
    );
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await benchInboundCrm()) console.log(f);
}
