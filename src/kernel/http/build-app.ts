import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fastJson from 'fast-json-stringify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaCompiler,
  type FastifySerializerCompiler,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Deps } from '../context.js';
import { AppError } from '../errors.js';
import { escapeHtml } from '../escape/html.js';
import type { Principal, TokenScope } from '../principal.js';
import { hoistNamedSchemas } from './named-schemas.js';
import {
  describeProblemTypes,
  problem,
  problemOfStatus,
  slugOf,
  statusOf,
  validationErrors,
} from './problem.js';
import { withFrameworkResponses } from './schemas.js';
import { isWebPageRequest, registerWebUi, sendWebPage } from './serve-web.js';
import { refuseMalformedText } from './well-formed-text.js';

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
    /** The URL people reach Baton at, without a trailing slash; null when not configured. */
    publicUrl: string | null;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the caller is authenticated by the session cookie rather than a bearer token. */
    session: RequestSession | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a token (the OpenAPI document, its docs page). */
    public?: boolean;
    /** The token scope a route needs (see `src/kernel/principal.ts`). */
    scope?: TokenScope;
  }
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A route as registered: method, URL pattern, whether it answers without credentials, the scope it needs. */
export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
  scope: TokenScope | null;
}

/** A feature's routes: given the scoped app and the dependencies, it registers its routes. */
export type RouteModule = (app: Api, deps: Deps) => void;

/** The browser session behind a request authenticated by cookie. */
export interface RequestSession {
  token: string;
  id: string;
  expiresAt: string;
}

/** Who is calling, and the browser session when a cookie said so. */
export interface Authenticated {
  principal: Principal;
  session: RequestSession | null;
}

/**
 * Tells who calls an API route that is not public, or throws `unauthenticated` (or `forbidden`).
 * Identity's `authenticateRequest` (`src/identity/authenticate-request.ts`), handed in by the
 * composition root: the kernel knows what a principal is, not how one proves it.
 */
export type Authenticate = (deps: Deps, request: FastifyRequest) => Promise<Authenticated>;

export interface BuildAppOptions {
  deps: Deps;
  routes: RouteModule[];
  authenticate: Authenticate;
  logger?: FastifyServerOptions['logger'];
  /** Maximum request body in bytes. */
  bodyLimit?: number;
  version?: string;
  /** A directory holding the built web UI (`web/dist`), served at `/` with an SPA fallback. */
  webRoot?: string;
  /**
   * The URL people reach Baton at (`BATON_PUBLIC_URL`). An https one makes the session cookie
   * Secure; browsers' `Origin` is checked against it rather than against the `Host` header.
   */
  publicUrl?: string | null;
  /**
   * The reverse proxies whose `X-Forwarded-For`, `-Proto` and `-Host` are believed
   * (`BATON_TRUSTED_PROXIES`): addresses, CIDR ranges or `loopback`… Headers from anyone else are ignored.
   */
  trustedProxies?: readonly string[];
  /** The OpenAPI 3.1 `webhooks`: what Baton posts to subscribed endpoints (built by a feature). */
  webhooks?: Record<string, unknown>;
}

/**
 * Assembles the HTTP server: strict validation (every problem reported, unknown fields refused,
 * no coercion of bodies), bearer-token authentication, problem+json errors, and the OpenAPI
 * document built from the routes' own schemas.
 */
