import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import {
  checkEndpointInput,
  normaliseEventTypes,
  type WebhookEndpointInput,
} from '../domain/webhook-endpoint-input.js';
import { endpointView } from '../webhook-records.js';
import type { WebhookSecret } from '../webhook-schema.js';
import { addWebhookSecret } from './rotate-webhook-secret.js';
import { hostOf, requireReachable } from './webhook-destination.js';

/**
 * Adds an outbound webhook endpoint to the organisation, enabled, with a new signing secret
 * sealed by the vault: the answer shows the secret this once.
 */
export async function createWebhookEndpoint(
  deps: Deps,
  principal: Principal,
  input: WebhookEndpointInput,
): Promise<WebhookSecret> {
  requireCapability(principal, 'manage_identity', 'add webhook endpoints');
  const errors = checkEndpointInput(input, 'create');
  if (errors.length) throw new AppError('validation_failed', 'The webhook endpoint is not valid.', errors);
  const url = input.url!.trim();
  await requireReachable(deps, url);
  const now = deps.clock.now();
  const at = now.toISOString();
  const eventTypes = normaliseEventTypes(input.event_types ?? ['*']);
  return inTransaction(deps, async (trx) => {
    const row = {
      id: newId(now.getTime()),
      org_id: principal.orgId,
      url,
      event_types: JSON.stringify(eventTypes),
      description: input.description?.trim() ?? '',
      disabled_at: null,
      disabled_reason: null,
      created_by: principal.userId,
      created_at: at,
      updated_at: at,
    };
    await trx.insertInto('webhook_endpoints').values(row).execute();
    const secret = await addWebhookSecret(trx, deps.vaultKeys, row, now);
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'webhook_endpoint.created',
      entityType: 'webhook_endpoint',
      entityId: row.id,
      after: { host: hostOf(url), event_types: eventTypes, description: row.description },
    });
    return { endpoint: await endpointView(trx, row, now), secret };
  });
}
