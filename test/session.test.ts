import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import { addUser } from '../src/identity/use-cases/add-user.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

const PASSWORD = 'correct horse battery';
const HOST = 'baton.test';

describe.each(DIALECTS)('web sessions, CSRF and the sign-in rate limit on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let close: () => Promise<void>;
  let a: TestOrg;
  let b: TestOrg;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    close = async () => {
      await app.close();
      await store.close();
    };
    a = await seedOrg(deps, 'Acme Integrations');
    b = await seedOrg(deps, 'Other Co');
    const system = { type: 'system' as const, id: null };
    for (const org of [a, b]) {
      await addUser(
        deps,
        system,
        { slug: org.slug },
        {
          email: 'pat@shared.test',
          role: 'sales',
          teamKeys: ['sales'],
          password: PASSWORD,
        },
      );
    }
    await addUser(
      deps,
      system,
      { slug: a.slug },
      {
        email: 'rita@acme.test',
        role: 'operations',
        teamKeys: ['operations'],
        password: PASSWORD,
      },
    );
  });
  afterAll(async () => close());

  const signIn = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { host: HOST, 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
    const setCookie = res.headers['set-cookie'];
    const cookie = typeof setCookie === 'string' ? setCookie.split(';')[0]! : '';
    return { res, body: res.json() as Json, cookie, setCookie: String(setCookie ?? '') };
  };
  const withCookie = (cookie: string, csrf?: string, extra: Record<string, string> = {}) => ({
    host: HOST,
    cookie,
    ...(csrf ? { 'x-csrf-token': csrf } : {}),
    ...extra,
  });

  it('signs in with a password, sets an HTTP-only SameSite cookie, and answers the session', async () => {
    const { res, body, cookie, setCookie } = await signIn({ email: 'Rita@Acme.test', password: PASSWORD });
    expect(res.statusCode, res.body).toBe(201);
    expect(setCookie).toMatch(
      /^baton_session=bts_[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/,
    );
    expect(body.user.email).toBe('rita@acme.test');
    expect(body.organisation.slug).toBe(a.slug);
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(body)).not.toContain(cookie.split('=')[1]);
    const me = await app.inject({ method: 'GET', url: '/api/v1/session', headers: withCookie(cookie) });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrf_token).toBe(body.csrf_token);
    const list = await app.inject({ method: 'GET', url: '/api/v1/handoffs', headers: withCookie(cookie) });
    expect(list.statusCode).toBe(200);
    // The session id is stored hashed only.
    const rows = await deps.store.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(cookie.split('=')[1]);
  });

  it('refuses a wrong password and an unknown e-mail alike with 401 problem+json', async () => {
    for (const body of [
      { email: 'rita@acme.test', password: 'wrong password!' },
      { email: 'nobody@acme.test', password: PASSWORD },
    ]) {
      const { res } = await signIn(body);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toBe('The e-mail address or the password is wrong.');
      expect(res.body).not.toContain(body.password);
    }
  });

  it('asks for the organisation when the e-mail is in several, and signs in to the one named', async () => {
    const ambiguous = await signIn({ email: 'pat@shared.test', password: PASSWORD });
    expect(ambiguous.res.statusCode).toBe(400);
    expect(ambiguous.body.errors[0].path).toBe('/organisation');
    expect(ambiguous.body.organisations.sort()).toEqual([a.slug, b.slug].sort());
    const chosen = await signIn({ email: 'pat@shared.test', password: PASSWORD, organisation: b.slug });
    expect(chosen.res.statusCode).toBe(201);
    expect(chosen.body.organisation.slug).toBe(b.slug);
  });

  it('refuses cookie-authenticated state changes without the CSRF token or from another site', async () => {
    const { cookie, body } = await signIn({ email: 'rita@acme.test', password: PASSWORD });
    const payload = JSON.stringify({ name: 'Forged Ltd' });
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/accounts',
        headers: { 'content-type': 'application/json', ...headers },
        payload,
      });
    // A forged cross-site form post: the browser sends the cookie, but not the token.
    const forged = await post(withCookie(cookie, undefined, { origin: 'https://evil.example' }));
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['content-type']).toContain('application/problem+json');
    const noToken = await post(withCookie(cookie));
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().detail).toMatch(/CSRF/);
    const wrongToken = await post(withCookie(cookie, `${body.csrf_token.slice(0, -2)}xx`));
    expect(wrongToken.statusCode).toBe(403);
    const crossOriginWithToken = await post(
      withCookie(cookie, body.csrf_token, { origin: 'https://evil.example' }),
    );
    expect(crossOriginWithToken.statusCode).toBe(403);
    const crossSite = await post(withCookie(cookie, body.csrf_token, { 'sec-fetch-site': 'cross-site' }));
    expect(crossSite.statusCode).toBe(403);
    const ok = await post(withCookie(cookie, body.csrf_token, { origin: `http://${HOST}` }));
    expect(ok.statusCode, ok.body).toBe(201);
    const accounts = await call(app, a.admin)('GET', '/api/v1/accounts');
    expect(accounts.body.items.map((x: { name: string }) => x.name)).toEqual(['Forged Ltd']);
    // A sign-in posted from another site is refused too (login CSRF).
    const crossSignIn = await signIn(
      { email: 'rita@acme.test', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(crossSignIn.res.statusCode).toBe(403);
  });

  it('ends the session on sign-out so the cookie cannot be replayed, and audits both', async () => {
    const { cookie, body } = await signIn({ email: 'rita@acme.test', password: PASSWORD });
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: withCookie(cookie, body.csrf_token),
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^baton_session=; .*Max-Age=0/);
    for (const method of ['GET', 'DELETE'] as const) {
      const replay = await app.inject({
        method,
        url: '/api/v1/session',
        headers: withCookie(cookie, body.csrf_token),
      });
      expect(replay.statusCode).toBe(401);
    }
    const replayGet = await app.inject({
      method: 'GET',
      url: '/api/v1/handoffs',
      headers: withCookie(cookie),
    });
    expect(replayGet.statusCode).toBe(401);
    const audit = await call(app, a.admin)('GET', '/api/v1/audit?limit=1000');
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('session.signed_in');
    expect(actions).toContain('session.signed_out');
    expect(JSON.stringify(audit.body)).not.toContain(PASSWORD);
    await sealAll(deps.store);
    const [report] = await verifyAuditChain(deps, { orgSlug: a.slug });
    expect(report!.ok).toBe(true);
  });

  it('expires sessions after 12 hours', async () => {
    const { cookie } = await signIn({ email: 'rita@acme.test', password: PASSWORD });
    clock.advance(12 * 60 * 60 * 1000 + 1000);
    const res = await app.inject({ method: 'GET', url: '/api/v1/session', headers: withCookie(cookie) });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/expired/);
  });

  it('keeps bearer tokens working unchanged, and they win over a cookie', async () => {
    const res = await call(app, a.sales)('GET', '/api/v1/me');
    expect(res.status).toBe(200);
    const noAuth = await call(app, null)('GET', '/api/v1/me');
    expect(noAuth.status).toBe(401);
    expect(noAuth.body.detail).toBe('Send an API token as "Authorization: Bearer <token>".');
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: {
        authorization: `Bearer ${a.sales}`,
        cookie: 'baton_session=bts_garbage',
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ name: 'Via token' }),
    });
    expect(bad.statusCode).toBe(201);
  });

  it('rate-limits repeated failed sign-ins with 429 problem+json, across the shared database', async () => {
    const email = 'rita@acme.test';
    for (let i = 0; i < 5; i++) {
      const { res } = await signIn({ email, password: `wrong-${i}-password` });
      expect(res.statusCode).toBe(401);
    }
    const limited = await signIn({ email, password: PASSWORD });
    expect(limited.res.statusCode).toBe(429);
    expect(limited.res.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.res.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.type).toBe('/problems/too-many-requests');
    // A second server process over the same database refuses too.
    const second = await testApp(deps.store, clock);
    const other = await second.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { host: HOST, 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(other.statusCode).toBe(429);
    await second.app.close().catch(() => {});
    clock.advance(16 * 60 * 1000);
    const later = await signIn({ email, password: PASSWORD });
    expect(later.res.statusCode).toBe(201);
  });

  it("lets an admin set a password, which ends that user's sessions; users change their own with the current one", async () => {
    const { cookie } = await signIn({ email: 'rita@acme.test', password: PASSWORD });
    const users = await call(app, a.admin)('GET', '/api/v1/users');
    const rita = users.body.items.find((u: { email: string }) => u.email === 'rita@acme.test');
    const short = await call(app, a.admin)('PUT', `/api/v1/users/${rita.id}/password`, { password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].path).toBe('/password');
    expect(
      (await call(app, a.sales)('PUT', `/api/v1/users/${rita.id}/password`, { password: 'another long one' }))
        .status,
    ).toBe(403);
    const set = await call(app, a.admin)('PUT', `/api/v1/users/${rita.id}/password`, {
      password: 'a brand new secret',
    });
    expect(set.status).toBe(204);
    const old = await app.inject({ method: 'GET', url: '/api/v1/session', headers: withCookie(cookie) });
    expect(old.statusCode).toBe(401);
    const again = await signIn({ email: 'rita@acme.test', password: 'a brand new secret' });
    expect(again.res.statusCode).toBe(201);
    const self = await app.inject({
      method: 'PUT',
      url: `/api/v1/users/${rita.id}/password`,
      headers: { ...withCookie(again.cookie, again.body.csrf_token), 'content-type': 'application/json' },
      payload: JSON.stringify({ password: 'mine and mine only', current_password: 'not it at all' }),
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].path).toBe('/current_password');
  });
});
