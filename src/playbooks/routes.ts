import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { AnyObject, errorResponses } from '../kernel/http/schemas.js';
import { playbookByKey } from './playbook-cache.js';
import { listPlaybooks } from './use-cases/list-playbooks.js';
import { uploadPlaybook, validatePlaybookSource } from './use-cases/upload-playbook.js';

const KeyParams = Type.Object({ key: Type.String({ maxLength: 100 }) });
const VersionQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, description: 'A version; the latest when omitted' })) },
  { additionalProperties: false },
);
const UploadBody = Type.Object(
  {
    source: Type.String({ minLength: 1, description: 'The playbook YAML document' }),
    file: Type.Optional(Type.String({ maxLength: 200, description: 'File name used in error messages' })),
  },
  { additionalProperties: false },
);
const PlaybookError = Type.Object({
  file: Type.String(),
  line: Type.Integer(),
  column: Type.Integer(),
  path: Type.String(),
  message: Type.String(),
});

/** Playbooks: browse, read the full definition and packet schema, upload a new version. */
export function playbookRoutes(app: Api, deps: Deps): void {
  const tags = ['playbooks'];
  // A playbook can also be sent as a raw YAML document.
  for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml']) {
    if (!app.hasContentTypeParser(type)) {
      app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) =>
        done(null, { source: body }),
      );
    }
  }

  app.get(
    '/playbooks',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listPlaybooks',
        summary: 'List playbooks',
        description: "The organisation's playbooks at their latest versions.",
        tags,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                key: Type.String(),
                version: Type.Integer(),
                versions: Type.Array(Type.Integer()),
                name: Type.String(),
                description: Type.Union([Type.String(), Type.Null()]),
                builtin: Type.Boolean(),
                stages: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
                transitions: Type.Array(
                  Type.Object({
                    key: Type.String(),
                    name: Type.String(),
                    from: Type.String(),
                    to: Type.String(),
                    sender_team: Type.String(),
                    receiver_team: Type.String(),
                  }),
                ),
              }),
            ),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) => ({ items: await listPlaybooks(deps, principalOf(request)) }),
  );

  app.get(
    '/playbooks/:key',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getPlaybook',
        summary: 'Get a playbook',
        description:
          'The full definition: stages, transitions, sections, fields (key, type, required, help, prompts), rejection reasons and checkpoints.',
        tags,
        params: KeyParams,
        querystring: VersionQuery,
        response: {
          200: Type.Object({ id: Type.String(), builtin: Type.Boolean(), definition: AnyObject }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const p = await playbookByKey(
        deps.store.db,
        principal.orgId,
        request.params.key,
        request.query.version,
      );
      return { id: p.id, builtin: p.builtin, definition: p.playbook as unknown as Record<string, unknown> };
    },
  );

  app.get(
    '/playbooks/:key/source',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getPlaybookSource',
        summary: 'Get a playbook document',
        description: 'The YAML document a playbook version was installed from.',
        tags,
        params: KeyParams,
        querystring: VersionQuery,
        response: {
          200: {
            description: 'The YAML document',
            content: { 'application/yaml': { schema: Type.String() } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const p = await playbookByKey(
        deps.store.db,
        principal.orgId,
        request.params.key,
        request.query.version,
      );
      const row = await deps.store.db
        .selectFrom('playbooks')
        .select('source')
        .where('org_id', '=', principal.orgId)
        .where('id', '=', p.id)
        .executeTakeFirstOrThrow();
      return reply.type('application/yaml; charset=utf-8').send(row.source);
    },
  );

  app.get(
    '/playbooks/:key/transitions/:transition/schema',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getPacketSchema',
        summary: 'Get the packet schema',
        description:
          'The JSON Schema (2020-12) a packet of this transition must satisfy to be submitted, so an integrator can validate a packet before sending it. `mode=draft` gives the shape an in-progress packet must keep.',
        tags,
        params: Type.Object({
          key: Type.String({ maxLength: 100 }),
          transition: Type.String({ maxLength: 100 }),
        }),
        querystring: Type.Object(
          {
            version: Type.Optional(Type.Integer({ minimum: 1 })),
            mode: Type.Optional(Type.Union([Type.Literal('complete'), Type.Literal('draft')])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The JSON Schema (draft 2020-12) of the packet',
            content: { 'application/schema+json': { schema: AnyObject } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const p = await playbookByKey(
        deps.store.db,
        principal.orgId,
        request.params.key,
        request.query.version,
      );
      const t = p.transition(request.params.transition);
      if (!t)
        throw new AppError(
          'not_found',
          `Playbook ${p.playbook.key} has no transition ${request.params.transition}.`,
        );
      const schema = request.query.mode === 'draft' ? t.validator.draftSchema : t.validator.completeSchema;
      return reply.type('application/schema+json').send(schema);
    },
  );

  app.post(
    '/playbooks/validate',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'validatePlaybook',
        summary: 'Validate a playbook',
        description:
          'Checks a playbook document without installing it; every error with file, line, column and path.',
        tags,
        body: UploadBody,
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            errors: Type.Array(PlaybookError),
            key: Type.Optional(Type.String()),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      principalOf(request);
      const result = validatePlaybookSource(request.body.source, request.body.file ?? 'upload.yaml');
      return result.ok
        ? { valid: true, errors: [], key: result.playbook.key }
        : { valid: false, errors: result.errors };
    },
  );

  app.post(
    '/playbooks',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'uploadPlaybook',
        summary: 'Upload a playbook',
        description:
          'Installs a playbook document (JSON `{source}` or a raw application/yaml body) as the next version of its key. Admins only.',
        tags,
        body: UploadBody,
        response: {
          201: Type.Object({
            id: Type.String(),
            key: Type.String(),
            version: Type.Integer(),
            name: Type.String(),
          }),
          ...errorResponses(400, 403, 422),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await uploadPlaybook(deps, principalOf(request), request.body)),
  );
}
