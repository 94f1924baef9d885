import { type Static, Type } from 'typebox';
import { appendAudit } from '../audit/append-audit.js';
import { SYSTEM } from '../kernel/actor.js';
import type { Tx } from '../kernel/context.js';
import type { CheckpointsTable } from '../kernel/db/schema.js';
import { publish } from '../kernel/events.js';
import { notify } from '../notifications/notify.js';
import { defineJob, type JobHandler } from '../scheduler/define-job.js';
import { recipientsOf, settingsOfRow } from './checkpoint-records.js';
import { waiverAfterEnd } from './domain/settle-checkpoints.js';

/** The due timer's payload: the checkpoint it is the timer of. */
const CheckpointDue = Type.Object({ checkpointId: Type.String({ minLength: 1 }) });

/**
 * The due timer of a checkpoint fired. If it is still open, running and past due, it becomes
 * overdue and is escalated to the role or team the playbook names (and its owner) — all in the
 * transaction that marks the timer done, so it happens exactly once. A timer of a checkpoint
 * since done, waived, paused or moved later does nothing. One found open on a handoff that has
 * ended (withdrawn, or closed when it is not meant to run on) is waived as pointless instead:
 * nobody is chased for work on a closed handoff.
 */
const markOverdue: JobHandler<Static<typeof CheckpointDue>> = {
  async commit(trx, job, now) {
    const { checkpointId } = job.payload;
    const row = await trx
      .selectFrom('checkpoints')
      .selectAll()
      .where('id', '=', checkpointId)
      .executeTakeFirst();
    if (row?.state !== 'open' || row.paused_at !== null || row.due_at > now.toISOString()) return;
    const settings = settingsOfRow(row);
    const system = { type: 'system' as const, id: null };
    const handoff = await trx
      .selectFrom('handoffs')
      .select(['title', 'state'])
      .where('id', '=', row.handoff_id)
      .executeTakeFirstOrThrow();
    const waiver = waiverAfterEnd(handoff.state, settings);
    if (waiver !== null) {
      await waiveAfterEnd(trx, row, waiver, now);
      return;
    }
    const overdue = {
      state: 'overdue',
      overdue_at: now.toISOString(),
      escalated_at: now.toISOString(),
      updated_at: now.toISOString(),
      version: Number(row.version) + 1,
    };
    const marked = await trx
      .updateTable('checkpoints')
      .set(overdue)
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    // Someone completed, waived or paused it since it was read: nothing is overdue any more.
    if (Number(marked.numUpdatedRows) !== 1) return;
    await publish(trx, {
      type: 'checkpoint.overdue',
      orgId: row.org_id,
      actor: system,
      at: now,
      checkpoint: { ...row, ...overdue },
      from: row.state,
    });
    const escalateTo = settings.escalateTo;
    let teamIds = [row.owner_team_id];
    let role: string | undefined;
    if (escalateTo?.team) {
      const team = await trx
        .selectFrom('teams')
        .select('id')
        .where('org_id', '=', row.org_id)
        .where('key', '=', escalateTo.team)
        .executeTakeFirst();
      teamIds = team ? [team.id] : teamIds;
    } else if (escalateTo?.role) {
      teamIds = [];
      role = escalateTo.role;
    }
    const to = await recipientsOf(trx, row.org_id, {
      teamIds,
      ...(role ? { role } : {}),
      userIds: [row.owner_user_id],
    });
    await notify(
      trx,
      {
        orgId: row.org_id,
        kind: 'checkpoint_overdue',
        eventKey: `overdue:${row.id}:${row.due_at}`,
        to,
        link: `/handoffs/${row.handoff_id}`,
        subject: `Overdue: ${row.name}`,
        text: `"${row.name}" for "${handoff.title}" was due at ${row.due_at} (${row.due_expr}) and is not done.`,
      },
      now,
    );
    await appendAudit(trx, row.org_id, system, now, {
      action: 'checkpoint.escalated',
      entityType: 'checkpoint',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      after: { escalate_to: escalateTo, recipients: to.map((r) => r.email) },
    });
  },
};

/** A checkpoint's due timer: one per checkpoint (`checkpoint_due:<id>`), moved whenever its due time moves. */
export const checkpointDueJob = defineJob({
  kind: 'checkpoint_due',
  version: 1,
  schema: CheckpointDue,
  handle: markOverdue,
});

/** Waives (as the system) a checkpoint its handoff's end made pointless, unless it changed meanwhile. */
async function waiveAfterEnd(trx: Tx, row: CheckpointsTable, reason: string, now: Date): Promise<void> {
  const at = now.toISOString();
  const waived = {
    state: 'waived',
    waive_reason: reason,
    completed_at: at,
    completed_by: null,
    updated_at: at,
    version: Number(row.version) + 1,
  };
  const written = await trx
    .updateTable('checkpoints')
    .set(waived)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(written.numUpdatedRows) !== 1) return;
  await publish(trx, {
    type: 'checkpoint.waived',
    orgId: row.org_id,
    actor: SYSTEM,
    at: now,
    checkpoint: { ...row, ...waived },
    from: row.state,
    reason,
  });
}
