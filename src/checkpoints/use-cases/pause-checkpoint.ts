import { appendAudit } from '../../audit/append-audit.js';
import { loadCalendar } from '../../calendar/calendar-records.js';
import { clockBasis, remainingMinutes } from '../../calendar/domain/due-expression.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import {
  loadCheckpoint,
  requireCheckpointActor,
  settingsOfRow,
  toCheckpointView,
  updateCheckpoint,
} from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';

/**
 * Stops a checkpoint's clock while the team waits on the customer. The time left is kept in the
 * clock's own units (working minutes for a business-time SLA), so resuming gives exactly that
 * back. Only a running clock of an open, not yet overdue checkpoint can be paused.
 */
export async function pauseCheckpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { reason?: string },
): Promise<Checkpoint> {
  const now = deps.clock.now();
  const reason = input.reason?.trim();
  if (!reason)
    throw new AppError('validation_failed', 'Say why the clock is paused.', [
      { path: '/reason', message: 'is required' },
    ]);
  return inTransaction(deps, async (trx) => {
    const row = await loadCheckpoint(trx, principal.orgId, id);
    requireCheckpointActor(principal, row, 'pause');
    if (row.state !== 'open' || row.due_at <= now.toISOString())
      throw new AppError(
        'illegal_transition',
        'Only the clock of an open checkpoint that is not yet overdue can be paused.',
      );
    if (row.paused_at !== null) throw new AppError('illegal_transition', 'The clock is already paused.');
    const calendar = await loadCalendar(trx, principal.orgId);
    const basis = clockBasis(settingsOfRow(row).due);
    const remaining = remainingMinutes(basis, calendar, now, new Date(row.due_at));
    const updated = await updateCheckpoint(trx, row, {
      paused_at: now.toISOString(),
      remaining_minutes: remaining,
      updated_at: now.toISOString(),
    });
    await trx
      .insertInto('clock_events')
      .values({
        id: newId(),
        org_id: principal.orgId,
        checkpoint_id: row.id,
        kind: 'pause',
        at: now.toISOString(),
        by_user_id: principal.userId,
        reason,
        due_before: row.due_at,
        due_after: null,
        remaining_minutes: remaining,
      })
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'checkpoint.clock_paused',
      entityType: 'checkpoint',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: { due_at: row.due_at },
      after: { paused_at: now.toISOString(), remaining_minutes: remaining, basis, reason },
    });
    return toCheckpointView(trx, principal.orgId, updated, now);
  });
}
