import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { checkWarranty } from '../domain/warranty-record.js';
import type { Warranty } from '../records-schema.js';
import { toWarrantyView } from './closeout-records.js';

/**
 * Records a warranty or support contract of the engagement. Publishes `warranty.recorded`, on
 * which the checkpoints feature opens the checkpoint due `remind_days_before` days before it
 * expires (docs/decisions/0011-closeout-warranty-checkpoints.md).
 */
export async function recordWarranty(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: Record<string, unknown>,
): Promise<Warranty> {
  requireCapability(principal, 'write_records', 'record warranties');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const checked = checkWarranty(input);
    if (!checked.ok) throw new AppError('validation_failed', 'The warranty is not valid.', checked.issues);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      ...checked.values,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('warranties').values(row).execute();
    await publish(trx, {
      type: 'warranty.recorded',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      warranty: row,
    });
    return toWarrantyView(row);
  });
}
