import { Type } from 'typebox';
import { AuditEntrySchema } from '../audit/audit-entry-schema.js';
import { countPendingAudit } from '../audit/pending-entries.js';
import { listAuditEntries } from '../audit/use-cases/list-audit-entries.js';
import { verifyAuditChain } from '../audit/use-cases/verify-audit-chain.js';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Nullable } from '../kernel/http/schemas.js';
import { capabilitiesOf } from '../kernel/principal.js';
import { requireCapability } from './domain/authorize.js';
import { TOKEN_SCOPES } from './domain/scopes.js';
import { MeSchema } from './session-schema.js';
import { TeamSchema } from './team-schema.js';
import { IssuedTokenSchema, TokenSchema, TokenScopeSchema } from './token-schema.js';
import { createTeam, listTeams } from './use-cases/manage-teams.js';
import { createToken, listTokens, revokeToken } from './use-cases/manage-tokens.js';
import { inviteUser, listUsers, updateUser } from './use-cases/manage-users.js';
import { updateOrganisationFormats } from './use-cases/update-organisation-formats.js';
import { CreatedUserSchema, OrganisationFormatsSchema, RoleSchema, UserSchema } from './user-schema.js';

/** Who am I, users, teams, tokens and the organisation's audit log. */
export function identityRoutes(app: Api, deps: Deps): void {
  const tags = ['identity'];

  app.get(
    '/me',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getMe',
        summary: 'Who am I',
        description:
          'The caller: user, role, teams and organisation, the scopes of the credential used, and `capabilities`: what the role allows that those scopes allow too.',
        tags,
        response: {
          200: MeSchema,
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const users = await listUsers(deps, principal);
      const org = await deps.store.db
        .selectFrom('organisations')
        .select(['id', 'slug', 'name', 'time_zone', 'locale', 'currency', 'brand_color'])
        .where('id', '=', principal.orgId)
        .executeTakeFirstOrThrow();
      return {
        user: users.find((u) => u.id === principal.userId)!,
        capabilities: capabilitiesOf(principal),
        scopes: [...principal.scopes],
        organisation: org,
      };
    },
  );

  app.get(
    '/users',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listUsers',
        summary: 'List users',
        description: "The organisation's users.",
        tags,
        response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errorResponses() },
      },
    },
    async (request) => ({ items: await listUsers(deps, principalOf(request)) }),
  );

  app.post(
    '/users',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createUser',
        summary: 'Add a user',
        description: "Adds a user (admins only). The answer carries the user's API token, shown once.",
        tags,
        body: Type.Object(
          {
            email: Type.String({ maxLength: 320 }),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            role: RoleSchema,
            teams: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: CreatedUserSchema,
          ...errorResponses(400, 403, 409),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await inviteUser(deps, principalOf(request), request.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateUser',
        summary: 'Change a user',
        description: "Changes a user's name, role or teams, or disables the user (admins only).",
        tags,
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            role: Type.Optional(RoleSchema),
            teams: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateUser(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/teams',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listTeams',
        summary: 'List teams',
        description: "The organisation's teams.",
        tags,
        response: { 200: Type.Object({ items: Type.Array(TeamSchema) }), ...errorResponses() },
      },
    },
    async (request) => ({ items: await listTeams(deps, principalOf(request)) }),
  );

  app.post(
    '/teams',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createTeam',
        summary: 'Create a team',
        description: 'Creates a team (admins only). Playbooks name teams by key as sender and receiver.',
        tags,
        body: Type.Object(
          { key: Type.String({ maxLength: 40 }), name: Type.String({ maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: TeamSchema, ...errorResponses(400, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTeam(deps, principalOf(request), request.body)),
  );

  app.get(
    '/tokens',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listTokens',
        summary: 'List API tokens',
        description: "The caller's tokens (an admin sees all). The secret is never shown again.",
        tags,
        response: { 200: Type.Object({ items: Type.Array(TokenSchema) }), ...errorResponses() },
      },
    },
    async (request) => ({ items: await listTokens(deps, principalOf(request)) }),
  );

  app.post(
    '/tokens',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createToken',
        summary: 'Create an API token',
        description:
          'Creates a token for the caller, or for a user of the organisation (admins). Shown once. `scopes` limits what it may be used for (by default, the scopes of the credential creating it, which a new token never exceeds).',
        tags,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            user_id: Type.Optional(Type.String()),
            scopes: Type.Optional(
              Type.Array(TokenScopeSchema, { minItems: 1, maxItems: TOKEN_SCOPES.length, uniqueItems: true }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: IssuedTokenSchema,
          ...errorResponses(400, 403),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createToken(deps, principalOf(request), request.body)),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'revokeToken',
        summary: 'Revoke an API token',
        description: 'Revokes a token at once.',
        tags,
        params: IdParams,
        response: { 204: Type.Null({ description: 'Revoked' }), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await revokeToken(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/audit',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listAuditEntries',
        summary: 'Audit log',
        description:
          "The organisation's audit log, oldest first, paged by sequence number, and how many entries wait to be sealed (admins only).",
        tags: ['audit'],
        querystring: Type.Object(
          {
            after_seq: Type.Optional(Type.Integer({ minimum: 0 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
            engagement_id: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(AuditEntrySchema),
            pending: Type.Integer({
              minimum: 0,
              description:
                'Entries committed but not yet sealed (no sequence number yet, so not in `items`). The listing seals what was committed before it was asked for, so this counts what was committed meanwhile; a count that stays high means no sealer keeps up.',
            }),
          }),
          ...errorResponses(400, 403),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      requireCapability(principal, 'manage_identity', 'read the audit log');
      const items = await listAuditEntries(deps, principal, {
        afterSeq: request.query.after_seq,
        limit: request.query.limit,
        engagementId: request.query.engagement_id,
      });
      return { items, pending: await countPendingAudit(deps.store.db, principal.orgId) };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'verifyAuditChain',
        summary: 'Verify the audit chain',
        description:
          "Recomputes the organisation's hash chain and names the first entry that does not match (admins only).",
        tags: ['audit'],
        response: {
          200: Type.Object({
            ok: Type.Boolean(),
            entries: Type.Integer(),
            first_break: Nullable(
              Type.Object({ seq: Type.Integer(), id: Nullable(Type.String()), reason: Type.String() }),
            ),
          }),
          ...errorResponses(403),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      requireCapability(principal, 'manage_identity', 'verify the audit chain');
      const org = await deps.store.db
        .selectFrom('organisations')
        .select('slug')
        .where('id', '=', principal.orgId)
        .executeTakeFirstOrThrow();
      const [report] = await verifyAuditChain(deps, { orgSlug: org.slug });
      return { ok: report!.ok, entries: report!.entries, first_break: report!.firstBreak };
    },
  );

  app.put(
    '/organisation/formats',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateOrganisationFormats',
        summary: "Set the organisation's locale and currency",
        description:
          'Admins only. The locale (BCP 47) every screen formats and parses money, dates and numbers in, and the ISO 4217 currency a money field starts with. `/me` and `/session` return them.',
        tags,
        body: OrganisationFormatsSchema,
        response: { 200: OrganisationFormatsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => updateOrganisationFormats(deps, principalOf(request), request.body),
  );
}
