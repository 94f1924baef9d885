import { appendAudit } from '../../audit/append-audit.js';
import { loadCalendar } from '../../calendar/calendar-records.js';
import { clockBasis, resumeDue } from '../../calendar/domain/due-expression.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { setDueTimer } from '../checkpoint-engine.js';
import {
  type CheckpointView,
  loadCheckpoint,
  requireCheckpointActor,
  settingsOfRow,
  toCheckpointView,
  updateCheckpoint,
} from '../checkpoint-records.js';

/** Restarts a paused clock: the new due time is now plus the time that was left, in the clock's units. */
export async function resumeCheckpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { reason?: string } = {},
): Promise<CheckpointView> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadCheckpoint(trx, principal.orgId, id);
    requireCheckpointActor(principal, row, 'resume');
    if (row.paused_at === null || row.state !== 'open')
      throw new AppError('illegal_transition', 'The clock is not paused.');
    const calendar = await loadCalendar(trx, principal.orgId);
    const basis = clockBasis(settingsOfRow(row).due);
    const remaining = Number(row.remaining_minutes ?? 0);
    const due = resumeDue(basis, calendar, now, remaining);
    const updated = await updateCheckpoint(trx, row, {
      paused_at: null,
      remaining_minutes: null,
      due_at: due.toISOString(),
      updated_at: now.toISOString(),
    });
    await trx
      .insertInto('clock_events')
      .values({
        id: newId(),
        org_id: principal.orgId,
        checkpoint_id: row.id,
        kind: 'resume',
        at: now.toISOString(),
        by_user_id: principal.userId,
        reason: input.reason?.trim() || null,
        due_before: row.due_at,
        due_after: due.toISOString(),
        remaining_minutes: remaining,
      })
      .execute();
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'checkpoint.clock_resumed',
      entityType: 'checkpoint',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: { due_at: row.due_at, paused_at: row.paused_at, remaining_minutes: remaining },
      after: { due_at: due.toISOString() },
    });
    await setDueTimer(trx, principal.orgId, row.id, due, now);
    return toCheckpointView(trx, principal.orgId, updated, now);
  });
}
