import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { toVaultEntryView } from '../vault-records.js';
import type { VaultEntry } from '../vault-schema.js';

/** The engagement's vault, by system: every secret masked. */
export async function listVaultEntries(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<{ items: VaultEntry[]; total: number }> {
  requireCapability(principal, 'read', 'list vault entries');
  const db = deps.store.db;
  await loadEngagement(db, principal.orgId, engagementId);
  const rows = await db
    .selectFrom('vault_entries')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('engagement_id', '=', engagementId)
    .orderBy('system')
    .orderBy('id')
    .execute();
  return { items: rows.map(toVaultEntryView), total: rows.length };
}
