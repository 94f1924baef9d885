import { Type } from 'typebox';
import { DownloadQuery, FILE_CONTENT, FileVersionParam, sendFileVersion } from '../closeout/public.js';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import { DEFAULT_LINK_DAYS, DEFAULT_MAX_LINK_DAYS } from './domain/portal-link.js';
import { withinPortalAttempts } from './portal-attempts.js';
import {
  CreatedPortalLinkSchema,
  DifferenceSchema,
  PortalActivitySchema,
  PortalLinkSchema,
  PortalPageSchema,
  PortalPurposeSchema,
  PortalReceiptSchema,
} from './portal-schema.js';
import { portalPath } from './send-portal-link-job.js';
import { answerSurvey } from './use-cases/answer-survey.js';
import { confirmUnderstanding } from './use-cases/confirm-understanding.js';
import { createPortalLink } from './use-cases/create-portal-link.js';
import { getPortalActivity } from './use-cases/get-portal-activity.js';
import { getPortalPage } from './use-cases/get-portal-page.js';
import { listPortalLinks } from './use-cases/list-portal-links.js';
import { openPackageFile } from './use-cases/open-package-file.js';
import { revokePortalLink } from './use-cases/revoke-portal-link.js';
import { signOffCloseout } from './use-cases/sign-off-closeout.js';

/** How the portal's routes are configured (`BATON_PORTAL_LINK_MAX_DAYS`, read at the composition root). */
export interface PortalOptions {
  maxLinkDays: number;
}

const TokenParams = Type.Object({
  token: Type.String({ maxLength: 64, description: 'The magic link token' }),
});

/** The one status a link that opens nothing gets, whatever the reason. */
const INVALID_LINK = {
  description: 'The link opens nothing: expired, revoked, used, or unknown alike',
  content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
};

/**
 * Routes of the client portal: the team's (send, list and revoke magic links; read what came
 * back) and the client's, public and scoped by the link alone (`/portal/{token}`, counted by the
 * attempt limiter).
 */
