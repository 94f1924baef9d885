import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BatonBuild,
  type BatonNode,
  buildBaton,
  cliJson,
  killAllNodes,
  startNode,
} from './support/cluster.js';
import { freshDatabaseUrl } from './support/stores.js';

const PASSWORD = 'correct horse battery';

/**
 * Two `baton serve` processes on one PostgreSQL count password attempts together: bursts of
 * concurrent sign-ins spread over both never get more passwords checked than the limits allow.
 * The processes trust 127.0.0.1 as their proxy, so each request names its client address in
 * X-Forwarded-For.
 */
describe('the attempt limits across two processes on one PostgreSQL', () => {
  let baton: BatonBuild;
  let nodes: BatonNode[];
  const emails: string[] = [];

  beforeAll(async () => {
    baton = await buildBaton();
    const env = { BATON_DATABASE_URL: await freshDatabaseUrl('postgres') };
    await cliJson(baton, env, 'migrate', '--json');
    await cliJson(baton, env, 'org', 'create', 'Limits Co', '--slug', 'limits', '--json');
    for (const name of ['rita', 'sam']) {
      const email = `${name}@limits.test`;
      await cliJson(
        baton,
        env,
        'user',
        'add',
        '--org',
        'limits',
        '--email',
        email,
        '--role',
        'sales',
        '--team',
        'sales',
        '--password',
        PASSWORD,
        '--json',
      );
      emails.push(email);
    }
    const nodeEnv = { ...env, BATON_SCHEDULER: 'off', BATON_TRUSTED_PROXIES: '127.0.0.1' };
    nodes = await Promise.all([startNode(baton, nodeEnv), startNode(baton, nodeEnv)]);
  }, 120_000);

  afterAll(async () => {
    await killAllNodes();
    baton?.cleanup();
  });

  const signIn = async (i: number, email: string, password: string, client: string) => {
    const res = await fetch(`${nodes[i % 2]!.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ email, password }),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const tally = (statuses: number[]) => {
    const out: Record<number, number> = {};
    for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
    return out;
  };

  it('checks at most 5 of 200 concurrent sign-ins for one e-mail, from 200 addresses, over both processes', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        signIn(i, emails[0]!, i === 199 ? PASSWORD : `wrong password ${i}`, `10.9.${i >> 8}.${i & 255}`),
      ),
    );
    const counts = tally(statuses);
    expect((counts[401] ?? 0) + (counts[201] ?? 0), JSON.stringify(counts)).toBeLessThanOrEqual(5);
    expect((counts[401] ?? 0) + (counts[201] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).toBe(200);
  }, 60_000);

  it('checks at most 20 of 50 concurrent sign-ins from one address, over both processes', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        signIn(i, `nobody${i}@limits.test`, 'wrong password', '203.0.113.50'),
      ),
    );
    const counts = tally(statuses);
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(20);
    expect((counts[401] ?? 0) + (counts[429] ?? 0), JSON.stringify(counts)).toBe(50);
    // The address is the one refused: the other user signs in from elsewhere, not from it.
    expect(await signIn(0, emails[1]!, PASSWORD, '203.0.113.51')).toBe(201);
  }, 60_000);
});
