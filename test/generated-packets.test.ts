import { JSONSchemaFaker } from 'json-schema-faker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { openTestStore } from './support/stores.js';

/** Every path to a required property of the schema, as the packet would hold it. */
function requiredPaths(schema: Json, prefix = ''): string[] {
  if (schema?.type !== 'object' || !schema.properties) return [];
  const out: string[] = [];
  for (const key of schema.required ?? []) {
    const child = schema.properties[key];
    const nested = requiredPaths(child, `${prefix}/${key}`);
    out.push(`${prefix}/${key}`);
    // A section's own required fields are named individually when one of them is removed.
    out.push(...nested.filter((p) => p.split('/').length === 3));
  }
  return out;
}

function without(packet: Json, path: string): Json {
  const copy = structuredClone(packet);
  const parts = path.split('/').slice(1);
  let node = copy;
  for (const p of parts.slice(0, -1)) node = node[p];
  delete node[parts.at(-1)!];
  return copy;
}

/**
 * What an integrator does: take the served JSON Schema, generate packets from it with a generic
 * generator, and send them. Every generated packet must submit; each with a required field removed
 * must be refused naming that field.
 */
describe('packets generated from the served JSON Schema', () => {
  let app: Api;
  let store: Store;
  let org: TestOrg;
  let accountId: string;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    const made = await testApp(store);
    app = made.app;
    org = await seedOrg(made.deps, 'Schema Co');
    const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Client' });
    accountId = account.body.id;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const submitPacket = async (packet: Json) => {
    const sales = call(app, org.sales);
    // An engagement each: an engagement has one open handoff per transition.
    const engagement = await sales('POST', '/api/v1/engagements', { account_id: accountId, name: 'Deal' });
    const created = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
    });
    const patched = await sales('PATCH', `/api/v1/handoffs/${created.body.id}`, { packet });
    if (patched.status !== 200) return patched;
    return sales('POST', `/api/v1/handoffs/${created.body.id}/submit`);
  };

  it('submits every generated packet, and refuses each with one required field removed, naming it', async () => {
    const schema = (
      await call(app, org.sales)(
        'GET',
        '/api/v1/playbooks/professional-services/transitions/sales-to-delivery/schema',
      )
    ).body;
    const { $schema: _ignored, ...generatable } = schema;
    JSONSchemaFaker.option({ alwaysFakeOptionals: false, fillProperties: false, random: mulberry(7) });
    const paths = requiredPaths(schema);
    expect(paths).toContain('/goal/client_goal');
    for (let i = 0; i < 8; i++) {
      const packet = JSONSchemaFaker.generate(generatable) as Json;
      const ok = await submitPacket(packet);
      expect(ok.status, JSON.stringify({ packet, body: ok.body })).toBe(200);
      if (i > 1) continue;
      for (const path of paths) {
        const refused = await submitPacket(without(packet, path));
        expect(refused.status, path).toBe(422);
        const named = refused.body.errors.map((e: { path: string }) => e.path);
        expect(
          named.some((p: string) => p === `/packet${path}` || p.startsWith(`/packet${path}/`)),
          `${path} in ${named}`,
        ).toBe(true);
      }
    }
  });
});

/** A seeded random source so a failure can be replayed. */
function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
