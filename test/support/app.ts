import { randomBytes } from 'node:crypto';
import { afterAll, afterEach } from 'vitest';
import type { FileService } from '../../src/files/files-deps.js';
import { authenticateRequest } from '../../src/identity/authenticate-request.js';
import { addUser } from '../../src/identity/use-cases/add-user.js';
import { ManualClock } from '../../src/kernel/clock.js';
import type { Deps } from '../../src/kernel/context.js';
import type { Store } from '../../src/kernel/db/dialect.js';
import type { Subscribers } from '../../src/kernel/events.js';
import { type Api, buildApp } from '../../src/kernel/http/build-app.js';
import type { DestinationGuard } from '../../src/kernel/outbound/destination-guard.js';
import { appDeps } from '../../src/server/app-deps.js';
import { createOrganisation } from '../../src/server/create-organisation.js';
import { ALL_ROUTES, OPENAPI_WEBHOOKS } from '../../src/server/routes.js';
import { type Keyring, memoryKeyring } from '../../src/vault/keyring.js';
import { checkResponsesAgainstDocument, type Disagreement, describeDisagreements } from './conformance.js';
import { EXAMPLE_USERS } from './example-packets.js';

export interface TestOrg {
  id: string;
  slug: string;
  admin: string;
  sales: string;
  operations: string;
  service: string;
  viewer: string;
  userIds: Record<'admin' | 'sales' | 'operations' | 'service' | 'viewer', string>;
}

/**
 * The real server, in process, over a test store and a clock the test controls (and, for tests of
 * outbound requests, the destinations it may reach; for tests of the events, the composition root's
 * subscribers with some of their own). Every response it sends is checked against the
 * OpenAPI document it serves; the test that received one the document does not describe fails,
 * naming the operation, status, content type and schema path.
 */
export async function testApp(
  store: Store,
  clock = new ManualClock(),
  options: {
    destinations?: DestinationGuard;
    subscribers?: Subscribers;
    vaultKeys?: Keyring;
    files?: FileService;
  } = {},
): Promise<{ app: Api; deps: Deps; clock: ManualClock }> {
  const { subscribers, vaultKeys = testKeyring(), ...rest } = options;
  const deps: Deps = appDeps({ store, clock, vaultKeys, ...rest }, subscribers);
  const app = await buildApp({
    deps,
    routes: ALL_ROUTES,
    webhooks: OPENAPI_WEBHOOKS,
    authenticate: authenticateRequest,
  });
  checks.push(checkResponsesAgainstDocument(app));
  await app.ready();
  return { app, deps, clock };
}

/** A vault keyring of one random key-encryption key, held in memory (the servers tests start use one). */
export function testKeyring(id = 'test-kek'): Keyring {
  return memoryKeyring([[id, randomBytes(32)]]);
}

const checks: { take(): Disagreement[] }[] = [];

function failOnDisagreements(): void {
  const found = checks.flatMap((c) => c.take());
  if (found.length > 0) throw new Error(describeDisagreements(found));
}

// Registered in the test file that imports this module: each test answers for the responses it
// received (and the first one for those of its file's setup); what is left fails the file.
afterEach(failOnDisagreements);
afterAll(failOnDisagreements);

/**
 * An organisation with one user per role, each in the team that matches it, and their tokens; and
 * the people the example packets name in user fields (`EXAMPLE_USERS`), so those packets are ready.
 */
export async function seedOrg(deps: Deps, name: string): Promise<TestOrg> {
  const made = await createOrganisation(deps, { name });
  const system = { type: 'system' as const, id: null };
  const org = { slug: made.organisation.slug };
  const slug = made.organisation.slug;
  const sales = await addUser(deps, system, org, {
    email: `sam@${slug}.test`,
    name: 'Sam Seller',
    role: 'sales',
    teamKeys: ['sales'],
  });
  const ops = await addUser(deps, system, org, {
    email: `olive@${slug}.test`,
    name: 'Olive Ops',
    role: 'operations',
    teamKeys: ['operations'],
  });
  const service = await addUser(deps, system, org, {
    email: `sid@${slug}.test`,
    name: 'Sid Service',
    role: 'service',
    teamKeys: ['service'],
  });
  const viewer = await addUser(deps, system, org, {
    email: `val@${slug}.test`,
    name: 'Val Viewer',
    role: 'viewer',
    teamKeys: [],
  });
  for (const person of EXAMPLE_USERS) {
    await addUser(deps, system, org, {
      email: person.email,
      name: person.name,
      role: person.role,
      teamKeys: person.teams,
    });
  }
  return {
    id: made.organisation.id,
    slug,
    admin: made.admin.token.token,
    sales: sales.token.token,
    operations: ops.token.token,
    service: service.token.token,
    viewer: viewer.token.token,
    userIds: {
      admin: made.admin.user.id,
      sales: sales.user.id,
      operations: ops.user.id,
      service: service.user.id,
      viewer: viewer.user.id,
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies freely
export type Json = any;

/** Shorthand for an authenticated JSON request through the real server. */
export function call(app: Api, token: string | null) {
  return async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    let json: unknown = null;
    try {
      json = res.json();
    } catch {
      json = null;
    }
    return { status: res.statusCode, body: json as Json, raw: res };
  };
}
