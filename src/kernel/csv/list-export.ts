import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import { csvFile } from './write-csv.js';

/** Query parameters the export pages with itself: a `.csv` route takes every other one of its list. */
const PAGING = new Set(['limit', 'offset', 'cursor', 'after_seq']);
/** Fields never exported, whatever a schema says: secrets are shown once, on creation, only. */
const SECRET = /secret|password|token_hash|private_key|key_material|ciphertext/i;

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  maximum?: number;
};
type ListHandler = (this: unknown, request: FastifyRequest) => Promise<unknown>;
type Paging = 'offset' | 'cursor' | 'seq' | 'none';

/**
 * Every list the API offers, as CSV: for each `GET` route of `app` (registered after this is
 * called) whose answer is `{ items: [...] }` of objects, a twin at the same URL plus `.csv`
 * (`/api/v1/accounts.csv`). The twin takes the list's own query parameters (but the paging ones),
 * token scope and hooks, and calls the list's own handler, so it answers with exactly the records
 * the JSON list would show the same caller (role, team, organisation) and refuses whom it refuses,
 * before a byte is sent. It then pages through the list (by `offset`, `cursor`/`next_cursor` or
 * `after_seq`/`seq`, whichever the list takes) while the client reads, and writes one column per
 * property of the item's TypeBox schema, in the schema's order: nested values as JSON, every cell
 * escaped against CSV injection, fields that name a secret never. Lists whose handler takes the
 * reply (and so may answer otherwise) and public routes get no twin.
 *
 * `except` names lists (by path within `app`) that export themselves another way.
 *
 * Example: `exportListsAsCsv(scope)` first in the `/api/v1` scope, then the features' routes.
 */
export function exportListsAsCsv(app: FastifyInstance, options: { except?: readonly string[] } = {}): void {
  const except = new Set(options.except);
  app.addHook('onRoute', function (this: FastifyInstance, route: RouteOptions) {
    if (except.has(route.url.slice(this.prefix.length))) return;
    const plan = csvPlan(this, route);
    if (!plan) return;
    const { columns, paging, pageSize, querystring } = plan;
    const list = route.handler as unknown as ListHandler;
    const path = route.url.slice(this.prefix.length);
    const schema = route.schema as Record<string, unknown> & { response: Record<string, unknown> };
    const { 200: _ok, ...failures } = schema.response;
    this.route({
      method: 'GET',
      url: `${path}.csv`,
      config: { ...(route.config as object), csvExport: true } as never,
      ...(route.onRequest ? { onRequest: route.onRequest } : {}),
      ...(route.preValidation ? { preValidation: route.preValidation } : {}),
      ...(route.preHandler ? { preHandler: route.preHandler } : {}),
      schema: {
        ...(schema.operationId ? { operationId: `${schema.operationId}Csv` } : {}),
        summary: `${schema.summary ?? 'List'} (CSV)`,
        description: `The same records as \`GET ${route.url}\` for the same caller and filters, as a CSV file (UTF-8 with a byte-order mark), streamed page by page; one column per field (${columns.join(', ')}), nested values as JSON, cells a spreadsheet would read as a formula prefixed with an apostrophe.`,
        ...(schema.tags ? { tags: schema.tags } : {}),
        ...(schema.params ? { params: schema.params } : {}),
        ...(querystring ? { querystring } : {}),
        produces: ['text/csv'],
        response: {
          200: { description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } },
          ...failures,
        },
      } as FastifySchema,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const query = { ...(request.query as Record<string, unknown>) };
        const page = (extra: Record<string, unknown>) =>
          list.call(this, Object.create(request, { query: { value: { ...query, ...extra } } })) as Promise<{
            items: Record<string, unknown>[];
            next_cursor?: string | null;
          }>;
        const firstExtra =
          paging === 'offset' ? { limit: pageSize, offset: 0 } : paging === 'seq' ? { limit: pageSize } : {};
        // The first page is read before the answer starts: a refusal is still a problem+json.
        const first = await page(firstExtra);
        async function* rows() {
          let current = first;
          let offset = 0;
          for (;;) {
            for (const item of current.items) yield columns.map((c) => item[c]);
            offset += current.items.length;
            let next: Record<string, unknown> | null = null;
            if (paging === 'offset' && current.items.length === pageSize) next = { limit: pageSize, offset };
            if (paging === 'cursor' && current.next_cursor) next = { cursor: current.next_cursor };
            if (paging === 'seq' && current.items.length === pageSize)
              next = { limit: pageSize, after_seq: current.items[current.items.length - 1]!.seq };
            if (!next) return;
            current = await page(next);
          }
        }
        const name =
          path
            .split('/')
            .filter((s) => s && !s.startsWith(':'))
            .join('-') || 'list';
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .header('x-content-type-options', 'nosniff')
          .send(csvFile(columns, rows()));
      },
    });
  });
}

/** Whether the route is a list to export, and how: its columns, how it pages, its other query parameters. */
function csvPlan(
  app: FastifyInstance,
  route: RouteOptions,
): { columns: string[]; paging: Paging; pageSize: number; querystring: Schema | null } | null {
  const methods = [route.method].flat();
  const config = route.config as { public?: boolean; csvExport?: boolean } | undefined;
  if (!methods.includes('GET') || config?.public || config?.csvExport || route.url.endsWith('.csv'))
    return null;
  if ((route.handler as { length: number }).length > 1) return null;
  const schema = route.schema as { response?: Record<string, Schema>; querystring?: Schema } | undefined;
  const ok = resolve(app, schema?.response?.[200]);
  const items = resolve(app, ok?.properties?.items);
  const item = resolve(app, items?.items);
  if (!item?.properties || items?.type !== 'array') return null;
  const columns = Object.keys(item.properties).filter((c) => !SECRET.test(c));
  const query = resolve(app, schema?.querystring);
  const takes = (name: string) => query?.properties?.[name] !== undefined;
  const paging: Paging =
    takes('offset') && takes('limit')
      ? 'offset'
      : takes('cursor') && ok?.properties?.next_cursor
        ? 'cursor'
        : takes('after_seq') && takes('limit') && item.properties.seq
          ? 'seq'
          : 'none';
  const pageSize = Math.min(query?.properties?.limit?.maximum ?? 200, 1000);
  let querystring: Schema | null = null;
  if (query?.properties) {
    const kept = Object.fromEntries(Object.entries(query.properties).filter(([k]) => !PAGING.has(k)));
    querystring = {
      ...query,
      properties: kept,
      ...(query.required ? { required: query.required.filter((r) => !PAGING.has(r)) } : {}),
    };
  }
  return { columns, paging, pageSize, querystring };
}

/** A schema with its `$ref` to a shared (named) schema followed. */
function resolve(app: FastifyInstance, schema: Schema | undefined): Schema | undefined {
  if (schema?.$ref) return app.getSchema(schema.$ref) as Schema | undefined;
  return schema;
}
