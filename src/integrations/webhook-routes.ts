import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Nullable, Page } from '../kernel/http/schemas.js';
import { WEBHOOK_LIMITS } from './domain/webhook-endpoint-input.js';
import { PUBLIC_EVENT_TYPES } from './domain/webhook-events.js';
import { createWebhookEndpoint } from './use-cases/create-webhook-endpoint.js';
import { deleteWebhookEndpoint } from './use-cases/delete-webhook-endpoint.js';
import { getWebhookEndpoint } from './use-cases/get-webhook-endpoint.js';
import { listWebhookDeliveries } from './use-cases/list-webhook-deliveries.js';
import { listWebhookEndpoints } from './use-cases/list-webhook-endpoints.js';
import { replayWebhookDelivery } from './use-cases/replay-webhook-delivery.js';
import { rotateWebhookSecret } from './use-cases/rotate-webhook-secret.js';
import { sendWebhookPing } from './use-cases/send-webhook-ping.js';
import { updateWebhookEndpoint } from './use-cases/update-webhook-endpoint.js';
import {
  WebhookDeliverySchema,
  WebhookEndpointSchema,
  WebhookEventTypesSchema,
  WebhookSecretSchema,
} from './webhook-schema.js';

const Url = Type.String({ minLength: 1, maxLength: WEBHOOK_LIMITS.url, description: 'An http or https URL' });
const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: WEBHOOK_LIMITS.eventTypes,
  description: 'Public event types (GET /webhook-event-types), or `["*"]` for all of them',
});
const Description = Type.String({ maxLength: WEBHOOK_LIMITS.description });
const DeliveryParams = Type.Object({
  id: Type.String({ description: 'Webhook endpoint id' }),
  deliveryId: Type.String({ description: 'Delivery id' }),
});

/**
 * Outbound webhooks (docs/design-integrations.md): the organisation's endpoints, their secrets
 * (shown once, on creation and rotation), the delivery log with every attempt, replay and a test
 * ping. Admins manage them; any role may read them.
 */
export function webhookRoutes(app: Api, deps: Deps): void {
  const tags = ['webhooks'];

  app.get(
    '/webhook-event-types',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listWebhookEventTypes',
        summary: 'The event types webhooks can receive',
        description: 'Every public event type, for an endpoint to choose from (`ping` is sent by the test).',
        tags,
        response: { 200: WebhookEventTypesSchema, ...errorResponses() },
      },
    },
    async () => ({ items: [...PUBLIC_EVENT_TYPES] }),
  );

  app.get(
    '/webhook-endpoints',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listWebhookEndpoints',
        summary: "The organisation's webhook endpoints",
        description: 'Every endpoint, oldest first. Never a secret.',
        tags,
        response: { 200: Page(WebhookEndpointSchema), ...errorResponses(403) },
      },
    },
    async (request) => listWebhookEndpoints(deps, principalOf(request)),
  );

  app.post(
    '/webhook-endpoints',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'createWebhookEndpoint',
        summary: 'Add a webhook endpoint',
        description:
          'Admins only. The URL is checked after name resolution: addresses inside the server’s network are refused unless the operator allows them (BATON_OUTBOUND_ALLOW). The answer shows the signing secret this once.',
        tags,
        body: Type.Object(
          { url: Url, event_types: Type.Optional(EventTypes), description: Type.Optional(Description) },
          { additionalProperties: false },
        ),
        response: { 201: WebhookSecretSchema, ...errorResponses(400, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhookEndpoint(deps, principalOf(request), request.body)),
  );

  app.get(
    '/webhook-endpoints/:id',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getWebhookEndpoint',
        summary: 'A webhook endpoint',
        tags,
        params: IdParams,
        response: { 200: WebhookEndpointSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getWebhookEndpoint(deps, principalOf(request), request.params.id),
  );

  app.patch(
    '/webhook-endpoints/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateWebhookEndpoint',
        summary: 'Change a webhook endpoint',
        description:
          'Admins only. Its URL, event types, description, or whether it is enabled (a reason may be given for disabling).',
        tags,
        params: IdParams,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            event_types: Type.Optional(EventTypes),
            description: Type.Optional(Description),
            enabled: Type.Optional(Type.Boolean()),
            disabled_reason: Type.Optional(Nullable(Type.String({ maxLength: WEBHOOK_LIMITS.reason }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: WebhookEndpointSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => updateWebhookEndpoint(deps, principalOf(request), request.params.id, request.body),
  );

  app.delete(
    '/webhook-endpoints/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'deleteWebhookEndpoint',
        summary: 'Remove a webhook endpoint',
        description: 'Admins only. Removes it with its secrets and delivery log.',
        tags,
        params: IdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await deleteWebhookEndpoint(deps, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhook-endpoints/:id/secrets',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'Rotate the signing secret',
        description:
          'Admins only. Makes a new secret, shown this once; the previous one keeps signing for 24 hours, so deliveries carry both signatures meanwhile.',
        tags,
        params: IdParams,
        response: { 201: WebhookSecretSchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await rotateWebhookSecret(deps, principalOf(request), request.params.id)),
  );

  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: "An endpoint's delivery log",
        description:
          'Its deliveries, newest first, each with every attempt (status, duration, answer excerpt, error).',
        tags,
        params: IdParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(WebhookDeliverySchema), ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      listWebhookDeliveries(deps, principalOf(request), request.params.id, {
        ...(request.query.limit !== undefined ? { limit: request.query.limit } : {}),
        ...(request.query.offset !== undefined ? { offset: request.query.offset } : {}),
      }),
  );

  app.post(
    '/webhook-endpoints/:id/deliveries/:deliveryId/replay',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'replayWebhookDelivery',
        summary: 'Replay a delivery',
        description:
          'Admins only. Sends it again now with the same `webhook-id` and body; the retry schedule starts over.',
        tags,
        params: DeliveryParams,
        response: { 202: WebhookDeliverySchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await replayWebhookDelivery(
            deps,
            principalOf(request),
            request.params.id,
            request.params.deliveryId,
          ),
        ),
  );

  app.post(
    '/webhook-endpoints/:id/test',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'sendWebhookPing',
        summary: 'Send a test ping',
        description: 'Admins only. Sends a signed `ping` message through the outbox, logged as any delivery.',
        tags,
        params: IdParams,
        response: { 202: WebhookDeliverySchema, ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await sendWebhookPing(deps, principalOf(request), request.params.id)),
  );
}
