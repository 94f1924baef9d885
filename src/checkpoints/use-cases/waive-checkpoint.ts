import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { closeCheckpoint, engineContext } from '../checkpoint-engine.js';
import {
  loadCheckpoint,
  requireCheckpointActor,
  requirePending,
  toCheckpointView,
} from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';

/** Waives an open or overdue checkpoint; a written reason is required. */
export async function waiveCheckpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { reason?: string },
): Promise<Checkpoint> {
  const now = deps.clock.now();
  const reason = input.reason?.trim();
  if (!reason)
    throw new AppError('validation_failed', 'Say why the checkpoint is waived.', [
      { path: '/reason', message: 'is required' },
    ]);
  return inTransaction(deps, async (trx) => {
    const row = await loadCheckpoint(trx, principal.orgId, id);
    requireCheckpointActor(principal, row, 'waive');
    requirePending(row, 'waived');
    const ctx = await engineContext(trx, principal.orgId, row.handoff_id, now, {
      type: 'user',
      id: principal.userId,
    });
    const waived = await closeCheckpoint(ctx, row, 'waived', null, reason);
    return toCheckpointView(trx, principal.orgId, waived, now);
  });
}
