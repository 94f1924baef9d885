import { PUBLIC_EVENT_TYPES } from './domain/webhook-events.js';
import { PING, WebhookPayloadSchema } from './domain/webhook-payload.js';

const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
});

/**
 * The OpenAPI 3.1 `webhooks` of the document: one entry per public event type (and the test
 * ping), each the signed POST a subscribed endpoint receives, so a receiver can be generated from
 * the same document as the API (docs/design-integrations.md, decision 0012-outbound-webhooks).
 */
export function openApiWebhooks(): Record<string, unknown> {
  return Object.fromEntries(
    [...PUBLIC_EVENT_TYPES, PING].map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replaceAll('.', '_')}`,
          tags: ['webhooks'],
          summary: type === PING ? 'A test message (Send test)' : `Event ${type}`,
          description:
            'Signed with the Standard Webhooks scheme: verify `webhook-signature` (space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per valid secret) before trusting the body. The same `webhook-id` comes again on every retry and replay.',
          security: [],
          parameters: [
            header('webhook-id', 'The message id: the same on every retry and replay (deduplicate on it)'),
            header('webhook-timestamp', 'Seconds since the epoch when this attempt was signed'),
            header('webhook-signature', 'One `v1,<base64>` signature per valid secret, space-separated'),
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  ...WebhookPayloadSchema,
                  properties: { ...WebhookPayloadSchema.properties, type: { type: 'string', const: type } },
                },
              },
            },
          },
          responses: {
            '200': { description: 'Received (any 2xx): the delivery is done' },
            '410': { description: 'Gone: Baton disables the endpoint and says why' },
            '429': { description: 'Busy: retried after `Retry-After` when given, else on the schedule' },
            default: { description: 'Anything else (or no answer) is retried for about a day' },
          },
        },
      },
    ]),
  );
}
