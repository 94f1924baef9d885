import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { loadVaultEntry, toVaultEntryView } from '../vault-records.js';
import type { VaultEntry } from '../vault-schema.js';

/** One entry of the engagement's vault, its secret masked. */
export async function getVaultEntry(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  id: string,
): Promise<VaultEntry> {
  requireCapability(principal, 'read', 'read vault entries');
  const db = deps.store.db;
  await loadEngagement(db, principal.orgId, engagementId);
  return toVaultEntryView(await loadVaultEntry(db, principal.orgId, engagementId, id));
}
