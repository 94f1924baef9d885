import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/identity/use-cases/add-user.js';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const PASSWORD = 'correct horse battery';
const HOST = 'baton.test';

/** How many answers had each status. */
function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

describe.each(DIALECTS)('password attempts are counted before they are checked, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let close: () => Promise<void>;
  let users = 0;
  let clients = 0;
  /** A client address of its own, so one test's attempts do not count against another's. */
  const freshClient = () => `10.0.${Math.floor(++clients / 250)}.${clients % 250}`;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    close = async () => {
      await app.close();
      await store.close();
    };
    org = await seedOrg(deps, 'Limits Co');
  });
  afterAll(async () => close());

  /** A new user with a password; answers its e-mail, id and API token. */
  const newUser = async () => {
    const made = await addUser(
      deps,
      { type: 'system', id: null },
      { slug: org.slug },
      { email: `user${++users}@limits.test`, role: 'sales', teamKeys: ['sales'], password: PASSWORD },
    );
    return { email: made.user.email, id: made.user.id, token: made.token.token };
  };
  const signIn = (email: string, password: string, client: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/session',
      remoteAddress: client,
      headers: { host: HOST, 'content-type': 'application/json' },
      payload: JSON.stringify({ email, password }),
    });
  const cookieOf = (res: { headers: Record<string, unknown> }) =>
    String(res.headers['set-cookie'] ?? '').split(';')[0]!;

  it('lets at most 5 of 200 concurrent sign-ins for one e-mail check a password, the right one last included', async () => {
    const { email } = await newUser();
    // Each from an address of its own: the limit per e-mail address is the one that must hold.
    const attempts = Array.from({ length: 200 }, (_, i) =>
      signIn(email, i === 199 ? PASSWORD : `wrong password ${i}`, freshClient()),
    );
    const answers = await Promise.all(attempts);
    const statuses = answers.map((r) => r.statusCode);
    const counts = tally(statuses);
    expect(Object.keys(counts).sort(), JSON.stringify(counts)).toEqual(
      Object.keys(counts).filter((s) => s === '401' || s === '429' || s === '201'),
    );
    // At most five passwords were checked: the 401s and a 201 (if the right one got a place).
    expect((counts[401] ?? 0) + (counts[201] ?? 0), JSON.stringify(counts)).toBeLessThanOrEqual(5);
    expect(counts[429] ?? 0).toBeGreaterThanOrEqual(195);
    const limited = answers.find((r) => r.statusCode === 429)!;
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The failures stand, and only they: the places left are taken one by one, then the limit holds.
    // (Attempts of a burst may crowd each other out for a moment; none beyond the limit is checked.)
    for (let i = counts[401] ?? 0; i < 5; i++)
      expect((await signIn(email, `wrong again ${i}`, freshClient())).statusCode).toBe(401);
    expect((await signIn(email, PASSWORD, freshClient())).statusCode).toBe(429);
  });

  it('lets at most 20 of 50 concurrent wrong sign-ins from one address check a password', async () => {
    const emails = await Promise.all(Array.from({ length: 10 }, () => newUser().then((u) => u.email)));
    const client = freshClient();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(emails[i % 10]!, `wrong password ${i}`, client)),
    );
    const counts = tally(answers.map((r) => r.statusCode));
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(20);
    expect((counts[401] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).toBe(50);
    // The places the burst left are taken one by one; then the address is refused for anyone, and
    // the same user signs in from elsewhere.
    for (let i = counts[401] ?? 0; i < 20; i++)
      expect((await signIn(`nobody${i}@limits.test`, 'wrong', client)).statusCode).toBe(401);
    const other = await newUser();
    expect((await signIn(other.email, PASSWORD, client)).statusCode).toBe(429);
    expect((await signIn(other.email, PASSWORD, freshClient())).statusCode).toBe(201);
  });

  it('keeps counting earlier failures after a success: a success removes only its own attempt', async () => {
    const { email } = await newUser();
    for (let i = 0; i < 4; i++)
      expect((await signIn(email, `wrong password ${i}`, freshClient())).statusCode).toBe(401);
    expect((await signIn(email, PASSWORD, freshClient())).statusCode).toBe(201);
    // Four failures still count: one more place, then the limit.
    expect((await signIn(email, 'wrong again', freshClient())).statusCode).toBe(401);
    expect((await signIn(email, PASSWORD, freshClient())).statusCode).toBe(429);
    clock.advance(15 * 60 * 1000 + 1000);
    expect((await signIn(email, PASSWORD, freshClient())).statusCode).toBe(201);
  });

  it('limits guesses of the current password like sign-ins: the 13th try, right, is refused', async () => {
    const user = await newUser();
    const client = freshClient();
    const statuses: number[] = [];
    for (let i = 1; i <= 13; i++) {
      const res = await app.inject({
        method: 'PUT',
        url: `/api/v1/users/${user.id}/password`,
        remoteAddress: client,
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({
          password: 'a brand new secret',
          current_password: i === 13 ? PASSWORD : `guess number ${i}`,
        }),
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().type).toBe('/problems/too-many-requests');
        expect(res.json().detail).toMatch(/^Too many wrong current passwords\. Try again in \d+ minutes?\.$/);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([...Array(5).fill(400), ...Array(8).fill(429)]);
    // The password did not change.
    expect((await signIn(user.email, PASSWORD, freshClient())).statusCode).toBe(201);
  });

  it('counts concurrent guesses of the current password before checking them', async () => {
    const user = await newUser();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        app.inject({
          method: 'PUT',
          url: `/api/v1/users/${user.id}/password`,
          remoteAddress: freshClient(),
          headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
          payload: JSON.stringify({
            password: 'a brand new secret',
            current_password: i === 29 ? PASSWORD : `guess number ${i}`,
          }),
        }),
      ),
    );
    const counts = tally(answers.map((r) => r.statusCode));
    expect((counts[400] ?? 0) + (counts[204] ?? 0), JSON.stringify(counts)).toBeLessThanOrEqual(5);
    expect(counts[429] ?? 0).toBeGreaterThanOrEqual(25);
  });

  it('ends every other session when users change their own password; the session that changed it stays', async () => {
    const user = await newUser();
    const sessions = [];
    for (let i = 0; i < 3; i++) {
      const res = await signIn(user.email, PASSWORD, freshClient());
      expect(res.statusCode).toBe(201);
      sessions.push({ cookie: cookieOf(res), csrf: (res.json() as Json).csrf_token as string });
    }
    const [mine, other, third] = sessions as [
      (typeof sessions)[0],
      (typeof sessions)[0],
      (typeof sessions)[0],
    ];
    const alive = async (s: { cookie: string }) =>
      (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { host: HOST, cookie: s.cookie } }))
        .statusCode;
    const changed = await app.inject({
      method: 'PUT',
      url: `/api/v1/users/${user.id}/password`,
      headers: {
        host: HOST,
        cookie: mine.cookie,
        'x-csrf-token': mine.csrf,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ password: 'a brand new secret', current_password: PASSWORD }),
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect(await alive(mine)).toBe(200);
    expect(await alive(other)).toBe(401);
    expect(await alive(third)).toBe(401);
    // Changed with an API token, the password change ends every session.
    const viaToken = await app.inject({
      method: 'PUT',
      url: `/api/v1/users/${user.id}/password`,
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ password: 'yet another secret', current_password: 'a brand new secret' }),
    });
    expect(viaToken.statusCode, viaToken.body).toBe(204);
    expect(await alive(mine)).toBe(401);
  });
});
