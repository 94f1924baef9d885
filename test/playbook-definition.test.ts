import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../src/kernel/http/build-app.js';
import { loadBuiltinPlaybooks } from '../src/playbooks/builtin/load-builtins.js';
import { playbookDefinition } from '../src/playbooks/domain/definition-mapping.js';
import { PlaybookDetail } from '../src/playbooks/playbook-definition-schema.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { openTestStore } from './support/stores.js';

/** The schema with every object closed, so a key it does not document fails validation. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  return copy.type === 'object' && copy.properties ? { ...copy, additionalProperties: false } : copy;
}

describe('GET /api/v1/playbooks/{key}', () => {
  let app: Api;
  let org: TestOrg;
  beforeAll(async () => {
    const made = await testApp(await openTestStore('sqlite'));
    app = made.app;
    org = await seedOrg(made.deps, 'Definitions');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the definition in the documented schema, with the API naming of the list', async () => {
    const viewer = call(app, org.viewer);
    const listed = (await viewer('GET', '/api/v1/playbooks')).body.items;
    const validate = new Ajv2020({ strict: false }).compile(closed(PlaybookDetail) as object);
    for (const summary of listed) {
      const res = await viewer('GET', `/api/v1/playbooks/${summary.key}`);
      expect(res.status).toBe(200);
      expect(validate(res.body), JSON.stringify(validate.errors)).toBe(true);
      const { definition } = res.body;
      expect(
        definition.transitions.map((t: Record<string, unknown>) => [t.sender_team, t.receiver_team]),
      ).toEqual(summary.transitions.map((t: Record<string, unknown>) => [t.sender_team, t.receiver_team]));
      for (const t of definition.transitions) expect(t.rejection_reasons.length).toBeGreaterThan(0);
    }
    const services = (await viewer('GET', '/api/v1/playbooks/professional-services')).body.definition;
    const [transition] = services.transitions;
    expect(transition).not.toHaveProperty('senderTeam');
    expect(transition).not.toHaveProperty('rejectionReasons');
    expect(transition.checkpoints.some((c: Record<string, unknown>) => 'completed_by' in c)).toBe(true);
  });

  it('serves every attribute of the compiled playbook (the schema names them all)', async () => {
    for (const { playbook } of loadBuiltinPlaybooks()) {
      const res = await call(app, org.viewer)('GET', `/api/v1/playbooks/${playbook.key}`);
      expect(res.body.definition).toEqual(playbookDefinition(playbook));
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    // Named schemas are components, referred to by name.
    const named = (s: { $ref?: string }) =>
      s.$ref ? doc.components.schemas[s.$ref.replace('#/components/schemas/', '')] : s;
    const schema = named(
      doc.paths['/api/v1/playbooks/{key}'].get.responses['200'].content['application/json'].schema,
    );
    expect(schema).toBe(doc.components.schemas.PlaybookDetail);
    const transition = named(named(schema.properties.definition).properties.transitions.items);
    expect(Object.keys(transition.properties)).toEqual(
      expect.arrayContaining([
        'sender_team',
        'receiver_team',
        'rejection_reasons',
        'checkpoints',
        'sections',
      ]),
    );
    expect(transition.properties.rejection_reasons.items.properties).toHaveProperty('code');
  });
});
