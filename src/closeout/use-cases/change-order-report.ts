import { sql } from 'kysely';
import { loadEngagement } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { ChangeOrderReport } from '../change-order-schema.js';
import { addDays, dayOf } from '../domain/record-fields.js';

/**
 * The organisation's scope-creep capture: change orders identified in the period (UTC days,
 * inclusive; optionally of one engagement), how many and how much reached each state, and the
 * capture rate (billed ÷ identified, by count and by amount), per currency: computed in one SQL
 * query that runs alike on SQLite and PostgreSQL. `domain/change-order.ts` `captureTotals` is the
 * same definition in TypeScript.
 */
export async function changeOrderReport(
  deps: Deps,
  principal: Principal,
  query: { from?: string; to?: string; engagement_id?: string },
): Promise<ChangeOrderReport> {
  requireCapability(principal, 'read', 'read the change order report');
  const db = deps.store.db;
  const issues: ErrorDetail[] = [];
  const from = dayOf('/from', query.from, {}, issues);
  const to = dayOf('/to', query.to, {}, issues);
  if (from && to && to < from) issues.push({ path: '/to', message: 'must not be before from' });
  if (issues.length) throw new AppError('validation_failed', 'The report period is not valid.', issues);
  const engagementId =
    query.engagement_id === undefined
      ? null
      : (await loadEngagement(db, principal.orgId, query.engagement_id)).id;

  const reached = (column: 'quoted_at' | 'approved_at' | 'billed_at' | 'declined_at') => ({
    count: sql<number>`sum(case when ${sql.ref(column)} is not null then 1 else 0 end)`,
    amount: sql<number>`cast(sum(case when ${sql.ref(column)} is not null then amount_minor else 0 end) as bigint)`,
  });
  const q = reached('quoted_at');
  const a = reached('approved_at');
  const b = reached('billed_at');
  const d = reached('declined_at');
  let select = db
    .selectFrom('change_orders')
    .where('org_id', '=', principal.orgId)
    .select([
      'currency',
      sql<number>`count(*)`.as('identified_count'),
      sql<number>`cast(sum(amount_minor) as bigint)`.as('identified_amount'),
      q.count.as('quoted_count'),
      q.amount.as('quoted_amount'),
      a.count.as('approved_count'),
      a.amount.as('approved_amount'),
      b.count.as('billed_count'),
      b.amount.as('billed_amount'),
      d.count.as('declined_count'),
      d.amount.as('declined_amount'),
      sql<number>`cast(${b.count} as double precision) / count(*)`.as('rate_by_count'),
      sql<
        number | null
      >`case when sum(amount_minor) = 0 then null else cast(${b.amount} as double precision) / cast(sum(amount_minor) as double precision) end`.as(
        'rate_by_amount',
      ),
    ])
    .groupBy('currency')
    .orderBy('currency');
  if (from) select = select.where('identified_at', '>=', `${from}T00:00:00.000Z`);
  if (to) select = select.where('identified_at', '<', `${addDays(to, 1)}T00:00:00.000Z`);
  if (engagementId) select = select.where('engagement_id', '=', engagementId);
  const rows = await select.execute();
  const bucket = (count: unknown, amount: unknown) => ({
    count: Number(count),
    amount_minor: Number(amount),
  });
  return {
    from,
    to,
    engagement_id: engagementId,
    currencies: rows.map((r) => ({
      currency: r.currency,
      identified: bucket(r.identified_count, r.identified_amount),
      quoted: bucket(r.quoted_count, r.quoted_amount),
      approved: bucket(r.approved_count, r.approved_amount),
      billed: bucket(r.billed_count, r.billed_amount),
      declined: bucket(r.declined_count, r.declined_amount),
      capture_rate: {
        by_count: Number(r.rate_by_count),
        by_amount: r.rate_by_amount === null ? null : Number(r.rate_by_amount),
      },
    })),
  };
}
