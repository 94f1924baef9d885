import { loadAccount } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import type { Page } from '../../kernel/http/schemas.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { RevenueListFilter, RevenueRecord } from '../revenue-schema.js';
import { toRevenueRecord } from './revenue-records.js';

/**
 * The organisation's revenue records, optionally of one account and within months `[from, to]`,
 * oldest period first (then by account, kind, id), a page at a time. Another organisation's
 * account is not found (404).
 *
 * @example
 *   await listRevenueRecords(deps, principal, { account_id, from: '2026-01', to: '2026-03' })
 */
export async function listRevenueRecords(
  deps: Deps,
  principal: Principal,
  filter: RevenueListFilter,
): Promise<Page<RevenueRecord>> {
  requireCapability(principal, 'read', 'read revenue records');
  const db = deps.store.db;
  if (filter.from && filter.to && filter.to < filter.from)
    throw new AppError('validation_failed', 'The period is not valid.', [
      { path: '/to', message: 'must not be before from' },
    ]);
  if (filter.account_id !== undefined) await loadAccount(db, principal.orgId, filter.account_id);
  let q = db.selectFrom('revenue_records').where('org_id', '=', principal.orgId);
  if (filter.account_id !== undefined) q = q.where('account_id', '=', filter.account_id);
  if (filter.from) q = q.where('period', '>=', filter.from);
  if (filter.to) q = q.where('period', '<=', filter.to);
  const [rows, total] = await Promise.all([
    q
      .selectAll()
      .orderBy('period')
      .orderBy('account_id')
      .orderBy('kind')
      .orderBy('id')
      .limit(filter.limit ?? 200)
      .offset(filter.offset ?? 0)
      .execute(),
    q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRevenueRecord), total: Number(total.n) };
}
