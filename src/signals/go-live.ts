import type { Db } from '../kernel/context.js';

/**
 * Go-live, as Baton defines it: the first closeout of any of the account's engagements. The query
 * has one row per account of the organisation that has gone live (`account_id`, `go_live_at`,
 * ISO 8601 UTC); other features join it as a subquery (`.as('g')`) so the definition lives here
 * once: the quiet-account check counts silence from it, retention groups accounts into cohorts by
 * its quarter.
 *
 * @example
 *   const live = await goLiveByAccount(db, orgId).execute(); // [{ account_id, go_live_at }]
 */
export function goLiveByAccount(db: Db, orgId: string) {
  return db
    .selectFrom('engagements')
    .select(['account_id', (eb) => eb.fn.min<string>('closed_out_at').as('go_live_at')])
    .where('org_id', '=', orgId)
    .where('closed_out_at', 'is not', null)
    .groupBy('account_id');
}
