import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/kernel/clock.js';
import type { DialectName } from '../src/kernel/db/dialect.js';
import { appDeps } from '../src/server/app-deps.js';
import { seedOrg } from './support/app.js';
import {
  type BatonBuild,
  buildBaton,
  freePort,
  type Json,
  killAllNodes,
  request,
  startNode,
  waitFor,
} from './support/cluster.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { DIALECTS, openTestStore } from './support/stores.js';
import { startVerifyingReceiver } from './support/webhook-receiver.js';

const MESSAGES = 40;

/**
 * A real `baton serve` process with its scheduler on, killed with SIGKILL while it is sending
 * webhooks to a slow receiver (requests in flight), and restarted: every message it committed
 * reaches the receiver, verified by `standardwebhooks`, under its own `webhook-id`; a message
 * received twice is one that was in flight when the process died (the same id, so the receiver
 * can tell). Nothing the server logged holds the secret.
 */
describe('outbound webhooks through a SIGKILL', () => {
  const builds: BatonBuild[] = [];
  afterAll(async () => {
    await killAllNodes();
    for (const b of builds) b.cleanup();
  });

  it.each(DIALECTS)(
    'loses no message when the server is killed mid-delivery and restarted, on %s',
    async (dialect: DialectName) => {
      const baton = await buildBaton();
      builds.push(baton);
      const store = await openTestStore(dialect);
      const receiver = await startVerifyingReceiver({ delayMs: 300 });
      try {
        const org = await seedOrg(appDeps({ store, clock: systemClock }), 'Crash Hooks');
        const env = {
          BATON_DATABASE_URL: store.url,
          BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-hooks-')),
          BATON_LOG_LEVEL: 'info',
          BATON_SCHEDULER: 'on',
          BATON_SCHEDULER_INTERVAL_MS: '100',
          BATON_SCHEDULER_LEASE_MS: '2000',
          BATON_OUTBOUND_ALLOW: '127.0.0.1',
          BATON_VAULT_KEY: `crash-kek:${randomBytes(32).toString('base64')}`,
        };
        const port = await freePort();
        let node = await startNode(baton, env, { port });
        const api = (token: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
          request(node.url, token, method, path, body);
        const made = await api(org.admin, 'POST', '/api/v1/webhook-endpoints', { url: receiver.url });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
        receiver.state.secret = made.body.secret;
        const endpointId = made.body.endpoint.id as string;

        // Real events (a submitted handoff, the checkpoints it opens) and test messages.
        const account = await api(org.sales, 'POST', '/api/v1/accounts', { name: 'Brittle Systems' });
        const engagement = await api(org.sales, 'POST', '/api/v1/engagements', {
          account_id: account.body.id,
          name: 'Rollout',
        });
        const handoff = await api(org.sales, 'POST', '/api/v1/handoffs', {
          engagement_id: engagement.body.id,
          playbook: 'professional-services',
          transition: 'sales-to-delivery',
          packet: EXAMPLE_PACKETS['professional-services']!['sales-to-delivery'],
        });
        expect((await api(org.sales, 'POST', `/api/v1/handoffs/${handoff.body.id}/submit`)).status).toBe(200);
        for (let i = 0; i < MESSAGES; i += 1)
          expect((await api(org.admin, 'POST', `/api/v1/webhook-endpoints/${endpointId}/test`)).status).toBe(
            202,
          );

        // Killed while requests are in flight (the receiver takes 300 ms to answer each).
        await waitFor('sends in flight', () => receiver.state.arrived >= 3, 30_000);
        await node.kill();
        const log1 = node.log();
        const acceptedBefore = receiver.accepted().length;
        node = await startNode(baton, env, { port });

        const deliveries = async () =>
          (await api(org.admin, 'GET', `/api/v1/webhook-endpoints/${endpointId}/deliveries?limit=200`)).body
            .items as Json[];
        await waitFor(
          'every delivery to be delivered',
          async () => (await deliveries()).every((d) => d.state === 'delivered'),
          90_000,
          async () => JSON.stringify((await deliveries()).map((d) => [d.state, d.attempts])),
        );
        const all = await deliveries();
        expect(all.length).toBeGreaterThanOrEqual(MESSAGES + 2);
        expect(all.map((d) => d.event_type)).toContain('handoff.submitted');
        const accepted = receiver.accepted();
        const ids = new Set(accepted.map((m) => m.id));
        // Every committed message arrived, verified, under its own id.
        expect([...ids].sort()).toEqual(all.map((d) => d.message_id).sort());
        expect(accepted.filter((m) => m.refused)).toEqual([]);
        // Only a message in flight at the kill arrives twice (at most one per worker lane).
        expect(accepted.length - ids.size).toBeLessThanOrEqual(8);
        expect(acceptedBefore).toBeLessThan(all.length);
        // The secret is in no log line of either process.
        const secret = made.body.secret as string;
        expect(log1 + node.log()).not.toContain(secret);
        expect(log1 + node.log()).not.toContain(secret.slice(6));
        await node.stop();
      } finally {
        await receiver.close();
        await store.close();
      }
    },
    180_000,
  );
});
