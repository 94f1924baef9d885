import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { outOfScopeItemsOf } from '../../substance/public.js';
import type { ChangeOrder } from '../change-order-schema.js';
import { isCurrencyCode, matchingScopeItem } from '../domain/change-order.js';
import { lineOf } from '../domain/record-fields.js';
import { toChangeOrderViews } from './change-order-records.js';
import { accountContactOf } from './closeout-records.js';

/**
 * Logs out-of-scope work asked for on the engagement as a change order, identified: what was
 * asked, who asked (a contact of the engagement's account, or a name), the explicit out-of-scope
 * item it matches, the estimated amount. Publishes `change_order.identified`.
 */
export async function identifyChangeOrder(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: {
    request: string;
    asked_by_contact_id?: string;
    asked_by_name?: string;
    scope_item_id?: string;
    amount_minor: number;
    currency: string;
  },
): Promise<ChangeOrder> {
  requireCapability(principal, 'write_records', 'log out-of-scope work as a change order');
  const now = deps.clock.now().toISOString();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const issues: ErrorDetail[] = [];
    const request = lineOf('/request', input.request, { max: 2000, required: true }, issues);
    let askedByName = lineOf('/asked_by_name', input.asked_by_name, { max: 200 }, issues);
    let contactId: string | null = null;
    if (input.asked_by_contact_id !== undefined) {
      const contact = await accountContactOf(
        trx,
        principal.orgId,
        engagement.account_id,
        input.asked_by_contact_id,
      );
      if (!contact)
        issues.push({
          path: '/asked_by_contact_id',
          message: "is not a contact of the engagement's account",
        });
      else {
        contactId = contact.id;
        askedByName ??= contact.name;
      }
    } else if (askedByName === null && !issues.some((i) => i.path === '/asked_by_name'))
      issues.push({ path: '/asked_by_name', message: 'is required when asked_by_contact_id is not given' });
    if (!isCurrencyCode(input.currency))
      issues.push({ path: '/currency', message: 'must be an ISO 4217 code in capitals, e.g. USD' });
    const outItems = await outOfScopeItemsOf(trx, principal.orgId, engagement.id);
    let scopeItemId: string | null = null;
    if (input.scope_item_id !== undefined) {
      if (outItems.some((i) => i.id === input.scope_item_id)) scopeItemId = input.scope_item_id;
      else
        issues.push({
          path: '/scope_item_id',
          message: 'is not an explicit out-of-scope item of this engagement',
        });
    } else if (request !== null) scopeItemId = matchingScopeItem(request, outItems);
    if (issues.length) throw new AppError('validation_failed', 'The out-of-scope work is not valid.', issues);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      request: request!,
      asked_by_contact_id: contactId,
      asked_by_name: askedByName!,
      scope_item_id: scopeItemId,
      amount_minor: input.amount_minor,
      currency: input.currency,
      state: 'identified',
      logged_by: principal.userId,
      identified_at: now,
      quoted_at: null,
      approved_at: null,
      billed_at: null,
      declined_at: null,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('change_orders').values(row).execute();
    await publish(trx, {
      type: 'change_order.identified',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: new Date(now),
      changeOrder: row,
    });
    return (await toChangeOrderViews(trx, principal.orgId, [row]))[0]!;
  });
}
