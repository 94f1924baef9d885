import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { openSecret } from '../../vault/data-keys.js';
import { VaultIntegrityError } from '../../vault/envelope.js';
import { checkRevealReason } from '../domain/vault-entry.js';
import { bindingOf, describedEntry, loadVaultEntry, sealedOf } from '../vault-records.js';
import type { RevealedSecret } from '../vault-schema.js';

/**
 * Shows one secret to a caller whose role may reveal secrets, for the reason they state. The
 * `vault.revealed` audit entry (who, which entry, why; never the value) is written in the same
 * transaction: the value is answered only once that transaction has committed, so if the audit
 * write fails nothing is revealed.
 */
export async function revealVaultSecret(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  id: string,
  input: { reason?: unknown },
): Promise<RevealedSecret> {
  requireCapability(principal, 'reveal_secrets', 'reveal vault secrets');
  const now = deps.clock.now();
  const revealed = await inTransaction(deps, async (trx) => {
    await loadEngagement(trx, principal.orgId, engagementId);
    const row = await loadVaultEntry(trx, principal.orgId, engagementId, id);
    const errors = checkRevealReason(input.reason);
    if (errors.length) throw new AppError('validation_failed', 'A reveal needs a reason.', errors);
    let secret: string;
    try {
      secret = await openSecret(trx, deps.vaultKeys, bindingOf(row), sealedOf(row));
    } catch (error) {
      // The stored ciphertext does not open: say so without anything of it.
      if (error instanceof VaultIntegrityError)
        throw new AppError(
          'conflict',
          `The secret of vault entry ${row.id} does not decrypt: ${error.message}`,
        );
      throw error;
    }
    await publish(trx, {
      type: 'vault.revealed',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      entry: describedEntry(row),
      reason: (input.reason as string).trim(),
    });
    return { id: row.id, system: row.system, username: row.username, secret, revealed_at: now.toISOString() };
  });
  return revealed;
}
