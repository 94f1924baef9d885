import { type Deps, inTransaction } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { quietDaysOf, scheduleQuietCheck } from '../quiet-accounts-job.js';
import type { SignalSettings } from '../signal-schema.js';

/** The organisation's signal settings (the default of 30 quiet days until an admin sets them). */
export async function getSignalSettings(deps: Deps, principal: Principal): Promise<SignalSettings> {
  requireCapability(principal, 'read', 'read signal settings');
  return { quiet_days: await quietDaysOf(deps.store.db, principal.orgId) };
}

/**
 * Sets the organisation's signal settings (admins only), audited as `signal_settings.updated`;
 * the daily quiet-account check is scheduled if it was not.
 *
 * @example
 * await updateSignalSettings(deps, admin, { quiet_days: 14 });
 */
export async function updateSignalSettings(
  deps: Deps,
  principal: Principal,
  input: SignalSettings,
): Promise<SignalSettings> {
  requireCapability(principal, 'manage_identity', 'change signal settings');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const before = await quietDaysOf(trx, principal.orgId);
    await trx
      .insertInto('signal_settings')
      .values({ org_id: principal.orgId, quiet_days: input.quiet_days, updated_at: now.toISOString() })
      .onConflict((oc) =>
        oc.column('org_id').doUpdateSet({ quiet_days: input.quiet_days, updated_at: now.toISOString() }),
      )
      .execute();
    await scheduleQuietCheck(trx, principal.orgId, now);
    await publish(trx, {
      type: 'signal_settings.updated',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      before,
      after: input.quiet_days,
    });
    return { quiet_days: input.quiet_days };
  });
}
