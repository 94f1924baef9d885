import type { Db, Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { HEALTH_BANDS, type HealthBand } from '../domain/health-score.js';
import type { HealthReport, HealthReportRow } from '../health-schema.js';

export interface HealthReportFilter {
  band?: HealthBand;
  limit?: number;
  offset?: number;
}

/** The 10-point buckets of the distribution: [0, 10) … [90, 100], the last including 100. */
const BUCKETS = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10 }));

/**
 * The health distribution of the organisation: each account's latest daily score (the newest
 * `scored_on` it has), counted by band and by 10-point bucket, and listed lowest score first
 * (then by account name), a page at a time; optionally of one band only. Counted in SQL, on
 * SQLite and PostgreSQL alike.
 *
 * @example
 * const atRisk = await healthReport(deps, principal, { band: 'at_risk' });
 */
export async function healthReport(
  deps: Deps,
  principal: Principal,
  filter: HealthReportFilter,
): Promise<HealthReport> {
  requireCapability(principal, 'read', 'read the health report');
  const db = deps.store.db;
  const distribution = await healthDistribution(db, principal.orgId, filter.band);
  const rows = await latestScores(db, principal.orgId, filter.band)
    .innerJoin('accounts as a', 'a.id', 'h.account_id')
    .select(['h.account_id', 'a.name as account_name', 'h.scored_on', 'h.score', 'h.band'])
    .orderBy('h.score')
    .orderBy('a.name')
    .orderBy('h.account_id')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute();
  return {
    ...distribution,
    items: rows.map(
      (r): HealthReportRow => ({
        account_id: r.account_id,
        account_name: r.account_name,
        scored_on: r.scored_on,
        score: Number(r.score),
        band: r.band as HealthBand,
      }),
    ),
  };
}

/** Each account's latest scored day of the organisation, as that day's row (`h`); of one band if given. */
function latestScores(db: Db, orgId: string, band?: HealthBand) {
  let q = db
    .selectFrom('health_scores as h')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('health_scores')
          .select(['account_id', (e) => e.fn.max('scored_on').as('last_on')])
          .where('org_id', '=', orgId)
          .groupBy('account_id')
          .as('l'),
      (join) => join.onRef('l.account_id', '=', 'h.account_id').onRef('l.last_on', '=', 'h.scored_on'),
    )
    .where('h.org_id', '=', orgId);
  if (band) q = q.where('h.band', '=', band);
  return q;
}

/**
 * The organisation's health distribution: its accounts' latest daily scores counted by band and
 * by 10-point bucket ([0, 10) … [90, 100]), in SQL (no organisation check: the caller's scope is
 * the caller's to check). The dashboard shows the same figures.
 *
 * @example
 * const { bands, buckets } = await healthDistribution(db, orgId);
 */
export async function healthDistribution(
  db: Db,
  orgId: string,
  band?: HealthBand,
): Promise<Omit<HealthReport, 'items'>> {
  const byBand = await latestScores(db, orgId, band)
    .select(['h.band', (eb) => eb.fn.countAll().as('n')])
    .groupBy('h.band')
    .execute();
  const byBucket = await latestScores(db, orgId, band)
    .select((eb) => {
      let bucket = eb.case();
      for (let i = 0; i < 9; i++)
        // biome-ignore lint/suspicious/noExplicitAny: the chain's type changes after its first `when`
        bucket = (bucket as any).when('h.score', '<', eb.lit((i + 1) * 10)).then(eb.lit(i));
      // biome-ignore lint/suspicious/noExplicitAny: as above
      return [(bucket as any).else(eb.lit(9)).end().as('bucket'), eb.fn.countAll().as('n')];
    })
    .groupBy('bucket')
    .execute();
  const bandCount = new Map(byBand.map((r) => [r.band, Number(r.n)]));
  const bucketCount = new Map(
    (byBucket as { bucket: number | string; n: number | string | bigint }[]).map((r) => [
      Number(r.bucket),
      Number(r.n),
    ]),
  );
  return {
    accounts: [...bandCount.values()].reduce((a, b) => a + b, 0),
    bands: HEALTH_BANDS.map((b) => ({ band: b, count: bandCount.get(b) ?? 0 })),
    buckets: BUCKETS.map((b, i) => ({ ...b, count: bucketCount.get(i) ?? 0 })),
  };
}
