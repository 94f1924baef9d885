/**
 * What the composition root and other features may use of integrations, their public face. Each
 * part (outbound webhooks, inbound sources, inquiry routing) appends its own lines.
 */
// Outbound webhooks
export { PUBLIC_EVENT_TYPES } from './domain/webhook-events.js';
export { deliverWebhooks } from './webhook-deliveries.js';
export { type WebhookDelivering, webhookDeliveryJob } from './webhook-delivery-job.js';
export { openApiWebhooks } from './webhook-openapi.js';
export { webhookRoutes } from './webhook-routes.js';
