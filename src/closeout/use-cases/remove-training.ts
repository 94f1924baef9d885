import { type Deps, inTransaction } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { loadCloseoutRecord } from './closeout-records.js';

/** Removes a training record recorded in error; the audit log keeps it (`training.removed`). */
export async function removeTraining(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireCapability(principal, 'write_records', 'record training');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const row = await loadCloseoutRecord(trx, 'training_records', principal.orgId, id, 'training record');
    await trx
      .deleteFrom('training_records')
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .execute();
    await publish(trx, {
      type: 'training.removed',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      training: row,
    });
  });
}
