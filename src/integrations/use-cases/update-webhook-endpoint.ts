import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import {
  checkEndpointInput,
  normaliseEventTypes,
  type WebhookEndpointInput,
} from '../domain/webhook-endpoint-input.js';
import { endpointView, loadEndpoint } from '../webhook-records.js';
import type { WebhookEndpoint } from '../webhook-schema.js';
import { hostOf, requireReachable } from './webhook-destination.js';

/**
 * Changes an endpoint: its URL (checked as on creation), event types, description, or whether it
 * is enabled. Disabling keeps the reason given (or says who disabled it); enabling clears it, and
 * deliveries it missed meanwhile can be replayed.
 */
export async function updateWebhookEndpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: WebhookEndpointInput,
): Promise<WebhookEndpoint> {
  requireCapability(principal, 'manage_identity', 'change webhook endpoints');
  const errors = checkEndpointInput(input, 'update');
  if (errors.length) throw new AppError('validation_failed', 'The webhook endpoint is not valid.', errors);
  const url = input.url?.trim();
  if (url !== undefined) await requireReachable(deps, url);
  const now = deps.clock.now();
  const at = now.toISOString();
  return inTransaction(deps, async (trx) => {
    const before = await loadEndpoint(trx, principal.orgId, id);
    const eventTypes = input.event_types ? normaliseEventTypes(input.event_types) : null;
    const enabled = input.enabled ?? before.disabled_at === null;
    const wasEnabled = before.disabled_at === null;
    const disabled =
      enabled === wasEnabled
        ? { disabled_at: before.disabled_at, disabled_reason: before.disabled_reason }
        : enabled
          ? { disabled_at: null, disabled_reason: null }
          : {
              disabled_at: at,
              disabled_reason: input.disabled_reason?.trim() || `Disabled by ${principal.email}`,
            };
    const after = {
      ...before,
      url: url ?? before.url,
      event_types: eventTypes ? JSON.stringify(eventTypes) : before.event_types,
      description: input.description !== undefined ? input.description.trim() : before.description,
      ...disabled,
      updated_at: at,
    };
    await trx
      .updateTable('webhook_endpoints')
      .set({
        url: after.url,
        event_types: after.event_types,
        description: after.description,
        disabled_at: after.disabled_at,
        disabled_reason: after.disabled_reason,
        updated_at: at,
      })
      .where('id', '=', before.id)
      .execute();
    const audited = (r: typeof before) => ({
      host: hostOf(r.url),
      event_types: JSON.parse(r.event_types) as string[],
      description: r.description,
      enabled: r.disabled_at === null,
    });
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'webhook_endpoint.updated',
      entityType: 'webhook_endpoint',
      entityId: before.id,
      before: audited(before),
      after: audited(after),
    });
    return endpointView(trx, after, now);
  });
}
