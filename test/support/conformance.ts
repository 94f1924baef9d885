import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api } from '../../src/kernel/http/build-app.js';

/** One response that the served OpenAPI document does not describe. */
export interface Disagreement {
  /** `GET /api/v1/handoffs/{id}` (operationId). */
  operation: string;
  status: number;
  contentType: string;
  /** What disagrees, in words, with the JSON pointer into the document where it is described. */
  problem: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is read as plain JSON
type Json = any;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;
const TEXT_TYPE = /^(?:text\/|application\/(?:x-)?yaml$)/;

/** Escapes one JSON-pointer token. */
const token = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Checks every response the app sends against the OpenAPI document it serves: the status must be
 * listed for the operation, the content type listed for that status, and a JSON or text body must
 * satisfy the schema listed for that content type (JSON Schema 2020-12, as OpenAPI 3.1 says).
 * Routes the document leaves out (its own page, the web UI, unknown paths) are not checked.
 *
 * Disagreements are kept until `take()`; `testApp` fails the test that received them.
 */
export function checkResponsesAgainstDocument(app: Api): { take(): Disagreement[] } {
  const found: Disagreement[] = [];
  let doc: Json;
  let ajv: Ajv2020;
  const validators = new Map<string, ValidateFunction>();

  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      const fragment = pointer.split('/').map(encodeURIComponent).join('/');
      validate = ajv.compile({ $ref: `openapi.json#${fragment}` });
      validators.set(pointer, validate);
    }
    return validate;
  };

  const check = (request: FastifyRequest, reply: FastifyReply, payload: unknown): Disagreement[] => {
    const pattern = request.routeOptions.url;
    if (!pattern || request.method === 'HEAD') return [];
    if (!doc) {
      doc = app.swagger();
      ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
      addFormats.default(ajv);
      ajv.addSchema(doc, 'openapi.json');
    }
    const path = pattern.replace(/:(\w+)/g, '{$1}');
    const method = request.method.toLowerCase();
    const operation = doc.paths?.[path]?.[method];
    if (!operation) return [];
    const status = reply.statusCode;
    const contentType = String(reply.getHeader('content-type') ?? '');
    const media = contentType.split(';')[0]!.trim().toLowerCase();
    const name = `${request.method} ${path} (${operation.operationId ?? 'no operationId'})`;
    const at = `#/paths/${token(path)}/${method}/responses`;
    const says = (problem: string): Disagreement[] => [{ operation: name, status, contentType, problem }];

    const responses = operation.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key)
      return says(`status ${status} is not listed at ${at} (it lists ${Object.keys(responses).join(', ')})`);
    const listed = responses[key].content as Record<string, { schema?: unknown }> | undefined;
    const types = Object.keys(listed ?? {});
    // A 204 or 304 goes out without a body, whatever was handed to send().
    const body = payload === null || payload === undefined || status === 204 || status === 304 ? '' : payload;
    const empty = typeof body === 'string' ? body.length === 0 : Buffer.isBuffer(body) && body.length === 0;
    if (empty) {
      return types.length > 0
        ? says(`the response has no body, but ${at}/${key}/content lists ${types.join(', ')}`)
        : [];
    }
    if (types.length === 0)
      return says(`the response has a ${media} body, but ${at}/${key} lists no content`);
    const matched = types.find(
      (t) => t === media || t === '*/*' || (t.endsWith('/*') && media.startsWith(t.slice(0, -1))),
    );
    if (!matched)
      return says(
        `content type ${media || '(none)'} is not listed at ${at}/${key}/content (it lists ${types.join(', ')})`,
      );
    const schemaAt = `${at.slice(1)}/${key}/content/${token(matched)}/schema`;
    if (!listed?.[matched]?.schema) return [];
    let value: unknown;
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : null;
    if (text === null) return []; // a stream (a file): its bytes are not checked here
    if (JSON_TYPE.test(media)) {
      try {
        value = JSON.parse(text);
      } catch {
        return says(`the ${media} body is not JSON`);
      }
    } else if (TEXT_TYPE.test(media)) {
      value = text;
    } else {
      return []; // binary (a PDF): its schema only says it is bytes
    }
    const validate = validatorAt(schemaAt);
    if (validate(value)) return [];
    // Ajv names the keyword by its place in the document (through the $ref), or below the schema.
    const keyword = (e: ErrorObject) =>
      e.schemaPath.includes('openapi.json#')
        ? decodeURIComponent(e.schemaPath.slice(e.schemaPath.indexOf('#') + 1))
        : `/${schemaAt}${e.schemaPath.slice(1)}`;
    return (validate.errors ?? []).flatMap((e: ErrorObject) =>
      says(
        `the body at ${e.instancePath || '/'} ${e.message ?? 'is not valid'} ${JSON.stringify(e.params)}; schema #${keyword(e)}`,
      ),
    );
  };

  app.addHook('onSend', async (request, reply, payload) => {
    found.push(...check(request, reply, payload));
    return payload;
  });
  return { take: () => found.splice(0) };
}

/** One line per disagreement, for a test failure. */
export function describeDisagreements(list: readonly Disagreement[]): string {
  return [
    `${list.length} response(s) disagree with the served OpenAPI document (/api/v1/openapi.json):`,
    ...list.map(
      (d) => `- ${d.operation} → ${d.status} ${d.contentType || '(no content type)'}: ${d.problem}`,
    ),
  ].join('\n');
}
