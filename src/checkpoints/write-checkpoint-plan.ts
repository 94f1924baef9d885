import { appendAudit } from '../audit/append-audit.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import type { Actor } from '../kernel/actor.js';
import { insertRows } from '../kernel/batch-writes.js';
import type { Db, Tx } from '../kernel/context.js';
import type { CheckpointsTable, HandoffsTable } from '../kernel/db/schema.js';
import { AppError } from '../kernel/errors.js';
import { publish } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { preparedByShape, preparedQuery } from '../kernel/prepared-query.js';
import { type JobRow, setTimers } from '../scheduler/job-queue.js';
import { checkpointDueJob } from './checkpoint-due-job.js';
import type {
  CheckpointPlan,
  PlannedAuditEntry,
  PlannedClosing,
  PlannedOpening,
  PlannedRetiming,
} from './domain/checkpoint-plan.js';

/**
 * Writes a checkpoint plan in the caller's transaction, deciding nothing: each milestone in one
 * upsert, new checkpoints in one multi-row insert, each re-timing in one update, the closings
 * that end alike (the same state, outcome and reason) in one update, every timer in one upsert,
 * and then, in the order the plan gives its audit entries, the domain events where an entry
 * records what an event says (`checkpoint.completed`, `.waived`, `milestone.recorded`: the audit
 * trail derives those entries from the events) and the other entries as they are. Each opening
 * is published as `checkpoint.opened` once written. `handoff` is the handoff the plan is about.
 * Answers the closed checkpoints as written.
 *
 * Example: `await writeCheckpointPlan(trx, orgId, actor, now, planMilestone(world, ctx, key, at), handoff)`.
 */
export async function writeCheckpointPlan(
  trx: Tx,
  orgId: string,
  actor: Actor,
  now: Date,
  plan: CheckpointPlan,
  handoff: HandoffsTable,
): Promise<CheckpointsTable[]> {
  for (const m of plan.milestones)
    await upsertMilestone.rows(trx, {
      id: newId(),
      orgId,
      handoffId: m.handoffId,
      key: m.key,
      at: m.at,
      recordedBy: actor.id,
      recordedAt: now.toISOString(),
    });
  const opened = plan.openings.map((o) => rowOf(orgId, o));
  await insertRows(trx, 'checkpoints', opened);
  for (const r of plan.retimings) await retimeCheckpoint.rows(trx, { ...r.set, id: r.checkpoint.id });
  const closed = await writeClosings(trx, plan.closings);
  await setTimers(
    trx,
    plan.timers.map((t) => dueTimer(orgId, t.checkpointId, new Date(t.dueAt), now)),
  );
  const change = { orgId, actor, at: now };
  const closedById = new Map(closed.map((row) => [row.id, row]));
  const closingById = new Map(plan.closings.map((c) => [c.checkpoint.id, c]));
  for (const entry of plan.audit) {
    const closing = closingById.get(entry.entityId);
    const row = closedById.get(entry.entityId);
    if ((entry.action === 'checkpoint.completed' || entry.action === 'checkpoint.waived') && closing && row) {
      const from = closing.checkpoint.state;
      await publish(
        trx,
        closing.state === 'done'
          ? { type: 'checkpoint.completed', ...change, checkpoint: row, from, outcome: closing.outcome }
          : { type: 'checkpoint.waived', ...change, checkpoint: row, from, reason: closing.reason ?? '' },
      );
    } else if (entry.action === 'milestone.recorded') {
      await publish(trx, { type: 'milestone.recorded', ...change, handoff, ...milestoneOf(entry) });
    } else {
      await appendAudit(trx, orgId, actor, now, entry as AuditEntry);
    }
  }
  for (const checkpoint of opened) await publish(trx, { type: 'checkpoint.opened', ...change, checkpoint });
  return closed;
}

/** The milestone an audit entry of the plan records, as its event says it. */
function milestoneOf(entry: PlannedAuditEntry): {
  key: string;
  milestoneAt: string;
  previousAt: string | null;
} {
  const after = entry.after as { key: string; at: string };
  const before = entry.before as { at: string } | null;
  return { key: after.key, milestoneAt: after.at, previousAt: before?.at ?? null };
}

/** The due timer of a checkpoint: one job per checkpoint, moved whenever its due time moves. */
export function dueTimer(orgId: string, checkpointId: string, due: Date, now: Date): JobRow {
  return checkpointDueJob.row(
    {
      dedupeKey: `checkpoint_due:${checkpointId}`,
      orgId,
      payload: { checkpointId },
      availableAt: due,
    },
    now,
  );
}

