import { changedValues, loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { sealSecret } from '../../vault/data-keys.js';
import { checkVaultEntry, trimmedOrNull, type VaultEntryInput } from '../domain/vault-entry.js';
import {
  bindingOf,
  describedEntry,
  loadVaultEntry,
  secretColumns,
  toVaultEntryView,
} from '../vault-records.js';
import type { VaultEntry } from '../vault-schema.js';

/**
 * Edits an entry: its system, username, URL, notes, or its secret (sealed again, with a new IV).
 * Publishes `vault.entry_saved` with the fields changed and whether the secret was replaced.
 */
export async function updateVaultEntry(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  id: string,
  input: VaultEntryInput,
): Promise<VaultEntry> {
  requireCapability(principal, 'write_records', 'change vault entries');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    await loadEngagement(trx, principal.orgId, engagementId);
    const row = await loadVaultEntry(trx, principal.orgId, engagementId, id);
    const errors = checkVaultEntry(input, 'update');
    if (errors.length) throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const fields = { system: row.system, username: row.username, url: row.url, notes: row.notes };
    const after = {
      system: input.system !== undefined ? input.system.trim() : row.system,
      username: input.username !== undefined ? trimmedOrNull(input.username) : row.username,
      url: input.url !== undefined ? trimmedOrNull(input.url) : row.url,
      notes: input.notes !== undefined ? trimmedOrNull(input.notes) : row.notes,
    };
    const diff = changedValues(fields, after);
    const secretChanged = input.secret !== undefined;
    if (!diff.changed && !secretChanged) return toVaultEntryView(row);
    const at = now.toISOString();
    const sealed = secretChanged
      ? secretColumns(await sealSecret(trx, deps.vaultKeys, bindingOf(row), input.secret!, now))
      : {};
    const updated = await trx
      .updateTable('vault_entries')
      .set({
        ...after,
        ...sealed,
        updated_by: principal.userId,
        updated_at: at,
        ...(secretChanged ? { secret_updated_at: at } : {}),
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, {
      type: 'vault.entry_saved',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      entry: describedEntry(updated),
      before: diff.before,
      after: diff.after,
      secretChanged,
    });
    return toVaultEntryView(updated);
  });
}
