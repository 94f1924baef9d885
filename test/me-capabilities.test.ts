import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { CAPABILITIES, type Capability, type TokenScope } from '../src/kernel/principal.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { openTestStore } from './support/stores.js';

type Role = 'admin' | 'sales' | 'operations' | 'service' | 'viewer';

const WRITER: Capability[] = ['read', 'write_records', 'act_on_handoffs'];
const BY_ROLE: Record<Role, Capability[]> = {
  admin: [...CAPABILITIES],
  sales: WRITER,
  operations: [...WRITER, 'reveal_secrets'],
  service: [...WRITER, 'reveal_secrets'],
  viewer: ['read'],
};

let unique = 0;

/**
 * One request per capability that the server refuses (403) exactly when the caller lacks it: by
 * its role (checked before any record is looked up) or by its token's scope. Anything but 403
 * means the server took the caller past both checks.
 */
const PROBES: Record<Capability, { method: 'GET' | 'POST'; url: string; body?: () => unknown }> = {
  read: { method: 'GET', url: '/api/v1/accounts' },
  write_records: { method: 'POST', url: '/api/v1/accounts', body: () => ({ name: `Probe ${++unique}` }) },
  // An engagement that does not exist: past the role and scope checks, the answer is 404.
  act_on_handoffs: {
    method: 'POST',
    url: '/api/v1/handoffs',
    body: () => ({
      engagement_id: '00000000-0000-4000-8000-000000000000',
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
    }),
  },
  manage_identity: {
    method: 'POST',
    url: '/api/v1/teams',
    body: () => ({ key: `probe${++unique}`, name: 'P' }),
  },
  // Not a playbook: past the checks, the answer is 400.
  manage_playbooks: { method: 'POST', url: '/api/v1/playbooks', body: () => ({ source: 'key: x\n' }) },
  // No such engagement: past the role and scope checks, the answer is 404.
  reveal_secrets: {
    method: 'POST',
    url: '/api/v1/engagements/00000000-0000-4000-8000-000000000000/vault/00000000-0000-4000-8000-000000000000/reveal',
    body: () => ({ reason: 'Probe' }),
  },
};

/** Asserts that what `/me` lists is what the server takes, capability by capability. */
async function expectAgreement(app: Api, token: string, listed: readonly Capability[]): Promise<void> {
  for (const capability of CAPABILITIES) {
    const probe = PROBES[capability];
    const res = await call(app, token)(probe.method, probe.url, probe.body?.());
    const refused = res.status === 403;
    expect(refused, `${capability}: ${res.status} ${JSON.stringify(res.body)}`).toBe(
      !listed.includes(capability),
    );
  }
}

describe('GET /api/v1/me says what the caller may do', () => {
  let store: Store;
  let app: Api;
  let org: TestOrg;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const made = await testApp(store);
    app = made.app;
    org = await seedOrg(made.deps, 'Capabilities Co');
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it.each(Object.keys(BY_ROLE) as Role[])(
    'lists the %s role’s capabilities, as the server enforces them',
    async (role) => {
      const me = await call(app, org[role])('GET', '/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.capabilities).toEqual(BY_ROLE[role]);
      expect(me.body.scopes).toEqual(['read', 'lifecycle', 'records', 'admin']);
      await expectAgreement(app, org[role], BY_ROLE[role]);
    },
  );

  const NARROW: { role: Role; scopes: TokenScope[]; capabilities: Capability[] }[] = [
    { role: 'admin', scopes: ['read'], capabilities: ['read'] },
    {
      role: 'admin',
      scopes: ['read', 'admin'],
      capabilities: ['read', 'manage_identity', 'manage_playbooks'],
    },
    { role: 'admin', scopes: ['read', 'lifecycle'], capabilities: ['read', 'act_on_handoffs'] },
    { role: 'sales', scopes: ['read', 'records'], capabilities: ['read', 'write_records'] },
    // The admin scope gives a sales user nothing its role does not allow.
    { role: 'sales', scopes: ['read', 'admin'], capabilities: ['read'] },
    // Without `read` a token can call no GET, /me included: it answers 403.
  ];

  it.each(NARROW)(
    'narrows a $role token with scopes $scopes to $capabilities',
    async ({ role, scopes, capabilities }) => {
      const made = await call(app, org[role])('POST', '/api/v1/tokens', {
        name: `narrow ${++unique}`,
        scopes,
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const me = await call(app, made.body.token)('GET', '/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.scopes).toEqual(scopes);
      expect(me.body.capabilities).toEqual(capabilities);
      await expectAgreement(app, made.body.token, capabilities);
    },
  );
});
