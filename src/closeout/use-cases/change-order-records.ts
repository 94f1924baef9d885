import type { Db } from '../../kernel/context.js';
import type { ChangeOrdersTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { outOfScopeItemsOf } from '../../substance/public.js';
import type { ChangeOrder } from '../change-order-schema.js';
import type { ChangeOrderState } from '../domain/change-order.js';

/** One change order of the organisation, or not_found (another organisation's reads as unknown). */
export async function loadChangeOrder(db: Db, orgId: string, id: string): Promise<ChangeOrdersTable> {
  const row = isId(id)
    ? await db
        .selectFrom('change_orders')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No change order ${id}.`);
  return row;
}

/** The rows as the API shows them, with the out-of-scope item each links to. */
export async function toChangeOrderViews(
  db: Db,
  orgId: string,
  rows: readonly ChangeOrdersTable[],
): Promise<ChangeOrder[]> {
  const engagements = [...new Set(rows.map((r) => r.engagement_id))];
  const items = new Map<string, string>();
  for (const engagementId of engagements)
    for (const item of await outOfScopeItemsOf(db, orgId, engagementId)) items.set(item.id, item.description);
  return rows.map((r) => ({
    id: r.id,
    engagement_id: r.engagement_id,
    request: r.request,
    asked_by: { contact_id: r.asked_by_contact_id, name: r.asked_by_name },
    scope_item:
      r.scope_item_id && items.has(r.scope_item_id)
        ? { id: r.scope_item_id, description: items.get(r.scope_item_id)! }
        : null,
    amount_minor: Number(r.amount_minor),
    currency: r.currency,
    state: r.state as ChangeOrderState,
    logged_by: r.logged_by,
    identified_at: r.identified_at,
    quoted_at: r.quoted_at,
    approved_at: r.approved_at,
    billed_at: r.billed_at,
    declined_at: r.declined_at,
    updated_at: r.updated_at,
  }));
}