export async function buildApp(options: BuildAppOptions): Promise<Api> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: {} },
    return503OnClosing: true,
    // Fastify's types know only its own compilers' factories; these take the same arguments.
    schemaController: {
      compilersFactory: { buildValidator, buildSerializer } as unknown as CompilersFactory,
    },
    // request.ip, .protocol and .host read the forwarded headers only when the peer is one of these.
    trustProxy: options.trustedProxies?.length ? [...options.trustedProxies] : false,
    // Errors raised before routing (an over-long path parameter, a malformed URL) are problems too.
    frameworkErrors: (error, _request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 400;
      (reply as FastifyReply)
        .status(status)
        .type('application/problem+json')
        .send(
          problem(
            status === 414 ? 'uri-too-long' : 'validation-failed',
            status,
            'The request URL is not acceptable.',
            {
              errors: [
                {
                  path: '/',
                  message: status === 414 ? 'a path parameter is too long' : 'the URL is malformed',
                },
              ],
            },
          ),
        );
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Resources' named schemas become shared schemas, referred to by name (named-schemas.ts).
  app.addHook('onRoute', function (route) {
    if (route.schema) route.schema = hoistNamedSchemas(route.schema, this);
  });
  app.decorate('publicUrl', options.publicUrl ?? null);
  app.decorateRequest('principal', null);
  // Every route the server registers, so tests can prove none is left out of the authorisation matrix.
  const registered: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (route) => {
    const isPublic = route.config?.public === true;
    const scope = route.config?.scope ?? null;
    // Every API route names the token scope it needs: one that does not would be open to every
    // token, so the server refuses to start with it.
    if (!isPublic && !scope && route.url.startsWith('/api/v1/') && !route.url.startsWith('/api/v1/docs')) {
      throw new Error(`${[route.method].flat().join(',')} ${route.url} names no token scope (config.scope).`);
    }
    // The scope a bearer token needs, in the OpenAPI document (OpenAPI 3.1 lets the requirement of
    // a non-OAuth scheme list roles).
    if (scope && route.schema && !route.schema.security)
      route.schema.security = [{ bearer: [scope] }, { session: [] }];
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') registered.push({ method, url: route.url, public: isPublic, scope });
    }
  });
  app.decorateRequest('session', null);
  // An action sent with no body is validated as an empty object, so missing fields are named.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'DELETE')
      request.body = {};
  });
  refuseMalformedText(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Baton API',
        version: options.version ?? '0.1.0',
        description:
          'Handoffs between teams as written, validated, explicitly accepted contracts. Every error is application/problem+json.',
        contact: { name: 'Baton maintainers', url: 'https://github.com/baton-handoffs/baton' },
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'This server' }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              "An API token (bat_…). A token holds one or more scopes, and each operation names the one it needs in its security requirement; a token without it gets 403, whatever its user's role allows (the role is checked as well). `read`: every GET, and requests that change nothing (validating a playbook, signing out). `lifecycle`: acting on handoffs (create, edit, submit, ask, answer, accept, reject, start delivery, close, withdraw), their checkpoints and milestones. `records`: accounts, contacts, engagements, promises, scope items, success ladders. `admin`: users, teams, tokens, passwords, playbooks and settings. A web session holds every scope.",
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'baton_session',
            description:
              'The web UI session cookie (POST /api/v1/session). State-changing requests also need the X-CSRF-Token header.',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      tags: [
        { name: 'playbooks', description: 'Playbooks and their packet schemas' },
        { name: 'accounts', description: 'Accounts, contacts and engagements' },
        { name: 'handoffs', description: 'The handoff contract and its lifecycle' },
        { name: 'substance', description: 'Promises, scope items and the success ladder' },
        { name: 'identity', description: 'Organisation, users, teams and tokens' },
        { name: 'audit', description: 'The hash-chained audit log' },
        { name: 'checkpoints', description: 'Checkpoints, SLA clocks, milestones and re-scopes' },
        { name: 'calendar', description: 'The business calendar and notification settings' },
        { name: 'notifications', description: "The caller's notification centre" },
        { name: 'scheduler', description: 'Jobs that failed every attempt (dead letters) and their retry' },
        { name: 'search', description: 'One search across handoffs, accounts, engagements and people' },
        {
          name: 'webhooks',
          description: 'Outbound webhooks: endpoints, signing secrets, the delivery log, replay',
        },
        { name: 'portal', description: "The client portal: magic links and the client's page behind them" },
        {
          name: 'vault',
          description: "An engagement's credential vault: masked listings, reveal with a reason",
        },
        {
          name: 'integrations',
          description: 'Inbound sources and what they sent: inquiries after closeout',
        },
        {
          name: 'closeout',
          description:
            'The closeout package: files and their versions, inventory, warranties, punch list, training, checklist',
        },
      ],
    },
    hideUntagged: true,
    // A shared schema is listed under components/schemas by its name (its `$id`).
    refResolver: {
      buildLocalReference: (json: { $id?: unknown }, _base: unknown, _fragment: unknown, i: number) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    transform: ({ schema, url, route }) => ({
      schema: withFrameworkResponses(schema as Record<string, unknown> | undefined, {
        method: route.method,
        scoped: route.config?.scope !== undefined,
      }) as typeof schema,
      url,
    }),
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs', uiConfig: { deepLinking: true } });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/') || request.routeOptions.config?.public) return;
    if (request.url.startsWith('/api/v1/docs')) return;
    if (!request.routeOptions.url) return; // unknown route: the not-found handler answers
    const { principal, session } = await options.authenticate(options.deps, request);
    const scope = request.routeOptions.config.scope;
    if (scope && !principal.scopes.includes(scope)) {
      throw new AppError(
        'forbidden',
        `This API token lacks the ${scope} scope, which ${request.method} ${request.routeOptions.url} needs.`,
        [],
        { required_scope: scope },
      );
    }
    request.principal = principal;
    request.session = session;
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const send = (p: ReturnType<typeof problem>) =>
      reply.status(p.status).type('application/problem+json').send(p);
    if (error instanceof AppError) {
      const status = statusOf(error.code);
      if (typeof error.extra.retry_after === 'number')
        reply.header('retry-after', String(error.extra.retry_after));
      return send(
        problem(slugOf(error.code), status, error.message, {
          ...(error.errors.length ? { errors: error.errors } : {}),
          ...error.extra,
        }),
      );
    }
    if (error.validation) {
      return send(
        problem('validation-failed', 400, 'The request is not valid.', { errors: validationErrors(error) }),
      );
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(problem('unsupported-media-type', 415, 'Send the body as application/json.'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(problem('payload-too-large', 413, 'The request body is larger than the server accepts.'));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(
          problem('validation-failed', 400, 'The JSON body is empty.', {
            errors: [{ path: '/', message: 'a JSON body is required' }],
          }),
        );
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(
          problem('validation-failed', 400, 'The body is not valid JSON.', {
            errors: [{ path: '/', message: 'is not valid JSON' }],
          }),
        );
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 400 && status < 500) {
      // A file server refuses a path it will not resolve (`..`, a NUL byte) with 403 or 400; no
      // file has that name, so it is answered like any other path that does not exist.
      if (servesFiles(request)) return reply.callNotFound();
      return send(problemOfStatus(status, error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(
      problem('internal-error', 500, 'The server failed to answer this request. It has been logged.'),
    );
  });

  if (options.webRoot) await registerWebUi(app, options.webRoot);
  app.setNotFoundHandler((request, reply) => {
    if (options.webRoot && isWebPageRequest(request)) return sendWebPage(reply);
    return reply
      .status(404)
      .type('application/problem+json')
      .send(problem('not-found', 404, `No route ${request.method} ${request.url.split('?')[0]}.`));
  });

  app.get('/problems/:slug', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const known = describeProblemTypes().find((p) => p.slug === slug);
    if (!known)
      return reply
        .status(404)
        .type('application/problem+json')
        .send(problem('not-found', 404, 'No such problem type.'));
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><title>${escapeHtml(known.title)}</title><h1>${escapeHtml(known.title)}</h1><p>Problem type <code>${escapeHtml(slug)}</code> of the Baton API.</p>`,
      );
  });

  app.get('/api/v1/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    app.swagger(),
  );
  app.get('/healthz', { schema: { hide: true }, config: { public: true } }, async () => ({ ok: true }));

  await app.register(
    async (scope) => {
      for (const register of options.routes) register(scope as unknown as Api, options.deps);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

/**
 * The validators of a server whose shared (named) schemas are `shared`: strict (every problem
 * reported, unknown fields refused, no coercion of bodies), compiled on a route's first request,
 * not at start-up: compiling those of every route was a third of the time to ready. Fastify reads
 * a validator's `errors` after a failed call, so the lazy validator carries them over. Fastify asks
 * again for each route; one pair of Ajv instances serves each set of shared schemas.
 */
const buildValidator = memoByNames((shared: Record<string, unknown>) => {
  const bodyAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, removeAdditional: false });
  const paramAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true });
  for (const ajv of [bodyAjv, paramAjv]) {
    addFormats.default(ajv);
    for (const schema of Object.values(shared)) ajv.addSchema(schema as object);
  }
  const compile: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
    let compiled: ValidateFunction | undefined;
    const validate = (data: unknown) => {
      compiled ??= (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  };
  return compile;
});

/** The response serializers of a server whose shared schemas are `shared`, compiled on first use. */
const buildSerializer = memoByNames((shared: Record<string, unknown>) => {
  const compile: FastifySerializerCompiler<unknown> = ({ schema }) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => {
      serialize ??= fastJson(schema as JsonSchema, { schema: shared as Record<string, JsonSchema> });
      return serialize(data);
    };
  };
  return compile;
});

type JsonSchema = Parameters<typeof fastJson>[0];
type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

/** One answer per set of shared schema names: a name always holds the same schema. */
function memoByNames<T>(build: (shared: Record<string, unknown>) => T) {
  const built = new Map<string, T>();
  return (shared: Record<string, unknown> = {}): T => {
    const key = Object.keys(shared).sort().join('\n');
    let found = built.get(key);
    if (found === undefined) {
      found = build(shared);
      built.set(key, found);
    }
    return found;
  };
}

/**
 * Whether the request was routed to a file server: Baton's own routes never end in a wildcard, the
 * static files of the docs page (`/api/v1/docs/static/*`) do.
 */
function servesFiles(request: FastifyRequest): boolean {
  return request.routeOptions.url?.endsWith('*') === true;
}

/** The caller of a route that requires authentication. */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new AppError('unauthenticated', 'Authentication is required.');
  return request.principal;
}
