import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';
import { WebhookPayloadSchema } from './domain/webhook-payload.js';

export const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;

/** An outbound webhook endpoint as every answer shows it: never its secret. */
export const WebhookEndpointSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String({ description: 'Where events are POSTed (a password in it is masked)' }),
    event_types: Type.Array(Type.String(), {
      description: 'The event types it receives; `["*"]` for every public type',
    }),
    description: Type.String(),
    enabled: Type.Boolean(),
    disabled_at: Nullable(Type.String({ format: 'date-time' })),
    disabled_reason: Nullable(Type.String()),
    secret_created_at: Nullable(Type.String({ format: 'date-time' })),
    previous_secret_expires_at: Nullable(
      Type.String({ format: 'date-time', description: 'Until then the rotated secret also signs' }),
    ),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'WebhookEndpoint' },
);
export type WebhookEndpoint = Static<typeof WebhookEndpointSchema>;

/** The answer that shows a signing secret: the only one that ever does. */
export const WebhookSecretSchema = Type.Object(
  {
    endpoint: WebhookEndpointSchema,
    secret: Type.String({
      description: '`whsec_` + base64 of 32 random bytes: shown this once, keep it in the receiver',
    }),
  },
  { $id: 'WebhookSecret' },
);
export type WebhookSecret = Static<typeof WebhookSecretSchema>;

export const WebhookAttemptSchema = Type.Object(
  {
    id: Type.String(),
    attempted_at: Type.String({ format: 'date-time' }),
    status: Nullable(Type.Integer({ description: 'The HTTP status answered; null when none was' })),
    duration_ms: Type.Integer(),
    response_excerpt: Nullable(Type.String({ description: 'The first 2 KB of the answer' })),
    error: Nullable(Type.String()),
  },
  { $id: 'WebhookAttempt' },
);
export type WebhookAttempt = Static<typeof WebhookAttemptSchema>;

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String(),
    endpoint_id: Type.String(),
    message_id: Type.String({ description: 'The `webhook-id` header: the same on every retry and replay' }),
    event_type: Type.String(),
    payload: WebhookPayloadSchema,
    state: StringEnum(DELIVERY_STATES),
    attempts: Type.Integer(),
    next_attempt_at: Nullable(Type.String({ format: 'date-time' })),
    last_status: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    attempt_log: Type.Array(WebhookAttemptSchema, { description: 'Every attempt, oldest first' }),
  },
  { $id: 'WebhookDelivery' },
);
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>;

export const WebhookEventTypesSchema = Type.Object(
  { items: Type.Array(Type.String()) },
  { $id: 'WebhookEventTypes' },
);