export function portalRoutes(options: PortalOptions = { maxLinkDays: DEFAULT_MAX_LINK_DAYS }) {
  return (app: Api, deps: Deps): void => {
    const tags = ['portal'];
    const client = (request: { ip: string }) => request.ip || 'unknown';

    app.post(
      '/engagements/:id/portal-links',
      {
        config: { scope: 'records' },
        schema: {
          operationId: 'createPortalLink',
          summary: 'Send a contact a client portal link',
          description: `Makes a magic link for one contact of the engagement's account and one purpose, and mails it through the outbox. It expires after \`expires_in_days\` (default ${DEFAULT_LINK_DAYS}, at most ${options.maxLinkDays}); sign-off and survey links work once. The link's URL is in this answer only: the server keeps its SHA-256.`,
          tags,
          params: IdParams,
          body: Type.Object(
            {
              contact_id: Type.String({ minLength: 1, maxLength: 64 }),
              purpose: PortalPurposeSchema,
              expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: options.maxLinkDays })),
            },
            { additionalProperties: false },
          ),
          response: { 201: CreatedPortalLinkSchema, ...errorResponses(400, 403, 404) },
        },
      },
      async (request, reply) => {
        const { link, token } = await createPortalLink(
          deps,
          principalOf(request),
          request.params.id,
          request.body,
          options.maxLinkDays,
        );
        const base = app.publicUrl ?? `${request.protocol}://${request.host}`;
        return reply.status(201).send({ link, url: `${base}${portalPath(token)}` });
      },
    );

    app.get(
      '/engagements/:id/portal-links',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'listPortalLinks',
          summary: "An engagement's client portal links",
          description:
            'Every magic link sent on the engagement, newest first, with its state. Never a token.',
          tags,
          params: IdParams,
          response: { 200: Page(PortalLinkSchema), ...errorResponses(403, 404) },
        },
      },
      async (request) => listPortalLinks(deps, principalOf(request), request.params.id),
    );

    app.delete(
      '/portal-links/:id',
      {
        config: { scope: 'records' },
        schema: {
          operationId: 'revokePortalLink',
          summary: 'Revoke a client portal link',
          description: 'From now on the link opens nothing. A link already revoked, used or expired: 409.',
          tags,
          params: IdParams,
          response: { 200: PortalLinkSchema, ...errorResponses(403, 404, 409) },
        },
      },
      async (request) => revokePortalLink(deps, principalOf(request), request.params.id),
    );

    app.get(
      '/engagements/:id/portal',
      {
        config: { scope: 'read' },
        schema: {
          operationId: 'getPortalActivity',
          summary: 'What came back through the client portal',
          description:
            'Confirmations (each difference and the question it became, or none when no handoff could take it), sign-offs with the hash of what was signed, and survey answers.',
          tags,
          params: IdParams,
          response: { 200: PortalActivitySchema, ...errorResponses(403, 404) },
        },
      },
      async (request) => getPortalActivity(deps, principalOf(request), request.params.id),
    );

    const clientResponses = (ok: 200, schema: unknown, ...more: (409 | 422)[]) => {
      const { 401: _, ...rest } = errorResponses(400, 429, ...more) as Record<number, unknown>;
      return { [ok]: schema, 404: INVALID_LINK, ...rest };
    };

    app.get(
      '/portal/:token',
      {
        config: { public: true },
        schema: {
          operationId: 'getPortalPage',
          summary: "The client's page behind a magic link",
          description:
            "No account: the link is the credential. The organisation's name and colour, the engagement, its owner, and what the link's purpose asks (the understanding to confirm, the closeout package to sign off, the survey). A link that opens nothing answers 404, the same for every reason; such requests are counted per client address and refused with 429 beyond the limit.",
          tags,
          security: [],
          params: TokenParams,
          response: clientResponses(200, PortalPageSchema),
        },
      },
      async (request) =>
        withinPortalAttempts(deps, client(request), () => getPortalPage(deps, request.params.token)),
    );

    const { 200: _ok, ...clientRefusals } = clientResponses(200, {}) as Record<number, unknown>;
    app.get(
      '/portal/:token/files/:fileId/versions/:version',
      {
        config: { public: true },
        schema: {
          operationId: 'downloadPortalFile',
          summary: 'Download a file the closeout package shows',
          description:
            "Behind a sign-off link: the latest version of one of the engagement's files, as the package lists it, streamed. `disposition=inline` shows an image or a PDF in the page. Any other file or version, like a link that opens nothing, answers 404.",
          tags,
          security: [],
          params: Type.Object({
            token: TokenParams.properties.token,
            fileId: Type.String({ maxLength: 64, description: 'File id' }),
            version: FileVersionParam,
          }),
          querystring: DownloadQuery,
          response: {
            200: FILE_CONTENT,
            ...clientRefusals,
          },
        },
      },
      async (request, reply) => {
        const { token, fileId, version } = request.params;
        const opened = await withinPortalAttempts(deps, client(request), () =>
          openPackageFile(deps, token, fileId, version),
        );
        return sendFileVersion(reply, opened, request.query.disposition);
      },
    );

    app.post(
      '/portal/:token/confirm',
      {
        config: { public: true },
        schema: {
          operationId: 'confirmPortalUnderstanding',
          summary: 'Confirm the goal, metric and scope, or say what differs',
          description:
            "An empty `differences` confirms what the page showed (`shown_sha256`, its hash); each difference becomes a question to the team on the engagement's handoff. 409 when the page changed since it was opened.",
          tags,
          security: [],
          params: TokenParams,
          body: Type.Object(
            {
              differences: Type.Array(DifferenceSchema, { maxItems: 20 }),
              shown_sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
            },
            { additionalProperties: false },
          ),
          response: clientResponses(200, PortalReceiptSchema, 409),
        },
      },
      async (request) =>
        withinPortalAttempts(deps, client(request), () =>
          confirmUnderstanding(deps, request.params.token, request.body),
        ),
    );

    app.post(
      '/portal/:token/signoff',
      {
        config: { public: true },
        schema: {
          operationId: 'signOffCloseout',
          summary: 'Sign off the closeout package',
          description:
            'Records the name, the time and the SHA-256 of exactly what the page showed (`package_sha256`), immutably. 409 when the package changed since the page was opened. The link works once.',
          tags,
          security: [],
          params: TokenParams,
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              package_sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
            },
            { additionalProperties: false },
          ),
          response: clientResponses(200, PortalReceiptSchema, 409),
        },
      },
      async (request) =>
        withinPortalAttempts(deps, client(request), () =>
          signOffCloseout(deps, request.params.token, request.body),
        ),
    );

    app.post(
      '/portal/:token/survey',
      {
        config: { public: true },
        schema: {
          operationId: 'answerPortalSurvey',
          summary: 'Answer the closeout survey',
          description: 'CSAT (1–5), NPS (0–10) and an optional comment, once.',
          tags,
          security: [],
          params: TokenParams,
          body: Type.Object(
            {
              csat: Type.Integer({ minimum: 1, maximum: 5 }),
              nps: Type.Integer({ minimum: 0, maximum: 10 }),
              comment: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: clientResponses(200, PortalReceiptSchema),
        },
      },
      async (request) =>
        withinPortalAttempts(deps, client(request), () =>
          answerSurvey(deps, request.params.token, request.body),
        ),
    );
  };
}
