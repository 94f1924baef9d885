import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateRequest } from '../src/identity/authenticate-request.js';
import { addUser } from '../src/identity/use-cases/add-user.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { type Api, buildApp } from '../src/kernel/http/build-app.js';
import { appDeps } from '../src/server/app-deps.js';
import { readConfig } from '../src/server/config.js';
import { ALL_ROUTES } from '../src/server/routes.js';
import { seedOrg } from './support/app.js';
import { openTestStore } from './support/stores.js';

const PASSWORD = 'correct horse battery';
const EMAIL = 'rita@proxy.test';

describe('the public URL and trusted proxies', () => {
  let store: Store;
  let deps: Deps;
  const apps: Api[] = [];

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    deps = appDeps({ store, clock: new ManualClock() });
    const org = await seedOrg(deps, 'Proxy Co');
    await addUser(
      deps,
      { type: 'system', id: null },
      { slug: org.slug },
      { email: EMAIL, role: 'sales', teamKeys: ['sales'], password: PASSWORD },
    );
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await store.close();
  });

  const server = async (options: { publicUrl?: string; trustedProxies?: string[] }) => {
    const app = await buildApp({ deps, routes: ALL_ROUTES, authenticate: authenticateRequest, ...options });
    await app.ready();
    apps.push(app);
    return app;
  };
  const signIn = (app: Api, password: string, from: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/session',
      remoteAddress: from,
      headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ email: EMAIL, password }),
    });
  const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' };
  /** The client address the attempt limiter counted the latest failed attempt against. */
  const lastCountedClient = async () =>
    (
      await store.db
        .selectFrom('auth_attempts')
        .select('client')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).client;

  it('reads BATON_PUBLIC_URL and BATON_TRUSTED_PROXIES, naming the variable of a bad value', () => {
    const config = readConfig({
      BATON_PUBLIC_URL: 'https://baton.example.com/',
      BATON_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10,loopback,::1',
    });
    expect(config.publicUrl).toBe('https://baton.example.com');
    expect(config.trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.10', 'loopback', '::1']);
    expect(readConfig({}).publicUrl).toBeNull();
    expect(readConfig({}).trustedProxies).toEqual([]);
    for (const [name, value] of [
      ['BATON_PUBLIC_URL', 'baton.example.com'],
      ['BATON_PUBLIC_URL', 'ftp://baton.example.com'],
      ['BATON_PUBLIC_URL', 'https://baton.example.com/?x=1'],
      ['BATON_TRUSTED_PROXIES', '10.0.0.0/33'],
      ['BATON_TRUSTED_PROXIES', 'proxy.internal'],
    ] as const) {
      expect(() => readConfig({ [name]: value }), `${name}=${value}`).toThrow(
        expect.objectContaining({
          code: 'validation_failed',
          errors: [expect.objectContaining({ path: name })],
        }),
      );
    }
  });

  it('without trusted proxies, ignores forwarded headers: the peer is the client, the cookie not Secure', async () => {
    const app = await server({});
    expect((await signIn(app, 'wrong password 1', '127.0.0.1', forwarded)).statusCode).toBe(401);
    expect(await lastCountedClient()).toBe('127.0.0.1');
    const res = await signIn(app, PASSWORD, '127.0.0.1', forwarded);
    expect(res.statusCode).toBe(201);
    expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('believes X-Forwarded-For and -Proto from a trusted proxy only', async () => {
    const app = await server({ trustedProxies: ['127.0.0.1', '10.1.0.0/16'] });
    expect((await signIn(app, 'wrong password 2', '10.1.2.3', forwarded)).statusCode).toBe(401);
    expect(await lastCountedClient()).toBe('203.0.113.7');
    const viaProxy = await signIn(app, PASSWORD, '127.0.0.1', forwarded);
    expect(viaProxy.statusCode).toBe(201);
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/; Secure$/);
    // The same headers from an address that is not a trusted proxy are the client's own claims.
    expect((await signIn(app, 'wrong password 3', '198.51.100.9', forwarded)).statusCode).toBe(401);
    expect(await lastCountedClient()).toBe('198.51.100.9');
    const direct = await signIn(app, PASSWORD, '198.51.100.9', forwarded);
    expect(direct.statusCode).toBe(201);
    expect(String(direct.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('with an https public URL, sets a Secure cookie and checks Origin against the public URL', async () => {
    const app = await server({ publicUrl: 'https://baton.example.com' });
    // Plain http between the proxy and Baton: the cookie is Secure all the same.
    const res = await signIn(app, PASSWORD, '127.0.0.1', { origin: 'https://baton.example.com' });
    expect(res.statusCode, res.body).toBe(201);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    const signOut = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: {
        host: '127.0.0.1:3000',
        origin: 'https://baton.example.com',
        cookie: String(res.headers['set-cookie']).split(';')[0]!,
        'x-csrf-token': res.json().csrf_token,
      },
    });
    expect(signOut.statusCode).toBe(204);
    expect(String(signOut.headers['set-cookie'])).toMatch(/Max-Age=0; Secure$/);
    // An origin matching the (rewritten) Host header is not the public URL's.
    for (const origin of ['http://127.0.0.1:3000', 'http://baton.example.com', 'https://evil.example']) {
      const refused = await signIn(app, PASSWORD, '127.0.0.1', { origin });
      expect(refused.statusCode, origin).toBe(403);
    }
    // An http public URL: no Secure cookie (the browser would never send it back).
    const plain = await server({ publicUrl: 'http://baton.internal:8080' });
    const overHttp = await signIn(plain, PASSWORD, '127.0.0.1', { origin: 'http://baton.internal:8080' });
    expect(overHttp.statusCode).toBe(201);
    expect(String(overHttp.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});
