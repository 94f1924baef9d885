import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import type { Api } from '../kernel/http/build-app.js';
import { principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Page } from '../kernel/http/schemas.js';
import { OUTBOUND_MESSAGE_ACK } from './domain/salesforce-soap.js';
import {
  CreateIntegrationSourceBody,
  CrmAnswerSchema,
  EngagementMilestoneSchema,
  InboundEventSchema,
  IntegrationSourceSchema,
  IntegrationSourceWithSecretSchema,
  RotateSecretBody,
  StatusAnswerSchema,
  UpdateIntegrationSourceBody,
} from './integration-source-schema.js';
import { createIntegrationSource } from './use-cases/create-integration-source.js';
import { listEngagementMilestones } from './use-cases/list-engagement-milestones.js';
import { listDraftInboundNotes, listInboundEvents } from './use-cases/list-inbound-events.js';
import { getIntegrationSource, listIntegrationSources } from './use-cases/list-integration-sources.js';
import { type InboundRequest, receiveCrmDeals } from './use-cases/receive-crm-deals.js';
import { receiveStatusUpdate } from './use-cases/receive-status-update.js';
import { rotateSourceSecret } from './use-cases/rotate-source-secret.js';
import { updateIntegrationSource } from './use-cases/update-integration-source.js';

/** The largest inbound body read: 100 Salesforce notifications fit with room to spare. */
export const INBOUND_BODY_LIMIT = 512 * 1024;

/** The raw body of each inbound request, by request. */
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

const SourceParams = Type.Object({ source: Type.String({ maxLength: 64, description: 'The source id' }) });

/** The sender's request as the use cases take it: raw bytes, headers, the URL it called. */
function inboundOf(request: FastifyRequest, publicUrl: string | null): InboundRequest {
  const base = publicUrl ? publicUrl.replace(/\/$/, '') : `${request.protocol}://${request.host}`;
  return {
    sourceId: (request.params as { source: string }).source,
    method: request.method,
    url: `${base}${request.url}`,
    headers: request.headers,
    body: rawBodies.get(request) ?? Buffer.alloc(0),
  };
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem' } } },
});

const INBOUND_REFUSALS = {
  400: problem('The body is not a payload this source sends; `errors` names what'),
  401: problem('The signature, timestamp or credentials do not verify (recorded as refused, with why)'),
  403: problem('The Salesforce message is from another organisation'),
  404: problem('No such source, or it is disabled'),
  409: problem('The source cannot open handoffs (its playbook has no inbound mapping, or its admin is gone)'),
  413: problem('The body is larger than 512 KiB'),
};

