import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { sealSecret } from '../../vault/data-keys.js';
import type { Keyring } from '../../vault/keyring.js';
import { newWebhookSecret } from '../domain/webhook-signature.js';
import { endpointView, loadEndpoint, secretBinding } from '../webhook-records.js';
import type { WebhookSecret } from '../webhook-schema.js';

/** How long a rotated secret still signs: receivers have a day to take the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** Makes a new secret for the endpoint, sealed by the vault; answers it (the only time it is shown). */
export async function addWebhookSecret(
  trx: Tx,
  keyring: Keyring | undefined,
  endpoint: { id: string; org_id: string },
  now: Date,
): Promise<string> {
  const secret = newWebhookSecret();
  const id = newId(now.getTime());
  const sealed = await sealSecret(trx, keyring, secretBinding({ org_id: endpoint.org_id, id }), secret, now);
  await trx
    .insertInto('webhook_secrets')
    .values({
      id,
      org_id: endpoint.org_id,
      endpoint_id: endpoint.id,
      secret_ciphertext: sealed.ciphertext,
      secret_iv: sealed.iv,
      secret_tag: sealed.tag,
      data_key_id: sealed.dataKeyId,
      created_at: now.toISOString(),
      expires_at: null,
    })
    .execute();
  return secret;
}

/**
 * Rotates the endpoint's signing secret: a new one is made (and answered, once), the current one
 * keeps signing beside it for a day, so deliveries carry both signatures while the receiver
 * changes over.
 */
export async function rotateWebhookSecret(
  deps: Deps,
  principal: Principal,
  endpointId: string,
): Promise<WebhookSecret> {
  requireCapability(principal, 'manage_identity', 'rotate webhook secrets');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const endpoint = await loadEndpoint(trx, principal.orgId, endpointId);
    const expiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
    await trx
      .updateTable('webhook_secrets')
      .set({ expires_at: expiresAt })
      .where('endpoint_id', '=', endpoint.id)
      .where('expires_at', 'is', null)
      .execute();
    const secret = await addWebhookSecret(trx, deps.vaultKeys, endpoint, now);
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'webhook_endpoint.secret_rotated',
      entityType: 'webhook_endpoint',
      entityId: endpoint.id,
      after: { previous_expires_at: expiresAt },
    });
    return { endpoint: await endpointView(trx, endpoint, now), secret };
  });
}
