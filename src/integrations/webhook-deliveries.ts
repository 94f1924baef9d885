import type { Tx } from '../kernel/context.js';
import type { DomainEvent } from '../kernel/event-types.js';
import { newId } from '../kernel/ids.js';
import { wantsEvent, webhookPayloadOf } from './domain/webhook-events.js';
import type { WebhookPayload } from './domain/webhook-payload.js';
import { enqueueSend } from './webhook-delivery-job.js';
import type { WebhookDeliveriesTable } from './webhook-records.js';

/**
 * Writes one delivery of a message to each endpoint given, and the job that sends it, in the
 * caller's transaction: the message leaves if and only if the change that made it commits.
 */
export async function writeDeliveries(
  trx: Tx,
  orgId: string,
  endpointIds: readonly string[],
  messageId: string,
  payload: WebhookPayload,
  now: Date,
): Promise<WebhookDeliveriesTable[]> {
  if (endpointIds.length === 0) return [];
  const at = now.toISOString();
  const body = JSON.stringify(payload);
  const rows: WebhookDeliveriesTable[] = endpointIds.map((endpointId) => ({
    id: newId(now.getTime()),
    org_id: orgId,
    endpoint_id: endpointId,
    message_id: messageId,
    event_type: payload.type,
    payload: body,
    state: 'pending',
    attempts: 0,
    run_attempts: 0,
    run_started_at: at,
    sends: 1,
    next_attempt_at: at,
    last_status: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  }));
  await trx.insertInto('webhook_deliveries').values(rows).execute();
  for (const row of rows) await enqueueSend(trx, row, now, now);
  return rows;
}

/** A new `webhook-id`: one per message, shared by its deliveries to every endpoint. */
export function newMessageId(now: Date): string {
  return `msg_${newId(now.getTime())}`;
}

/**
 * The composition root's subscriber to every public event type: the event's public payload goes
 * to each enabled endpoint of the organisation that wants its type.
 */
export async function deliverWebhooks(trx: Tx, event: DomainEvent): Promise<void> {
  const payload = webhookPayloadOf(event);
  if (!payload) return;
  const endpoints = await enabledEndpoints(trx, event.orgId);
  const wanting = endpoints.filter((e) => wantsEvent(e.eventTypes, payload.type));
  if (wanting.length === 0) return;
  await writeDeliveries(
    trx,
    event.orgId,
    wanting.map((e) => e.id),
    newMessageId(event.at),
    payload,
    event.at,
  );
}

/**
 * The organisation's enabled endpoints, read once per transaction: a request that publishes
 * several public events (a submission opens checkpoints) costs one statement, not one per event.
 * Endpoints are changed in transactions of their own, which publish no public event.
 */
const endpointsOf = new WeakMap<Tx, Map<string, Promise<{ id: string; eventTypes: string[] }[]>>>();

function enabledEndpoints(trx: Tx, orgId: string): Promise<{ id: string; eventTypes: string[] }[]> {
  let byOrg = endpointsOf.get(trx);
  if (!byOrg) {
    byOrg = new Map();
    endpointsOf.set(trx, byOrg);
  }
  let found = byOrg.get(orgId);
  if (!found) {
    found = trx
      .selectFrom('webhook_endpoints')
      .select(['id', 'event_types'])
      .where('org_id', '=', orgId)
      .where('disabled_at', 'is', null)
      .execute()
      .then((rows) => rows.map((r) => ({ id: r.id, eventTypes: JSON.parse(r.event_types) as string[] })));
    byOrg.set(orgId, found);
  }
  return found;
}
