import { loadContact, loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { DEFAULT_LINK_DAYS, DEFAULT_MAX_LINK_DAYS, type PortalPurpose } from '../domain/portal-link.js';
import { issueLink, toLinkView } from '../link-records.js';
import type { PortalLink } from '../portal-schema.js';

export interface NewPortalLink {
  contact_id: string;
  purpose: PortalPurpose;
  /** Days until it expires; `DEFAULT_LINK_DAYS` when absent, at most the configured maximum. */
  expires_in_days?: number;
}

/**
 * The team sends a contact of the engagement's account a magic link for one purpose: stored as
 * the SHA-256 of its token, mailed through the outbox, audited. Answers the link and its token,
 * which is shown this once.
 *
 * @example
 *   const { link, token } = await createPortalLink(deps, ops, engagementId, { contact_id, purpose: 'confirm' });
 */
export async function createPortalLink(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: NewPortalLink,
  maxDays = DEFAULT_MAX_LINK_DAYS,
): Promise<{ link: PortalLink; token: string }> {
  requireCapability(principal, 'write_records', 'send a client portal link');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const errors: ErrorDetail[] = [];
    const days = input.expires_in_days ?? DEFAULT_LINK_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > maxDays)
      errors.push({
        path: '/expires_in_days',
        message: `must be a whole number of days from 1 to ${maxDays}`,
      });
    const contact = isId(input.contact_id)
      ? await loadContact(trx, principal.orgId, input.contact_id).catch(() => null)
      : null;
    if (!contact || contact.account_id !== engagement.account_id)
      errors.push({ path: '/contact_id', message: "must be a contact of the engagement's account" });
    else if (!contact.email)
      errors.push({ path: '/contact_id', message: 'the contact has no e-mail address to send the link to' });
    if (errors.length || !contact?.email)
      throw new AppError('validation_failed', 'The link cannot be sent.', errors);
    const organisation = await trx
      .selectFrom('organisations')
      .select(['name', 'locale', 'time_zone'])
      .where('id', '=', principal.orgId)
      .executeTakeFirstOrThrow();
    const { row, token } = await issueLink(
      trx,
      {
        orgId: principal.orgId,
        engagement,
        contact: { id: contact.id, name: contact.name, email: contact.email },
        organisation,
        purpose: input.purpose,
        days,
        actor: { type: 'user', id: principal.userId },
      },
      now,
    );
    return { link: toLinkView(row, contact.name, now), token };
  });
}
