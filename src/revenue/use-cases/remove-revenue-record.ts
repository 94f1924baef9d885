import { type Deps, inTransaction } from '../../kernel/context.js';
import { notFound } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { toRevenueRecord } from './revenue-records.js';

/**
 * Removes a revenue record of the caller's organisation (a record of another is not found), and
 * publishes `revenue.removed`, audited with what the record said. Its external id is free again:
 * posting the record anew stores it.
 *
 * @example
 *   await removeRevenueRecord(deps, principal, recordId)
 */
export async function removeRevenueRecord(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireCapability(principal, 'write_records', 'remove revenue records');
  await inTransaction(deps, async (trx) => {
    const row = await trx
      .deleteFrom('revenue_records')
      .where('org_id', '=', principal.orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound('revenue record', id);
    const r = toRevenueRecord(row);
    await publish(trx, {
      type: 'revenue.removed',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: deps.clock.now(),
      record: {
        id: r.id,
        account_id: r.account_id,
        period: r.period,
        kind: r.kind,
        amount_minor: r.amount_minor,
        currency: r.currency,
        external_id: r.external_id,
      },
    });
  });
}
