import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { rulesProblems } from '../domain/health-score.js';
import { healthRulesOf, rulesOf, settingsView } from '../health-records.js';
import type { HealthSettings } from '../health-schema.js';
import { scoreHealthNow } from '../health-scores-job.js';

/** How the organisation scores health (the defaults until an admin sets them). */
export async function getHealthSettings(deps: Deps, principal: Principal): Promise<HealthSettings> {
  requireCapability(principal, 'read', 'read health settings');
  return settingsView(await healthRulesOf(deps.store.db, principal.orgId));
}

/**
 * Sets how the organisation scores health (admins only), audited as `health_settings.updated`.
 * Refused whole (400) naming each problem: a negative weight, every weight 0, a feature named
 * twice, the `watch` threshold not below the `healthy` one. The accounts are scored again under
 * the new settings by a run of the scoring job, and the daily chain is started if it was not.
 *
 * @example
 * await updateHealthSettings(deps, admin, { window_days: 30, weights: { usage: 2, support: 1, adoption: 1, escalations: 0 }, features: ['Routes'], bands: { healthy: 70, watch: 40 } });
 */
export async function updateHealthSettings(
  deps: Deps,
  principal: Principal,
  input: HealthSettings,
): Promise<HealthSettings> {
  requireCapability(principal, 'manage_identity', 'change health settings');
  const rules = rulesOf(input);
  const problems = rulesProblems(rules);
  if (problems.length > 0)
    throw new AppError('validation_failed', 'These health settings cannot be used.', problems);
  const after = settingsView(rules);
  const now = deps.clock.now();
  const row = {
    window_days: rules.windowDays,
    weight_usage: rules.weights.usage,
    weight_support: rules.weights.support,
    weight_adoption: rules.weights.adoption,
    weight_escalations: rules.weights.escalations,
    features_json: JSON.stringify(rules.features),
    healthy_min: rules.bands.healthy,
    watch_min: rules.bands.watch,
    updated_at: now.toISOString(),
  };
  return inTransaction(deps, async (trx) => {
    const before = settingsView(await healthRulesOf(trx, principal.orgId));
    await trx
      .insertInto('health_settings')
      .values({ org_id: principal.orgId, ...row })
      .onConflict((oc) => oc.column('org_id').doUpdateSet(row))
      .execute();
    await scoreHealthNow(trx, principal.orgId, now);
    await publish(trx, {
      type: 'health_settings.updated',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      before,
      after,
    });
    return after;
  });
}
