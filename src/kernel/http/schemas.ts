import { type Static, type TSchema, type TSchemaOptions, Type } from 'typebox';

/** Schemas shared by every feature's routes. */
export const ErrorDetailSchema = Type.Object(
  {
    path: Type.String({ description: 'JSON pointer of the offending value' }),
    message: Type.String(),
    code: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer()),
    column: Type.Optional(Type.Integer()),
    file: Type.Optional(Type.String()),
  },
  {
    $id: 'ErrorDetail',
    additionalProperties: true,
    description: 'One problem with the request, and where it is',
  },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'A stable URI reference naming the kind of problem' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(ErrorDetailSchema)),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export type ErrorDetail = Static<typeof ErrorDetailSchema>;
export type Problem = Static<typeof ProblemSchema>;

/**
 * A problem response. Routes name the schema itself (it becomes a shared schema when the route is
 * registered); the responses the document adds later refer to that shared schema by name.
 */
const problemRef = (description: string, schema: object = ProblemSchema) => ({
  description,
  content: { 'application/problem+json': { schema } },
});
const sharedProblem = (description: string) => problemRef(description, { $ref: 'Problem' });

/** Error responses every authenticated route may give, for the OpenAPI document. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 422 | 429)[]) {
  const words: Record<number, string> = {
    400: 'The request is not valid; `errors` names every problem',
    401: 'No valid API token',
    403: "The caller's role, team or token scope may not do this",
    404: "No such record in the caller's organisation",
    409: 'Not allowed in the current state',
    422: 'The content is not acceptable; `errors` names every problem',
    429: 'Too many attempts; retry after the number of seconds in `Retry-After`',
  };
  const out: Record<number, unknown> = {};
  for (const s of [401, ...statuses]) out[s] = problemRef(words[s]!);
  return out;
}

/**
 * Adds to an operation's documented responses those the framework can give whatever the route:
 * 400 (a malformed URL or query, text that is not well-formed Unicode); 403 where a token scope is
 * needed (a token without it is refused before the route runs); and for a request with a body, 413
 * (too large) and 415 (a content type the operation does not read). A route's own entry for a
 * status stays as it is.
 */
export function withFrameworkResponses(
  schema: Record<string, unknown> | undefined,
  route: { method: string | string[]; scoped: boolean },
): Record<string, unknown> | undefined {
  if (!schema) return schema;
  const withBody = [route.method].flat().some((m) => ['POST', 'PUT', 'PATCH'].includes(m));
  return {
    ...schema,
    response: {
      400: sharedProblem('The request is not valid; `errors` names every problem'),
      ...(route.scoped
        ? { 403: sharedProblem("The caller's role, team or token scope may not do this") }
        : {}),
      ...(withBody
        ? {
            413: sharedProblem('The request body is larger than the server accepts'),
            415: sharedProblem('The body is sent as a content type this operation does not read'),
          }
        : {}),
      ...(schema.response as Record<string, unknown> | undefined),
    },
  };
}

export const IdParams = Type.Object({ id: Type.String({ description: 'Record id' }) });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const AnyObject = Type.Record(Type.String(), Type.Unknown());

/**
 * One of a closed list of strings, typed as their union: `StringEnum(HANDOFF_STATES)` is
 * `{ type: 'string', enum: [...] }`, which every client generator reads as an enumeration.
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: TSchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer() });

/** One page of a list route's answer (`Page(schema)`), for clients typing it. */
export interface Page<T> {
  items: T[];
  total: number;
}
