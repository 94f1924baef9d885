import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { NO_PORTS } from '../../../test/support/no-ports.js';
import { ManualClock } from '../clock.js';
import type { Store } from '../db/dialect.js';
import { Subscribers } from '../events.js';
import { type Api, buildApp } from './build-app.js';
import { hoistNamedSchemas, type NamedSchema } from './named-schemas.js';

const shelf = () => {
  const shared = new Map<string, NamedSchema>();
  return {
    shared,
    getSchema: (name: string) => shared.get(name),
    addSchema: (schema: NamedSchema) => shared.set(schema.$id, schema),
  };
};

const Team = Type.Object({ id: Type.String(), name: Type.String() }, { $id: 'Team' });
const Match = Type.Object({ home: Team, away: Team, note: Type.Optional(Type.String()) }, { $id: 'Match' });

describe('named schemas', () => {
  it('are replaced by a reference, and shared once, however often and deep they appear', () => {
    const s = shelf();
    const route = hoistNamedSchemas(
      { body: Type.Object({ team: Team }), response: { 200: Type.Array(Match), 201: Match } },
      s,
    );
    expect(route).toEqual({
      body: { type: 'object', required: ['team'], properties: { team: { $ref: 'Team' } } },
      response: { 200: { type: 'array', items: { $ref: 'Match' } }, 201: { $ref: 'Match' } },
    });
    expect([...s.shared.keys()].sort()).toEqual(['Match', 'Team']);
    // A named schema's own named parts are references too: the two teams are one schema.
    expect(s.shared.get('Match')).toMatchObject({
      $id: 'Match',
      properties: { home: { $ref: 'Team' }, away: { $ref: 'Team' } },
    });
    // The schemas written in the code are left as they were.
    expect(Match.properties.home).toBe(Team);
  });

  it('refuses two different schemas under one name', () => {
    const s = shelf();
    hoistNamedSchemas({ response: { 200: Team } }, s);
    const impostor = Type.Object({ id: Type.Integer() }, { $id: 'Team' });
    expect(() => hoistNamedSchemas({ response: { 200: impostor } }, s)).toThrow(
      'Two different schemas are named Team',
    );
    // A copy (as Type.Optional makes) is the same schema.
    expect(() => hoistNamedSchemas({ body: Type.Object({ t: Type.Optional(Team) }) }, s)).not.toThrow();
  });

  it('leave data alone: an enum value or a default holding `$id` names nothing', () => {
    const s = shelf();
    const route = hoistNamedSchemas({ body: { enum: [{ $id: 'x' }], default: { $id: 'y' } } }, s);
    expect(route).toEqual({ body: { enum: [{ $id: 'x' }], default: { $id: 'y' } } });
    expect(s.shared.size).toBe(0);
  });

  it('are served under components/schemas by name, and validate and serialize as before', async () => {
    const routes = (app: Api) => {
      app.post(
        '/matches',
        {
          config: { public: true },
          schema: { operationId: 'addMatch', tags: ['audit'], body: Match, response: { 200: Match } },
        },
        async (request) => ({ ...request.body, extra: 'not in the schema' }),
      );
    };
    const app = await buildApp({
      deps: {
        store: {} as Store,
        clock: new ManualClock(),
        subscribers: Subscribers.empty(),
        ports: NO_PORTS,
      },
      routes: [routes],
      authenticate: async () => {
        throw new Error('Only public routes here');
      },
    });
    await app.ready();
    // biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read as plain JSON
    const doc = app.swagger() as any;
    expect(doc.components.schemas).toMatchObject({
      Team: { type: 'object', properties: { id: { type: 'string' } } },
      Match: { properties: { home: { $ref: '#/components/schemas/Team' } } },
    });
    const operation = doc.paths['/api/v1/matches'].post;
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Match',
    });
    expect(operation.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Match',
    });
    const team = { id: 't1', name: 'Reds' };
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/matches',
      payload: { home: team, away: team },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ home: team, away: team });
    const bad = await app.inject({ method: 'POST', url: '/api/v1/matches', payload: { home: { id: 1 } } });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/away', '/home/id', '/home/name']);
    await app.close();
  });
});
