import { resolveAccountReferences } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { RevenueBatchResult, RevenueRecordInput } from '../revenue-schema.js';
import { type CheckedRecord, storeRevenueRecords } from './revenue-records.js';

/**
 * Stores a batch of revenue records, all or nothing. Every item must name an account of the
 * caller's organisation (by `account_id`, or `account_external_id` as `system:id`, resolved as
 * signals resolve theirs); if any does not, the batch is refused whole (422) naming each bad item
 * by its path, and nothing is written. Otherwise the records are stored in one transaction; a
 * record whose `external_id` was stored before is a duplicate, left as it was.
 *
 * @example
 *   await recordRevenue(deps, principal, [{ account_id, period: '2026-01', kind: 'starting', amount_minor: 120000, currency: 'EUR' }])
 *   // { accepted: 1, duplicates: 0 }
 */
export async function recordRevenue(
  deps: Deps,
  principal: Principal,
  records: readonly RevenueRecordInput[],
): Promise<RevenueBatchResult> {
  requireCapability(principal, 'write_records', 'post revenue records');
  const { accountIds, errors } = await resolveAccountReferences(
    deps.store.db,
    principal.orgId,
    records,
    (i) => `/records/${i}`,
  );
  if (errors.length > 0)
    throw new AppError(
      'unprocessable',
      `${errors.length} of the ${records.length} revenue records cannot be accepted; none was stored.`,
      errors,
    );
  const checked: CheckedRecord[] = records.map((r, i) => ({
    accountId: accountIds[i]!,
    period: r.period,
    kind: r.kind,
    amountMinor: r.amount_minor,
    currency: r.currency,
    externalId: r.external_id ?? null,
    note: r.note ?? null,
  }));
  const now = deps.clock.now();
  return inTransaction(deps, (trx) => storeRevenueRecords(trx, principal, checked, 'api', now));
}
