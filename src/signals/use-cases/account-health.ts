import { loadAccount } from '../../accounts/public.js';
import type { Deps } from '../../kernel/context.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { healthRulesOf, historyRowOf } from '../health-records.js';
import type { AccountHealth } from '../health-schema.js';
import { scoreBatch } from '../health-scores-job.js';

/**
 * An account's health now, computed from its signals under the organisation's rules (not read
 * from the history: it moves as signals arrive), with its daily scores, newest first, up to
 * `limit` (90 unless asked). Another organisation's account is not found.
 *
 * @example
 * const health = await getAccountHealth(deps, principal, accountId, { limit: 30 });
 */
export async function getAccountHealth(
  deps: Deps,
  principal: Principal,
  accountId: string,
  options: { limit?: number },
): Promise<AccountHealth> {
  requireCapability(principal, 'read', 'read account health');
  const db = deps.store.db;
  await loadAccount(db, principal.orgId, accountId);
  const now = deps.clock.now();
  const rules = await healthRulesOf(db, principal.orgId);
  const current = (await scoreBatch(db, principal.orgId, [accountId], now)).get(accountId)!;
  const history = await db
    .selectFrom('health_scores')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('account_id', '=', accountId)
    .orderBy('scored_on', 'desc')
    .limit(options.limit ?? 90)
    .execute();
  return {
    account_id: accountId,
    as_of: now.toISOString(),
    window_days: rules.windowDays,
    score: current.score,
    band: current.band,
    components: current.components,
    items: history.map(historyRowOf),
  };
}
