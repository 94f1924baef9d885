import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { AnyObject, errorResponses, ProblemSchema } from '../kernel/http/schemas.js';
import { playbookDefinition } from './domain/definition-mapping.js';
import { MAX_REPORTED_ERRORS } from './domain/parse-playbook.js';
import { playbookByKey } from './playbook-cache.js';
import {
  ErrorCountSchema,
  PlaybookInstalledSchema,
  PlaybookValidationSchema,
} from './playbook-check-schema.js';
import { PlaybookDetail, PlaybookSummary } from './playbook-definition-schema.js';
import { listPlaybooks } from './use-cases/list-playbooks.js';
import { uploadPlaybook } from './use-cases/upload-playbook.js';
import { validatePlaybook } from './use-cases/validate-playbook.js';

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
const InvalidPlaybookProblem = {
  description: `The document is not a valid playbook: \`errors\` lists the first ${MAX_REPORTED_ERRORS} by position, \`error_count\` counts them all`,
  content: {
    'application/problem+json': {
      schema: Type.Object(
        { ...ProblemSchema.properties, error_count: ErrorCountSchema },
        { additionalProperties: true, description: 'RFC 9457 problem details' },
      ),
    },
  },
};
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
          200: Type.Object({ items: Type.Array(PlaybookSummary) }),
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
          'The full definition of a version: stages, transitions, sections, fields (key, type, required, help, prompts), rejection reasons and checkpoints, with the keys of the YAML format (docs/playbooks.md) and its defaults filled in.',
        tags,
        params: KeyParams,
        querystring: VersionQuery,
        response: { 200: PlaybookDetail, ...errorResponses(400, 404) },
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
      return { id: p.id, builtin: p.builtin, definition: playbookDefinition(p.playbook) };
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
        description: `Checks a playbook document without installing it. Errors carry file, line, column and path; the first ${MAX_REPORTED_ERRORS} by position are listed and \`error_count\` counts them all. A document is checked on a worker thread under a time limit: one that takes longer is answered with a single error saying so.`,
        tags,
        body: UploadBody,
        response: {
          200: PlaybookValidationSchema,
          ...errorResponses(400, 429),
        },
      },
    },
    async (request) => {
      principalOf(request);
      const result = await validatePlaybook(request.body.source, request.body.file ?? 'upload.yaml');
      if (!result.ok) return { valid: false, errors: result.errors, error_count: result.errorCount };
      const { key, version } = result.playbook;
      return { valid: true, errors: [], error_count: 0, key, ...(version > 0 ? { version } : {}) };
    },
  );

  app.post(
    '/playbooks',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'uploadPlaybook',
        summary: 'Upload a playbook',
        description: `Installs a playbook document (JSON \`{source}\` or a raw application/yaml body). Admins only. A document that names its \`version\` is installed as exactly that version: 201 when new, 200 with \`installed: false\` when that version already has the same definition, 409 when it has another one or is below the latest version. A document without \`version\` becomes the next version (201), and its stored source gains the line \`version: N\`; if it has the latest version's definition, 200 with \`installed: false\`. An invalid document is answered 422 with the first ${MAX_REPORTED_ERRORS} errors and \`error_count\`.`,
        tags,
        body: UploadBody,
        response: {
          201: PlaybookInstalledSchema,
          200: PlaybookInstalledSchema,
          ...errorResponses(400, 403, 409, 429),
          422: InvalidPlaybookProblem,
        },
      },
    },
    async (request, reply) => {
      const result = await uploadPlaybook(deps, principalOf(request), request.body);
      return reply.status(result.installed ? 201 : 200).send(result);
    },
  );
}