/** Integration sources (admin) and the inbound endpoints they call (docs/integrations-inbound.md). */
export function inboundRoutes(app: Api, deps: Deps): void {
  const tags = ['integrations'];

  app.get(
    '/integration-sources',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listIntegrationSources',
        summary: 'Inbound integration sources',
        description:
          'The systems that may call the inbound endpoints, each with its config and masked secret (admins).',
        tags,
        response: { 200: Page(IntegrationSourceSchema), ...errorResponses(403) },
      },
    },
    async (request) => listIntegrationSources(deps, principalOf(request)),
  );

  app.post(
    '/integration-sources',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createIntegrationSource',
        summary: 'Add an inbound integration source',
        description:
          "Kinds and their config: hubspot {playbook, request_url?, won_stages?} with the app's client secret given; salesforce {playbook, organization_id}, no secret; pipedrive {playbook, username?}, secret generated (the Basic password); clickup {milestones} with the webhook's secret given; procore {milestones}, secret generated (the Authorization header). The secret is answered this once.",
        tags,
        body: CreateIntegrationSourceBody,
        response: { 201: IntegrationSourceWithSecretSchema, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createIntegrationSource(deps, principalOf(request), request.body)),
  );

  app.get(
    '/integration-sources/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getIntegrationSource',
        summary: 'One inbound integration source',
        tags,
        params: IdParams,
        response: { 200: IntegrationSourceSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getIntegrationSource(deps, principalOf(request), request.params.id),
  );

  app.patch(
    '/integration-sources/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateIntegrationSource',
        summary: 'Rename, reconfigure, enable or disable a source',
        tags,
        params: IdParams,
        body: UpdateIntegrationSourceBody,
        response: { 200: IntegrationSourceSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateIntegrationSource(deps, principalOf(request), request.params.id, request.body),
  );

  app.post(
    '/integration-sources/:id/secret',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'rotateIntegrationSourceSecret',
        summary: "Replace a source's secret",
        description:
          'A generated secret is made anew; a given one is replaced by the one sent. Answered this once.',
        tags,
        params: IdParams,
        body: RotateSecretBody,
        response: { 200: IntegrationSourceWithSecretSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => rotateSourceSecret(deps, principalOf(request), request.params.id, request.body),
  );

  app.get(
    '/integration-sources/:id/events',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listInboundEvents',
        summary: 'The latest events a source sent',
        description: 'Newest first, the 50 latest: what each created or recorded, and why any was refused.',
        tags,
        params: IdParams,
        response: { 200: Page(InboundEventSchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => listInboundEvents(deps, principalOf(request), request.params.id),
  );

  app.get(
    '/handoffs/:id/inbound-notes',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listHandoffInboundNotes',
        summary: 'What the CRM deal that opened a draft could not fill',
        description:
          'The inbound event that opened this handoff, with every value left out as invalid and every value of the deal no mapping takes.',
        tags,
        params: IdParams,
        response: { 200: Page(InboundEventSchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => listDraftInboundNotes(deps, principalOf(request), request.params.id),
  );

  app.get(
    '/engagements/:id/inbound-milestones',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listEngagementInboundMilestones',
        summary: 'Milestones project and ticketing tools reported',
        tags,
        params: IdParams,
        response: { 200: Page(EngagementMilestoneSchema), ...errorResponses(403, 404) },
      },
    },
    async (request) => listEngagementMilestones(deps, principalOf(request), request.params.id),
  );

  // The senders' endpoints read the body as bytes (signatures are over them), bounded.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // The bytes are kept beside the request, not as its body: the server's checks of a parsed body
    // (well-formed text, validation) would otherwise walk every byte of the buffer.
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: INBOUND_BODY_LIMIT },
      (request, body, done) => {
        rawBodies.set(request, body as Buffer);
        done(null, undefined);
      },
    );
    const api = scope as unknown as Api;
    const body = {
      content: {
        'application/json': { schema: { description: 'The payload exactly as the vendor sends it' } },
        'text/xml': { schema: { description: 'A Salesforce Outbound Message (SOAP 1.1)' } },
      },
    };

    api.post(
      '/inbound/crm/:source',
      {
        config: { public: true },
        schema: {
          operationId: 'receiveCrmDeals',
          summary: 'A CRM says deals are won',
          description:
            "HubSpot v3-signed batches, Salesforce Outbound Messages, Pipedrive v2 won deals, as sent (docs/integrations-inbound.md). Each won deal, once per event id, becomes an account, contact, engagement and a draft handoff through the playbook's inbound mapping. Salesforce is answered with its SOAP Ack; the others with what each deal became.",
          tags,
          security: [],
          params: SourceParams,
          body,
          response: {
            200: {
              description: 'What each deal became (Salesforce: the SOAP Ack)',
              content: {
                'application/json': { schema: CrmAnswerSchema },
                'text/xml': { schema: { type: 'string' } },
              },
            },
            ...INBOUND_REFUSALS,
          },
        },
      },
      async (request, reply) => {
        const answer = await receiveCrmDeals(deps, inboundOf(request, app.publicUrl));
        if (answer.kind === 'salesforce')
          return reply.type('text/xml; charset=utf-8').send(OUTBOUND_MESSAGE_ACK);
        return reply.type('application/json').send(answer);
      },
    );

    api.post(
      '/inbound/status/:source',
      {
        config: { public: true },
        schema: {
          operationId: 'receiveStatusUpdate',
          summary: 'A project or ticketing tool says a status changed',
          description:
            "ClickUp (X-Signature) and Procore (Authorization) webhooks, as sent: each status change, once per event id, records the engagement milestone the source's config maps it to.",
          tags,
          security: [],
          params: SourceParams,
          body: { content: { 'application/json': body.content['application/json'] } },
          response: { 200: StatusAnswerSchema, ...INBOUND_REFUSALS },
        },
      },
      async (request) => receiveStatusUpdate(deps, inboundOf(request, app.publicUrl)),
    );
  });
}