/** The row of a checkpoint about to open: open, version 1, nothing recorded on it yet. */
export function rowOf(orgId: string, o: PlannedOpening): CheckpointsTable {
  return {
    id: o.id,
    org_id: orgId,
    handoff_id: o.handoff_id,
    engagement_id: o.engagement_id,
    def_key: o.def_key,
    name: o.name,
    kind: o.kind,
    state: 'open',
    due_expr: o.due_expr,
    anchor_at: o.anchor_at,
    due_at: o.due_at,
    opens_at: o.opens_at,
    owner_team_id: o.owner_team_id,
    owner_user_id: o.owner_user_id,
    settings: o.settings,
    overdue_at: null,
    escalated_at: null,
    paused_at: null,
    remaining_minutes: null,
    scheduled_start: null,
    scheduled_end: null,
    invitees: null,
    outcome: null,
    waive_reason: null,
    completed_at: null,
    completed_by: null,
    created_at: o.created_at,
    updated_at: o.created_at,
    version: 1,
  };
}

// Records a milestone, or moves it when it was at another time.
const upsertMilestone = preparedQuery(
  (
    db,
    v: {
      id: string;
      orgId: string;
      handoffId: string;
      key: string;
      at: string;
      recordedBy: string | null;
      recordedAt: string;
    },
  ) =>
    db
      .insertInto('milestones')
      .values({
        id: v.id,
        org_id: v.orgId,
        handoff_id: v.handoffId,
        key: v.key,
        at: v.at,
        recorded_by: v.recordedBy,
        recorded_at: v.recordedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['handoff_id', 'key'])
          .doUpdateSet((eb) => ({
            at: eb.ref('excluded.at'),
            recorded_by: eb.ref('excluded.recorded_by'),
            recorded_at: eb.ref('excluded.recorded_at'),
          }))
          .where((eb) => eb('milestones.at', '<>', eb.ref('excluded.at'))),
      ),
);

/** The columns a re-timing sets, and which checkpoint. */
type RetimingValues = PlannedRetiming['set'] & { id: string };

const retimeCheckpoint = preparedQuery((db, v: RetimingValues) =>
  db
    .updateTable('checkpoints')
    .set({
      anchor_at: v.anchor_at,
      due_at: v.due_at,
      opens_at: v.opens_at,
      state: v.state,
      overdue_at: v.overdue_at,
      escalated_at: v.escalated_at,
      updated_at: v.updated_at,
      version: v.version,
    })
    .where('id', '=', v.id),
);

/**
 * Settles the closings, one update for those that end alike; each checkpoint only if nobody
 * changed it since it was read (its version), or the whole transaction fails with a conflict.
 */
async function writeClosings(db: Db, closings: readonly PlannedClosing[]): Promise<CheckpointsTable[]> {
  const groups = new Map<string, PlannedClosing[]>();
  for (const c of closings) {
    const key = JSON.stringify([c.state, c.outcome, c.reason, c.at, c.by]);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const written: CheckpointsTable[] = [];
  for (const group of groups.values()) {
    const [first] = group as [PlannedClosing];
    const values: ClosingValues = {
      state: first.state,
      outcome: first.outcome === null ? null : JSON.stringify(first.outcome),
      reason: first.reason,
      at: first.at,
      by: first.by,
    };
    group.forEach((c, i) => {
      values[`id${i}`] = c.checkpoint.id;
      values[`version${i}`] = c.checkpoint.version;
    });
    const rows = await closeCheckpoints(group.length).rows(db, values);
    if (rows.length !== group.length)
      throw new AppError(
        'conflict',
        'The checkpoint was changed by someone else at the same time; reload and retry.',
      );
    written.push(...rows);
  }
  return written;
}

/** How the checkpoints of one update end, and which (`id0`, `version0`, `id1`…). */
type ClosingValues = {
  state: string;
  outcome: string | null;
  reason: string | null;
  at: string;
  by: string | null;
} & Record<string, unknown>;

/** The update that settles `count` checkpoints alike, each still at the version read. */
const closeCheckpoints = preparedByShape(
  (count: number) => String(count),
  (count) =>
    preparedQuery((db, v: ClosingValues) =>
      db
        .updateTable('checkpoints')
        .set((eb) => ({
          state: v.state,
          outcome: v.outcome,
          waive_reason: v.reason,
          completed_at: v.at,
          completed_by: v.by,
          paused_at: null,
          updated_at: v.at,
          version: eb('version', '+', 1),
        }))
        .where((eb) =>
          eb.or(
            Array.from({ length: count }, (_, i) =>
              eb.and([eb('id', '=', v[`id${i}`] as string), eb('version', '=', v[`version${i}`] as number)]),
            ),
          ),
        )
        .returningAll(),
    ),
);
