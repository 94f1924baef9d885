import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deps, inTransaction } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { parseAllowList } from '../src/kernel/outbound/address-ranges.js';
import {
  createDestinationGuard,
  type ResolvedAddress,
  type Resolver,
} from '../src/kernel/outbound/destination-guard.js';
import { notify } from '../src/notifications/notify.js';
import { createWebhookSender } from '../src/notifications/webhook-sender.js';
import { buildScheduler } from '../src/server/build-scheduler.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { startWebhookReceiver } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

/**
 * DNS as a test needs it: names answer what the test says, and the answer can change between
 * two lookups, as a hostile name server's would. Every lookup is counted.
 */
class ScriptedResolver implements Resolver {
  readonly lookups: string[] = [];
  private readonly answers = new Map<string, string[][]>();

  /** `name` answers `first`, then each later answer in turn (the last one for ever after). */
  answer(name: string, ...answers: string[][]): void {
    this.answers.set(name, answers);
  }

  async lookup(hostname: string): Promise<ResolvedAddress[]> {
    this.lookups.push(hostname);
    const queue = this.answers.get(hostname);
    if (!queue) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const addresses = queue.length > 1 ? queue.shift()! : queue[0]!;
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

const PUBLIC = '93.184.215.14';

describe.each(DIALECTS)('chat webhook destinations on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let org: TestOrg;
  const resolver = new ScriptedResolver();
  // The server's operator allows nothing inward: the default.
  const guard = createDestinationGuard({ resolver });
  let close: () => Promise<void>;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store, undefined, { destinations: guard }));
    org = await seedOrg(deps, 'Outbound Ltd');
    close = async () => {
      await app.close();
      await store.close();
    };
  });
  afterAll(async () => close());

  const put = (url: string) =>
    call(app, org.admin)('PUT', '/api/v1/notification-settings', { chat_webhook_url: url });

  it('refuses loopback, private, link-local, unique-local and metadata destinations, after resolving names', async () => {
    resolver.answer('hooks.chat.example', [PUBLIC]);
    resolver.answer('inward.chat.example', ['10.1.2.3']);
    resolver.answer('v6.chat.example', ['fd00::1']);
    resolver.answer('mapped.chat.example', ['::ffff:127.0.0.1']);
    resolver.answer('mixed.chat.example', [PUBLIC, '192.168.1.10']);
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:22/', /127\.0\.0\.1 is a loopback address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a cloud metadata address/],
      ['http://[::1]:8080/', /::1 is a loopback address/],
      ['http://[::ffff:169.254.169.254]/', /a cloud metadata address/],
      ['http://[fe80::1]/', /a link-local address/],
      ['http://0x7f.1/', /127\.0\.0\.1 is a loopback address/],
      ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
      ['http://10.0.0.8/hook', /a private address/],
      ['http://100.100.100.200/latest/meta-data/', /a cloud metadata address/],
      ['http://0.0.0.0:3000/', /an unspecified address/],
      ['http://metadata.google.internal/computeMetadata/v1/', /names under \.internal/],
      ['http://localhost:3000/', /localhost names this machine/],
      ['http://inward.chat.example/hook', /resolves to 10\.1\.2\.3, a private address/],
      ['http://v6.chat.example/hook', /resolves to fd00::1, a unique-local address/],
      ['http://mapped.chat.example/hook', /resolves to ::ffff:127\.0\.0\.1, a loopback address/],
      ['http://mixed.chat.example/hook', /resolves to 192\.168\.1\.10, a private address/],
    ];
    const failures: string[] = [];
    for (const [url, reason] of refused) {
      const res = await put(url);
      const error = (res.body?.errors ?? [])[0] as Json;
      if (res.status !== 400 || error?.path !== '/chat_webhook_url' || !reason.test(error.message))
        failures.push(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      else expect(error.message).toMatch(/BATON_OUTBOUND_ALLOW/);
    }
    expect(failures).toEqual([]);
    const unknown = await put('https://nowhere.chat.example/hook');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      {
        path: '/chat_webhook_url',
        message: 'must reach a chat service: nowhere.chat.example does not resolve (ENOTFOUND)',
      },
    ]);
    // Nothing was stored by a refusal; a public destination is taken.
    expect((await call(app, org.admin)('GET', '/api/v1/notification-settings')).body).toEqual({
      chat_webhook_url: null,
    });
    const ok = await put('https://hooks.chat.example/services/T0/B0/x');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('checks again at send time: a name that resolves inward by then is refused and nothing is sent', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const port = new URL(receiver.url).port;
      resolver.answer('flip.chat.example', [PUBLIC]);
      expect((await put(`http://flip.chat.example:${port}/hook`)).status).toBe(200);
      // The name now points at this machine, where the receiver listens.
      resolver.answer('flip.chat.example', ['127.0.0.1']);
      const now = deps.clock.now();
      await inTransaction(deps, (trx) =>
        notify(
          trx,
          {
            orgId: org.id,
            kind: 'review_nudge',
            eventKey: 'flip-1',
            to: [],
            subject: 'Hello',
            text: 'inward?',
          },
          now,
        ),
      );
      const worker = buildScheduler(deps, { webhooks: createWebhookSender({ destinations: guard }) });
      expect(await worker.tick()).toBe(1);
      const job = await deps.store.db
        .selectFrom('scheduled_jobs')
        .selectAll()
        .where('dedupe_key', '=', 'webhook:flip-1')
        .executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'pending', attempts: 1 });
      expect(job.last_error).toBe(
        'Destination refused: flip.chat.example resolves to 127.0.0.1, a loopback address',
      );
      expect(receiver.posts).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('the guarded webhook sender', () => {
  it('connects to the very address it checked, whatever the name resolves to afterwards', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const port = new URL(receiver.url).port;
      const resolver = new ScriptedResolver();
      // Allowed when checked, then a metadata address for every later lookup (DNS rebinding).
      resolver.answer('rebind.chat.example', ['127.0.0.1'], ['169.254.169.254']);
      const guard = createDestinationGuard({ allow: parseAllowList('127.0.0.1').list, resolver });
      const sender = createWebhookSender({ destinations: guard, timeoutMs: 2000 });
      await sender.post(`http://rebind.chat.example:${port}/hook`, { text: 'hi' }, 'job-1');
      expect(receiver.posts).toEqual([{ path: '/hook', idempotencyKey: 'job-1', body: { text: 'hi' } }]);
      expect(resolver.lookups).toEqual(['rebind.chat.example']);
      // The next send looks the name up afresh, and is refused.
      await expect(
        sender.post(`http://rebind.chat.example:${port}/hook`, { text: 'again' }, 'job-2'),
      ).rejects.toThrow(
        'Destination refused: rebind.chat.example resolves to 169.254.169.254, a cloud metadata address',
      );
      expect(receiver.posts).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('reaches an inward receiver only when the operator allows it', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const strict = createWebhookSender({ timeoutMs: 2000 });
      await expect(strict.post(receiver.url, { text: 'x' }, 'k1')).rejects.toThrow(
        'Destination refused: 127.0.0.1 is a loopback address',
      );
      const allowed = createWebhookSender({
        destinations: createDestinationGuard({ allow: parseAllowList('127.0.0.0/8').list }),
        timeoutMs: 2000,
      });
      await allowed.post(receiver.url, { text: 'y' }, 'k2');
      expect(receiver.posts.map((p) => p.body)).toEqual([{ text: 'y' }]);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow a redirect, which could lead anywhere', async () => {
    const target = await startWebhookReceiver();
    const redirect = createServer((_req, res) => {
      res.writeHead(307, { location: target.url }).end();
    });
    await new Promise<void>((resolve) => redirect.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirect.address() as AddressInfo).port;
      const sender = createWebhookSender({
        destinations: createDestinationGuard({ allow: parseAllowList('127.0.0.1').list }),
        timeoutMs: 2000,
      });
      await expect(sender.post(`http://127.0.0.1:${port}/hook`, { text: 'x' }, 'k')).rejects.toThrow(
        /answered 307/,
      );
      expect(target.posts).toEqual([]);
    } finally {
      redirect.closeAllConnections();
      await new Promise<void>((resolve) => redirect.close(() => resolve()));
      await target.close();
    }
  });
});
