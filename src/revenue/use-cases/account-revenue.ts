import { loadAccount } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { periodTotals } from '../domain/revenue-record.js';
import type { AccountRevenue } from '../revenue-schema.js';
import { toRevenueRecord } from './revenue-records.js';

/**
 * An account's recurring revenue: every record, oldest period first, and their totals per period
 * and currency (`periodTotals`: never added across currencies). Another organisation's account is
 * not found.
 *
 * @example
 *   const { periods } = await accountRevenue(deps, principal, accountId) // [{ period: '2026-01', currency: 'EUR', ending_minor: … }]
 */
export async function accountRevenue(
  deps: Deps,
  principal: Principal,
  accountId: string,
): Promise<AccountRevenue> {
  requireCapability(principal, 'read', 'read revenue');
  const db = deps.store.db;
  await loadAccount(db, principal.orgId, accountId);
  const rows = await db
    .selectFrom('revenue_records')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('account_id', '=', accountId)
    .orderBy('period')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const records = rows.map(toRevenueRecord);
  return {
    account_id: accountId,
    periods: periodTotals(
      records.map((r) => ({
        accountId: r.account_id,
        period: r.period,
        kind: r.kind,
        amountMinor: r.amount_minor,
        currency: r.currency,
      })),
    ),
    records,
  };
}
