import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, Page } from '../kernel/http/schemas.js';
import { DownloadQuery, FILE_CONTENT, FileVersionParam, sendFileVersion } from './file-download.js';
import { EngagementFileSchema, FileTagSchema } from './file-schema.js';
import { listFiles } from './use-cases/list-files.js';
import { openFileVersion } from './use-cases/open-file-version.js';
import type { UploadContent } from './use-cases/store-upload.js';
import { uploadFile } from './use-cases/upload-file.js';
import { uploadFileVersion } from './use-cases/upload-file-version.js';

const EngagementParams = Type.Object({ id: Type.String({ description: 'Engagement id' }) });
const FileParams = Type.Object({
  id: Type.String({ description: 'Engagement id' }),
  fileId: Type.String({ description: 'File id' }),
});

/** The upload's body: any content type, read as the bytes it is. */
const BytesBody = {
  content: {
    'application/octet-stream': {
      schema: {
        description: "The file's bytes (any Content-Type is accepted; the type is read from the bytes)",
      },
    },
  },
};

const FileErrors = {
  413: {
    description: 'The file is larger than BATON_FILES_MAX_BYTES',
    content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
  },
  415: {
    description: 'The type read from the file is not one of BATON_FILES_TYPES',
    content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
  },
};

const uploads = new WeakMap<FastifyRequest, Readable>();

/** What a request uploads: its body as a stream, and what its headers say of it. */
function contentOf(request: FastifyRequest, originalName?: string): UploadContent {
  const declared = Number(request.headers['content-length']);
  return {
    body: uploads.get(request) ?? Readable.from([]),
    claimedType: request.headers['content-type'] ?? null,
    declaredSize: Number.isFinite(declared) ? declared : null,
    originalName: originalName ?? null,
  };
}

/** Routes of an engagement's files and their versions (docs/design-closeout.md). */
export function closeoutFileRoutes(app: Api, deps: Deps): void {
  const tags = ['closeout'];

  app.get(
    '/engagements/:id/files',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listEngagementFiles',
        summary: 'Files of an engagement',
        description: 'Every file of the engagement by name, each with all its versions, newest first.',
        tags,
        params: EngagementParams,
        querystring: Type.Object({ tag: Type.Optional(FileTagSchema) }, { additionalProperties: false }),
        response: { 200: Page(EngagementFileSchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => listFiles(deps, principalOf(request), request.params.id, request.query),
  );

  app.get(
    '/engagements/:id/files/:fileId/versions/:version/content',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'downloadEngagementFile',
        summary: 'Download a version of a file',
        description:
          'The bytes of one version, streamed, with the type read from them at upload. `disposition=inline` asks to show an image or a PDF in the page (previews); anything else is always an attachment.',
        tags,
        params: Type.Object({
          id: Type.String({ description: 'Engagement id' }),
          fileId: Type.String({ description: 'File id' }),
          version: FileVersionParam,
        }),
        querystring: DownloadQuery,
        response: {
          200: FILE_CONTENT,
          ...errorResponses(400, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { file, version, content } = await openFileVersion(
        deps,
        principalOf(request),
        request.params.id,
        request.params.fileId,
        request.params.version,
      );
      return sendFileVersion(reply, { file, version, content }, request.query.disposition);
    },
  );

  // The uploads read their body as a stream: a scope of their own, with one parser for every type.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      // A request refused before its body is read (or a text body that is not UTF-8, refused by
      // the well-formed-text check) must not leave an unheard error behind: the answer has gone.
      payload.on('error', () => {});
      uploads.set(request, payload as Readable);
      done(null, null);
    });
    // A refusal sent before the whole body arrived (413, 415, 404…) closes the connection after
    // it: the rest of the upload is not read, and the client is not left sending into a socket
    // nobody reads (nor a server waiting on it to shut down).
    scope.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode >= 400 && !request.raw.complete) reply.header('connection', 'close');
      return payload;
    });
    const api = scope as unknown as Api;

    api.post(
      '/engagements/:id/files',
      {
        config: { scope: 'records' },
        schema: {
          operationId: 'uploadEngagementFile',
          summary: 'Upload a file',
          description:
            "Uploads a file under a name and a tag, streamed as the request body. A name the engagement already has (in any case) becomes that file's next version. The type is read from the bytes, not from Content-Type: 415 when it is not accepted; 413 over the size limit.",
          tags,
          params: EngagementParams,
          querystring: Type.Object(
            {
              name: Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'The file\'s name ("As-built floor 2")',
              }),
              tag: FileTagSchema,
              filename: Type.Optional(
                Type.String({ maxLength: 255, description: "The uploader's file name" }),
              ),
            },
            { additionalProperties: false },
          ),
          body: BytesBody,
          response: {
            200: EngagementFileSchema,
            201: EngagementFileSchema,
            ...errorResponses(400, 403, 404),
            ...FileErrors,
          },
        },
      },
      async (request, reply) => {
        const { name, tag, filename } = request.query;
        const { file, created } = await uploadFile(
          deps,
          principalOf(request),
          request.params.id,
          { name, tag },
          contentOf(request, filename),
        );
        return reply.status(created ? 201 : 200).send(file);
      },
    );

    api.post(
      '/engagements/:id/files/:fileId/versions',
      {
        config: { scope: 'records' },
        schema: {
          operationId: 'uploadEngagementFileVersion',
          summary: 'Upload a new version of a file',
          description:
            'Uploads the next version of a file, streamed as the request body; the older versions stay downloadable.',
          tags,
          params: FileParams,
          querystring: Type.Object(
            {
              filename: Type.Optional(
                Type.String({ maxLength: 255, description: "The uploader's file name" }),
              ),
            },
            { additionalProperties: false },
          ),
          body: BytesBody,
          response: { 201: EngagementFileSchema, ...errorResponses(400, 403, 404), ...FileErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await uploadFileVersion(
              deps,
              principalOf(request),
              request.params.id,
              request.params.fileId,
              contentOf(request, request.query.filename),
            ),
          ),
    );
  });
}
