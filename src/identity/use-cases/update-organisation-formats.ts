import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { requireCapability } from '../domain/authorize.js';
import { checkFormats, type OrganisationFormats } from '../domain/organisation-formats.js';
import type { Principal } from '../domain/roles.js';

/**
 * An admin sets the organisation's locale and default currency. Amounts already saved keep their
 * own currency; screens format in the new locale from their next load.
 *
 * Example: `updateOrganisationFormats(deps, admin, { locale: 'de-DE', currency: 'EUR' })`.
 */
export async function updateOrganisationFormats(
  deps: Deps,
  principal: Principal,
  input: OrganisationFormats,
): Promise<OrganisationFormats> {
  requireCapability(principal, 'manage_identity', "change the organisation's formats");
  const checked = checkFormats(input);
  if (!checked.ok) throw new AppError('validation_failed', 'The formats are not valid.', checked.issues);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const before = await trx
      .selectFrom('organisations')
      .select(['locale', 'currency', 'brand_color'])
      .where('id', '=', principal.orgId)
      .executeTakeFirstOrThrow();
    await trx.updateTable('organisations').set(checked.formats).where('id', '=', principal.orgId).execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'organisation.formats_updated',
      entityType: 'organisation',
      entityId: principal.orgId,
      before,
      after: { brand_color: before.brand_color, ...checked.formats },
    });
    return { brand_color: before.brand_color, ...checked.formats };
  });
}
