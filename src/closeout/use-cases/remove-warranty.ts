import { type Deps, inTransaction } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { loadCloseoutRecord } from './closeout-records.js';

/** Removes a warranty; the checkpoints feature waives its reminder (`warranty.removed`). */
export async function removeWarranty(deps: Deps, principal: Principal, id: string): Promise<void> {
  requireCapability(principal, 'write_records', 'change warranties');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const row = await loadCloseoutRecord(trx, 'warranties', principal.orgId, id, 'warranty');
    await trx
      .deleteFrom('warranties')
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .execute();
    await publish(trx, {
      type: 'warranty.removed',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      warranty: row,
    });
  });
}
