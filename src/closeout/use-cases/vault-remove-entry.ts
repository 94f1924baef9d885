import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { describedEntry, loadVaultEntry } from '../vault-records.js';

/** Removes an entry and its sealed secret; publishes `vault.entry_removed`. */
export async function removeVaultEntry(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  id: string,
): Promise<void> {
  requireCapability(principal, 'write_records', 'remove vault entries');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    await loadEngagement(trx, principal.orgId, engagementId);
    const row = await loadVaultEntry(trx, principal.orgId, engagementId, id);
    await trx
      .deleteFrom('vault_entries')
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .execute();
    await publish(trx, {
      type: 'vault.entry_removed',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      entry: describedEntry(row),
    });
  });
}
