import type { Db } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import type { SecretBinding } from '../vault/envelope.js';
import type { WebhookPayload } from './domain/webhook-payload.js';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook-schema.js';

/** The tables of migration 0025-webhooks. */
export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  /** JSON list of event types, or `["*"]`. */
  event_types: string;
  description: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookSecretsTable {
  id: string;
  org_id: string;
  endpoint_id: string;
  secret_ciphertext: string;
  secret_iv: string;
  secret_tag: string;
  data_key_id: string;
  created_at: string;
  expires_at: string | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  payload: string;
  state: string;
  attempts: number;
  run_attempts: number;
  run_started_at: string;
  sends: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptsTable {
  id: string;
  org_id: string;
  delivery_id: string;
  attempted_at: string;
  status: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

declare module '../kernel/db/schema.js' {
  interface Database {
    webhook_endpoints: WebhookEndpointsTable;
    webhook_secrets: WebhookSecretsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_attempts: WebhookAttemptsTable;
  }
}

/** What a secret is sealed for: its own row and field, so a ciphertext moved elsewhere does not open. */
export function secretBinding(row: Pick<WebhookSecretsTable, 'org_id' | 'id'>): SecretBinding {
  return { orgId: row.org_id, table: 'webhook_secrets', rowId: row.id, field: 'secret' };
}

/** An endpoint of the organisation, or `not_found`. */
export async function loadEndpoint(db: Db, orgId: string, id: string): Promise<WebhookEndpointsTable> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No webhook endpoint ${id}.`);
  return row;
}

/** The secrets that sign now: the current one and rotated ones not yet expired, newest first. */
export async function signingSecrets(db: Db, endpointId: string, now: Date): Promise<WebhookSecretsTable[]> {
  const rows = await db
    .selectFrom('webhook_secrets')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.filter((r) => r.expires_at === null || r.expires_at > now.toISOString());
}

/** A URL as answers show it: a password in it masked. */
export function maskedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** An endpoint as every answer shows it, with when its secrets were made (never the secrets). */
export function toEndpointView(
  row: WebhookEndpointsTable,
  secrets: readonly WebhookSecretsTable[],
): WebhookEndpoint {
  const current = secrets.find((s) => s.expires_at === null);
  const previous = secrets
    .filter((s) => s.expires_at !== null)
    .map((s) => s.expires_at!)
    .sort()
    .at(-1);
  return {
    id: row.id,
    url: maskedUrl(row.url),
    event_types: JSON.parse(row.event_types) as string[],
    description: row.description,
    enabled: row.disabled_at === null,
    disabled_at: row.disabled_at,
    disabled_reason: row.disabled_reason,
    secret_created_at: current?.created_at ?? null,
    previous_secret_expires_at: previous ?? null,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The endpoint's view, its secrets read for their dates (valid ones only). */
export async function endpointView(db: Db, row: WebhookEndpointsTable, now: Date): Promise<WebhookEndpoint> {
  return toEndpointView(row, await signingSecrets(db, row.id, now));
}

export function toAttemptView(row: WebhookAttemptsTable): WebhookAttempt {
  return {
    id: row.id,
    attempted_at: row.attempted_at,
    status: row.status === null ? null : Number(row.status),
    duration_ms: Number(row.duration_ms),
    response_excerpt: row.response_excerpt,
    error: row.error,
  };
}

export function toDeliveryView(
  row: WebhookDeliveriesTable,
  attempts: readonly WebhookAttemptsTable[],
): WebhookDelivery {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    message_id: row.message_id,
    event_type: row.event_type,
    payload: JSON.parse(row.payload) as WebhookPayload,
    state: row.state as WebhookDelivery['state'],
    attempts: Number(row.attempts),
    next_attempt_at: row.next_attempt_at,
    last_status: row.last_status === null ? null : Number(row.last_status),
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
    attempt_log: attempts.map(toAttemptView),
  };
}

/** One delivery of the endpoint with its attempts, or `not_found`. */
export async function loadDelivery(
  db: Db,
  orgId: string,
  endpointId: string,
  deliveryId: string,
): Promise<WebhookDeliveriesTable> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `No delivery ${deliveryId} of this webhook endpoint.`);
  return row;
}

export async function attemptsOf(
  db: Db,
  deliveryIds: readonly string[],
): Promise<Map<string, WebhookAttemptsTable[]>> {
  const byDelivery = new Map<string, WebhookAttemptsTable[]>();
  if (deliveryIds.length === 0) return byDelivery;
  const rows = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', [...deliveryIds])
    .orderBy('attempted_at')
    .orderBy('id')
    .execute();
  for (const r of rows) byDelivery.set(r.delivery_id, [...(byDelivery.get(r.delivery_id) ?? []), r]);
  return byDelivery;
}
