import { appendAudit } from '../../audit/append-audit.js';
import { loadCalendar } from '../../calendar/calendar-records.js';
import { clockBasis, resumeDue } from '../../calendar/domain/due-expression.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { engineContext, followCheckpoint, setDueTimer } from '../checkpoint-engine.js';
import {
  type CheckpointRow,
  loadCheckpoint,
  requireCheckpointActor,
  settingsOfRow,
  toCheckpointView,
  updateCheckpoint,
} from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';

/**
 * Restarts a paused clock: the new due time is now plus the time that was left, in the clock's
 * units. A window not yet open when the clock stopped moves with the due time; the checkpoints
 * due before this one follow it.
 */
export async function resumeCheckpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { reason?: string } = {},
): Promise<Checkpoint> {
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
    const opensAt = movedWindow(row, due);
    const updated = await updateCheckpoint(trx, row, {
      paused_at: null,
      remaining_minutes: null,
      due_at: due.toISOString(),
      ...(opensAt ? { opens_at: opensAt } : {}),
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
      after: { due_at: due.toISOString(), ...(opensAt ? { opens_at: opensAt } : {}) },
    });
    await setDueTimer(trx, principal.orgId, row.id, due, now);
    const ctx = await engineContext(trx, principal.orgId, row.handoff_id, now, {
      type: 'user',
      id: principal.userId,
    });
    await followCheckpoint(ctx, row.def_key);
    return toCheckpointView(trx, principal.orgId, updated, now);
  });
}

/**
 * The window of a resumed checkpoint: one that had not opened when the clock stopped keeps its
 * distance from the due time (undefined: it stays as it is).
 */
function movedWindow(row: CheckpointRow, due: Date): string | undefined {
  if (row.opens_at === null || row.paused_at === null || row.opens_at <= row.paused_at) return undefined;
  const lead = Date.parse(row.due_at) - Date.parse(row.opens_at);
  return new Date(due.getTime() - lead).toISOString();
}
