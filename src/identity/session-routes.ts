import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { secureCookie, serializeCookie } from '../kernel/http/cookies.js';
import { refuseCrossSite } from '../kernel/http/cross-site.js';
import { errorResponses, IdParams } from '../kernel/http/schemas.js';
import { capabilitiesOf } from '../kernel/principal.js';
import type { Principal } from './domain/roles.js';
import { csrfTokenFor, SESSION_COOKIE, SESSION_TTL_MS } from './domain/session-token.js';
import { type Session, SessionSchema } from './session-schema.js';
import { listUsers } from './use-cases/manage-users.js';
import { setPassword } from './use-cases/set-password.js';
import { signIn } from './use-cases/sign-in.js';
import { signOut } from './use-cases/sign-out.js';

async function sessionView(
  deps: Deps,
  principal: Principal,
  token: string,
  expiresAt: string,
): Promise<Session> {
  const users = await listUsers(deps, principal);
  const me = users.find((u) => u.id === principal.userId)!;
  const organisation = await deps.store.db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'time_zone', 'locale', 'currency', 'brand_color'])
    .where('id', '=', principal.orgId)
    .executeTakeFirstOrThrow();
  return {
    user: { id: me.id, email: me.email, name: me.name, role: me.role, teams: me.teams },
    organisation,
    capabilities: capabilitiesOf(principal),
    csrf_token: csrfTokenFor(token),
    expires_at: expiresAt,
  };
}

/** Web UI sign-in, the current session, sign-out, and passwords. */
export function sessionRoutes(app: Api, deps: Deps): void {
  const tags = ['identity'];

  app.post(
    '/session',
    {
      config: { public: true },
      schema: {
        operationId: 'signIn',
        summary: 'Sign in',
        description:
          'Signs in with e-mail and password and sets the HTTP-only session cookie. `organisation` (a slug) is needed only when the e-mail belongs to several organisations. Failed attempts are rate-limited (429).',
        tags,
        security: [],
        body: Type.Object(
          {
            email: Type.String({ minLength: 1, maxLength: 320 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
            organisation: Type.Optional(Type.String({ maxLength: 48 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SessionSchema, ...errorResponses(400, 403, 429) },
      },
    },
    async (request, reply) => {
      refuseCrossSite(request);
      const made = await signIn(deps, {
        email: request.body.email,
        password: request.body.password,
        organisation: request.body.organisation || undefined,
        client: request.ip,
        userAgent: request.headers['user-agent'],
      });
      reply.header(
        'set-cookie',
        serializeCookie(SESSION_COOKIE, made.token, {
          maxAgeSeconds: SESSION_TTL_MS / 1000,
          secure: secureCookie(request),
        }),
      );
      return reply.status(201).send(await sessionView(deps, made.principal, made.token, made.expiresAt));
    },
  );

  app.get(
    '/session',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getSession',
        summary: 'The current session',
        description: 'The signed-in user, their organisation and the CSRF token of the session cookie.',
        tags,
        security: [{ session: [] }],
        response: { 200: SessionSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (!request.session)
        throw new AppError('unauthenticated', 'Not signed in: this request carries no session.');
      return sessionView(deps, principal, request.session.token, request.session.expiresAt);
    },
  );

  app.delete(
    '/session',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'signOut',
        summary: 'Sign out',
        description: 'Ends the session for good (a replayed cookie is refused) and clears the cookie.',
        tags,
        security: [{ session: [] }],
        response: { 204: Type.Null({ description: 'Signed out' }), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      principalOf(request);
      if (request.session) await signOut(deps, request.session.token);
      reply.header(
        'set-cookie',
        serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: secureCookie(request) }),
      );
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/users/:id/password',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'setUserPassword',
        summary: "Set a user's password",
        description:
          'Sets the password a user signs in to the web UI with: an admin for any user, or a user for themselves with `current_password` (wrong ones are rate-limited like sign-ins: 429). Every other session of the user ends; the session that made the change stays signed in.',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            password: Type.String({ maxLength: 200 }),
            current_password: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null({ description: 'Set' }), ...errorResponses(400, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      await setPassword(deps, principalOf(request), request.params.id, request.body, {
        client: request.ip,
        sessionId: request.session?.id ?? null,
      });
      return reply.status(204).send(null);
    },
  );
}
