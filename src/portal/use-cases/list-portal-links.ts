import { loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { toLinkView } from '../link-records.js';
import type { PortalLink } from '../portal-schema.js';

/** The engagement's magic links, newest first, with their state now: never a token. */
export async function listPortalLinks(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<{ items: PortalLink[]; total: number }> {
  requireCapability(principal, 'read', 'list client portal links');
  const db = deps.store.db;
  await loadEngagement(db, principal.orgId, engagementId);
  const rows = await db
    .selectFrom('portal_links')
    .innerJoin('contacts', 'contacts.id', 'portal_links.contact_id')
    .selectAll('portal_links')
    .select('contacts.name as contact_name')
    .where('portal_links.org_id', '=', principal.orgId)
    .where('portal_links.engagement_id', '=', engagementId)
    .orderBy('portal_links.created_at', 'desc')
    .orderBy('portal_links.id', 'desc')
    .execute();
  const now = deps.clock.now();
  const items = rows.map(({ contact_name, ...row }) => toLinkView(row, contact_name, now));
  return { items, total: items.length };
}
