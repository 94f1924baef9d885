import { isDeepStrictEqual } from 'node:util';

/**
 * A resource's schema carries `$id`, its name (`Type.Object({...}, { $id: 'Handoff' })`), and is
 * written into routes like any other TypeBox schema, so the type provider still types requests
 * and replies from it. When a route is registered, `hoistNamedSchemas` replaces every named
 * schema in it by a `$ref` to one shared copy: validators and serializers then compile that copy
 * once, a name used twice in one answer (a handoff's two teams) is not two schemas with one id,
 * and the OpenAPI document lists it by name under `components/schemas`.
 */
export type NamedSchema = Record<string, unknown> & { $id: string };

/** The parts of a route's schema that hold JSON Schemas. */
const ROUTE_PARTS = ['body', 'querystring', 'params', 'headers', 'response'] as const;

/** Keywords whose values are data, not schemas: a `$id` inside them names nothing. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples', 'example']);

/** Where the named schemas of a server are kept: Fastify's shared schemas. */
export interface SchemaShelf {
  getSchema(name: string): unknown;
  addSchema(schema: NamedSchema): unknown;
}

/**
 * The route schema with each named schema replaced by `{ $ref: name }`; each named schema, with
 * its own named schemas replaced the same way, is put on the shelf the first time it is seen.
 * Two different schemas under one name are refused: a resource has one schema.
 *
 * @example
 *   const Team = Type.Object({ id: Type.String() }, { $id: 'Team' });
 *   hoistNamedSchemas({ response: { 200: Type.Array(Team) } }, app);
 *   // → { response: { 200: { type: 'array', items: { $ref: 'Team' } } } }; app.getSchema('Team') is Team
 */
export function hoistNamedSchemas<T extends object>(routeSchema: T, shelf: SchemaShelf): T {
  const hoist = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(hoist);
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      copy[key] = key === '$id' || DATA_KEYWORDS.has(key) ? inner : hoist(inner);
    const name = copy.$id;
    if (typeof name !== 'string') return copy;
    const shared = shelf.getSchema(name);
    if (shared === undefined) shelf.addSchema(copy as NamedSchema);
    else if (!isDeepStrictEqual(shared, copy))
      throw new Error(`Two different schemas are named ${name}; a resource has one schema.`);
    return { $ref: name };
  };
  const out = { ...routeSchema } as Record<string, unknown>;
  for (const part of ROUTE_PARTS) if (out[part] !== undefined) out[part] = hoist(out[part]);
  return out as T;
}
