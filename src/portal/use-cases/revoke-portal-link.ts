import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { isId } from '../../kernel/ids.js';
import { linkState } from '../domain/portal-link.js';
import { toLinkView } from '../link-records.js';
import type { PortalLink } from '../portal-schema.js';
import { blankUnsentMail } from '../send-portal-link-job.js';

/**
 * The team revokes a link: from now on it opens nothing. Revoking one already revoked, used or
 * expired is refused (409), saying which.
 */
export async function revokePortalLink(
  deps: Deps,
  principal: Principal,
  linkId: string,
): Promise<PortalLink> {
  requireCapability(principal, 'write_records', 'revoke a client portal link');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const found = isId(linkId)
      ? await trx
          .selectFrom('portal_links')
          .innerJoin('contacts', 'contacts.id', 'portal_links.contact_id')
          .selectAll('portal_links')
          .select('contacts.name as contact_name')
          .where('portal_links.org_id', '=', principal.orgId)
          .where('portal_links.id', '=', linkId)
          .executeTakeFirst()
      : undefined;
    if (!found) throw new AppError('not_found', `No portal link ${linkId}.`);
    const { contact_name, ...row } = found;
    const state = linkState(row, now);
    if (state !== 'active') throw new AppError('conflict', `The link is ${state} already; it opens nothing.`);
    const revoked = { ...row, revoked_at: now.toISOString(), revoked_by: principal.userId };
    await trx
      .updateTable('portal_links')
      .set({ revoked_at: revoked.revoked_at, revoked_by: revoked.revoked_by })
      .where('id', '=', row.id)
      .execute();
    await blankUnsentMail(trx, row.id);
    await publish(trx, {
      type: 'portal.link_revoked',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      link: revoked,
    });
    return toLinkView(revoked, contact_name, now);
  });
}
