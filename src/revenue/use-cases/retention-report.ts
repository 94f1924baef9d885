import { type RawBuilder, sql } from 'kysely';
import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { goLiveByAccount } from '../../signals/public.js';
import {
  monthsRead,
  NO_GO_LIVE,
  type RetentionBy,
  type RetentionGrain,
  sortRetention,
} from '../domain/retention.js';
import type { RetentionReport } from '../revenue-schema.js';

/** The longest span one report reads: twenty years of months. */
const MAX_MONTHS = 240;

/**
 * Net and gross revenue retention of the organisation, per window (month or quarter) and currency,
 * and by cohort (the go-live quarter of the accounts, `none` for those not live), computed in ONE
 * SQL statement that runs alike on SQLite and PostgreSQL (plain `substr`, `||`, `cast` and
 * `case`: nothing either dialect lacks). `domain/retention.ts` `retention` is the same definition
 * in TypeScript; a property test holds the two together. Go-live is the signals feature's
 * definition (`goLiveByAccount`: the first closeout), joined as a subquery.
 *
 * @example
 *   await retentionReport(deps, principal, { from: '2026-01', to: '2026-06', grain: 'quarter', by: 'cohort' })
 */
export async function retentionReport(
  deps: Deps,
  principal: Principal,
  query: { from: string; to: string; by?: RetentionBy; grain?: RetentionGrain },
): Promise<RetentionReport> {
  requireCapability(principal, 'read', 'read the retention report');
  const grain = query.grain ?? 'month';
  const by = query.by ?? 'period';
  if (query.to < query.from)
    throw new AppError('validation_failed', 'The report period is not valid.', [
      { path: '/to', message: 'must not be before from' },
    ]);
  if (monthIndex(query.to) - monthIndex(query.from) >= MAX_MONTHS)
    throw new AppError('validation_failed', 'The report period is too long.', [
      { path: '/to', message: `must be within ${MAX_MONTHS} months of from` },
    ]);
  const { from, to } = monthsRead({ from: query.from, to: query.to, grain });
  const orgId = principal.orgId;
  const db = deps.store.db;

  const window = grain === 'month' ? sql<string>`r.period` : quarterOfText(sql`r.period`);
  const opensWindow =
    grain === 'month'
      ? sql<number>`1`
      : sql<number>`case when substr(r.period, 6, 2) in ('01', '04', '07', '10') then 1 else 0 end`;
  const cohort =
    by === 'cohort'
      ? sql<string>`case when g.go_live_at is null then ${sql.lit(NO_GO_LIVE)} else ${quarterOfText(sql`g.go_live_at`)} end`
      : sql<string>`''`;
  const records = db
    .selectFrom('revenue_records as r')
    .$if(by === 'cohort', (q) =>
      q.leftJoin(goLiveByAccount(db, orgId).as('g'), 'g.account_id', 'r.account_id'),
    )
    .where('r.org_id', '=', orgId)
    .where('r.period', '>=', from)
    .where('r.period', '<=', to)
    .select([
      window.as('win'),
      cohort.as('cohort'),
      'r.currency',
      'r.kind',
      'r.amount_minor',
      opensWindow.as('opens'),
    ]);
  const sumOf = (kind: string, openingMonthOnly = false) =>
    sql<string>`cast(sum(case when x.kind = ${sql.lit(kind)}${openingMonthOnly ? sql` and x.opens = 1` : sql``} then x.amount_minor else 0 end) as bigint)`;
  const sums = db
    .selectFrom(records.as('x'))
    .select([
      'x.win',
      'x.cohort',
      'x.currency',
      sumOf('starting', true).as('starting_minor'),
      sumOf('expansion').as('expansion_minor'),
      sumOf('contraction').as('contraction_minor'),
      sumOf('churn').as('churn_minor'),
    ])
    .groupBy(['x.win', 'x.cohort', 'x.currency']);
  const ratio = (numerator: RawBuilder<unknown>) =>
    sql<
      number | null
    >`case when t.starting_minor = 0 then null else cast(${numerator} as double precision) / cast(t.starting_minor as double precision) end`;
  const rows = await db
    .selectFrom(sums.as('t'))
    .selectAll('t')
    .select([
      ratio(sql`t.starting_minor + t.expansion_minor - t.contraction_minor - t.churn_minor`).as('nrr'),
      ratio(sql`t.starting_minor - t.contraction_minor - t.churn_minor`).as('grr'),
    ])
    .execute();
  return {
    from,
    to,
    by,
    grain,
    rows: sortRetention(
      rows.map((r) => ({
        period: r.win,
        ...(by === 'cohort' ? { cohort: r.cohort } : {}),
        currency: r.currency,
        starting_minor: Number(r.starting_minor),
        expansion_minor: Number(r.expansion_minor),
        contraction_minor: Number(r.contraction_minor),
        churn_minor: Number(r.churn_minor),
        nrr: r.nrr === null ? null : Number(r.nrr),
        grr: r.grr === null ? null : Number(r.grr),
      })),
    ),
  };
}

/** `YYYY-Qn` of the text `YYYY-MM…` (a month or an ISO instant), in SQL both databases read alike. */
function quarterOfText(text: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`substr(${text}, 1, 4) || '-Q' || cast((cast(substr(${text}, 6, 2) as integer) + 2) / 3 as text)`;
}

const monthIndex = (period: string) => Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7));
