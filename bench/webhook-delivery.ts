/**
 * Benchmark: outbound webhook deliveries per second (each signed with the endpoint's secret opened
 * from the vault, sent through the destination guard, its attempt recorded and the delivery marked
 * in the database by the scheduler), against the raw rate of the same local receiver: plain POSTs
 * of the same body, on a new connection each (as every send makes), with as many in flight as the
 * worker has lanes.
 *
 *   npx tsx bench/webhook-delivery.ts
 */
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createWebhookEndpoint } from '../src/integrations/use-cases/create-webhook-endpoint.js';
import { sendWebhookPing } from '../src/integrations/use-cases/send-webhook-ping.js';
import { systemClock } from '../src/kernel/clock.js';
import { openStore } from '../src/kernel/db/dialect.js';
import { migrateToLatest } from '../src/kernel/db/migrate.js';
import { parseAllowList } from '../src/kernel/outbound/address-ranges.js';
import { createDestinationGuard } from '../src/kernel/outbound/destination-guard.js';
import { TOKEN_SCOPES } from '../src/kernel/principal.js';
import { appDeps } from '../src/server/app-deps.js';
import { buildScheduler } from '../src/server/build-scheduler.js';
import { createOrganisation } from '../src/server/create-organisation.js';
import { memoryKeyring } from '../src/vault/keyring.js';
import { tempSqlite } from './http-lifecycle.js';
import type { Figure } from './support/figure.js';

const LANES = 8;

async function receiver() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, url: `http://127.0.0.1:${port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

/** Plain POSTs of `body` to the receiver, `LANES` at a time, a new connection each: per second. */
async function rawRate(port: number, body: string, count: number): Promise<number> {
  let next = 0;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/hook',
          method: 'POST',
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < count) {
        next += 1;
        await post();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export async function benchWebhookDelivery(
  count = Number(process.env.BENCH_WEBHOOKS ?? 2000),
): Promise<Figure[]> {
  const hook = await receiver();
  const store = openStore(tempSqlite('webhooks'));
  try {
    await migrateToLatest(store.db);
    const deps = appDeps({
      store,
      clock: systemClock,
      destinations: createDestinationGuard({ allow: parseAllowList('127.0.0.1').list }),
      vaultKeys: memoryKeyring([['bench-kek', randomBytes(32)]]),
    });
    const made = await createOrganisation(deps, { name: 'Bench Hooks' });
    const admin = {
      orgId: made.organisation.id,
      userId: made.admin.user.id,
      email: made.admin.user.email,
      role: 'admin' as const,
      teamIds: [],
      scopes: [...TOKEN_SCOPES],
    };
    const endpoint = (await createWebhookEndpoint(deps, admin, { url: hook.url })).endpoint;
    let body = '';
    for (let i = 0; i < count; i += 1)
      body = JSON.stringify((await sendWebhookPing(deps, admin, endpoint.id)).payload);
    const worker = buildScheduler(deps, {}, { batchSize: 100, concurrency: LANES });
    const started = performance.now();
    let sent = 0;
    for (let claimed = await worker.tick(); claimed > 0; claimed = await worker.tick()) sent += claimed;
    const rate = sent / ((performance.now() - started) / 1000);
    const delivered = await store.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'delivered')
      .executeTakeFirstOrThrow();
    if (Number(delivered.n) !== count) throw new Error(`${delivered.n} of ${count} deliveries delivered`);
    const raw = await rawRate(hook.port, body, count);
    return [
      {
        name: 'outbound webhook deliveries/s (signed, guarded, recorded; SQLite)',
        value: rate,
        unit: 'deliveries/s',
        baseline: raw,
        ratio: rate / raw,
        note: `baseline: plain POSTs of the same body to the same receiver, ${LANES} at a time, a new connection each`,
      },
    ];
  } finally {
    await store.close();
    await hook.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of await benchWebhookDelivery()) console.log(f);
}
