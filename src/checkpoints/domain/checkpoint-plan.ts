import type { BusinessCalendar } from '../../calendar/domain/business-calendar.js';
import type { CheckpointSettings } from './checkpoint-settings.js';

/**
 * What the checkpoint planner reads and what it answers: plain data, no database. The engine
 * (`checkpoint-engine.ts`) reads a `CheckpointWorld` in one query, asks the planner
 * (`plan-checkpoints.ts`) what an event, a milestone or a closing changes, and hands the
 * `CheckpointPlan` to the writer (`write-checkpoint-plan.ts`), which applies it in the
 * transaction with one statement per kind of change.
 */

/**
 * A checkpoint as the planner sees it: the columns of its stored row that decide what happens to
 * it (a row read from the database is one as it is).
 */
export interface CheckpointFacts {
  readonly id: string;
  readonly handoff_id: string;
  readonly engagement_id: string;
  readonly def_key: string;
  readonly state: string;
  readonly anchor_at: string;
  readonly due_at: string;
  readonly opens_at: string | null;
  readonly paused_at: string | null;
  readonly remaining_minutes: number | null;
  readonly scheduled_start: string | null;
  readonly overdue_at: string | null;
  readonly escalated_at: string | null;
  /** JSON: the settings the checkpoint was opened with (`storedSettings` reads them). */
  readonly settings: string;
  readonly created_at: string;
  readonly version: number;
}

/** The handoff as the planner sees it: whose checkpoints open, and whether any may open at all. */
export interface HandoffFacts {
  readonly id: string;
  readonly engagement_id: string;
  readonly state: string;
  readonly sending_team_id: string;
  readonly receiving_team_id: string;
  readonly assignee_user_id: string | null;
  readonly created_by: string;
}

/** Everything the planner needs about one handoff, read once per transaction. */
export interface CheckpointWorld {
  readonly handoff: HandoffFacts;
  /** The checkpoints the handoff's transition tracks, with their defaults. */
  readonly settings: readonly CheckpointSettings[];
  /** The handoff's checkpoints, in the order they were opened. */
  readonly checkpoints: readonly CheckpointFacts[];
  /**
   * When each milestone the plan records is recorded now (ISO instant), by key; a key the map
   * lacks is not recorded yet. The engine reads every key it asks the planner to record.
   */
  readonly milestones: ReadonlyMap<string, string>;
  readonly calendar: BusinessCalendar;
  /**
   * The ids of the teams checkpoints are owned by when the playbook names one (`owner: finance`),
   * by key, once read; absent when not read (a plan that would open such a checkpoint says so in
   * `teamsWanted`, and the engine reads them and plans again).
   */
  readonly teams?: ReadonlyMap<string, string>;
}

/** Who plans, when, and how new records are named (the engine hands in `newId`; tests count). */
export interface PlanContext {
  readonly now: Date;
  /** The user the changes are made by (closings record them as `completed_by`); null for the system. */
  readonly actorId: string | null;
  readonly newId: () => string;
}

/** A milestone to record (or move): `before` is the time it had, null when it is new. */
export interface PlannedMilestone {
  readonly handoffId: string;
  readonly key: string;
  readonly at: string;
  readonly before: string | null;
  /** Lifecycle events are in the audit log as the handoff changes they are; other milestones get an entry. */
  readonly audited: boolean;
}

/**
 * A checkpoint to settle, as it was (`checkpoint`) and as it ends: done with an outcome, or waived
 * with a reason. Enough to tell "checkpoint completed" or "checkpoint waived".
 */
export interface PlannedClosing {
  readonly checkpoint: CheckpointFacts;
  readonly state: 'done' | 'waived';
  readonly outcome: unknown;
  readonly reason: string | null;
  readonly at: string;
  readonly by: string | null;
}

/**
 * A checkpoint to open: the columns of its new row that vary (the rest start empty). Enough to
 * tell "checkpoint opened": which, what kind, when due, whose.
 */
export interface PlannedOpening {
  readonly id: string;
  readonly handoff_id: string;
  readonly engagement_id: string;
  readonly def_key: string;
  readonly name: string;
  readonly kind: string;
  readonly due_expr: string;
  readonly anchor_at: string;
  readonly due_at: string;
  readonly opens_at: string;
  readonly owner_team_id: string;
  readonly owner_user_id: string | null;
  /** JSON of the settings it opens with. */
  readonly settings: string;
  readonly created_at: string;
}

/** An open checkpoint moved to its anchor's new time: as it was (`checkpoint`), and its new columns. */
export interface PlannedRetiming {
  readonly checkpoint: CheckpointFacts;
  readonly set: {
    readonly anchor_at: string;
    readonly due_at: string;
    readonly opens_at: string;
    /** `open` again when the new due time is ahead; otherwise as it was (overdue stays overdue). */
    readonly state: string;
    readonly overdue_at: string | null;
    readonly escalated_at: string | null;
    readonly updated_at: string;
    readonly version: number;
  };
}

/** A checkpoint's due timer, set (or moved) to its due time. */
export interface PlannedTimer {
  readonly checkpointId: string;
  readonly dueAt: string;
}

/** An audit entry to append, in the order the plan decided it (actor and time are the writer's). */
export interface PlannedAuditEntry {
  readonly action:
    | 'checkpoint.created'
    | 'checkpoint.completed'
    | 'checkpoint.waived'
    | 'checkpoint.rescheduled'
    | 'milestone.recorded';
  readonly entityType: 'checkpoint' | 'milestone';
  readonly entityId: string;
  readonly handoffId: string;
  readonly engagementId: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** What one run of the engine changes, written together by `writeCheckpointPlan`. */
export interface CheckpointPlan {
  readonly milestones: readonly PlannedMilestone[];
  readonly closings: readonly PlannedClosing[];
  /** At most one per checkpoint, with its final columns. */
  readonly retimings: readonly PlannedRetiming[];
  /** With their final times (a checkpoint opened and then moved in one run is written once). */
  readonly openings: readonly PlannedOpening[];
  /** One per checkpoint: the time it was last set to. */
  readonly timers: readonly PlannedTimer[];
  readonly audit: readonly PlannedAuditEntry[];
  /** Named owner teams the plan needs and the world did not carry: read them and plan again. */
  readonly teamsWanted: readonly string[];
}

/** True when the plan changes nothing. */
export function isEmptyPlan(plan: CheckpointPlan): boolean {
  return (
    plan.milestones.length === 0 &&
    plan.closings.length === 0 &&
    plan.retimings.length === 0 &&
    plan.openings.length === 0 &&
    plan.timers.length === 0 &&
    plan.audit.length === 0
  );
}

/** The facts of a checkpoint opened by a plan, as its row will read once written. */
export function openedFacts(o: PlannedOpening): CheckpointFacts {
  return {
    id: o.id,
    handoff_id: o.handoff_id,
    engagement_id: o.engagement_id,
    def_key: o.def_key,
    state: 'open',
    anchor_at: o.anchor_at,
    due_at: o.due_at,
    opens_at: o.opens_at,
    paused_at: null,
    remaining_minutes: null,
    scheduled_start: null,
    overdue_at: null,
    escalated_at: null,
    settings: o.settings,
    created_at: o.created_at,
    version: 1,
  };
}

/** The facts of a checkpoint after its closing. */
export function closedFacts(c: PlannedClosing): CheckpointFacts {
  return {
    ...c.checkpoint,
    state: c.state,
    paused_at: null,
    version: Number(c.checkpoint.version) + 1,
  };
}

/** The facts of a checkpoint after its re-timing. */
export function retimedFacts(r: PlannedRetiming): CheckpointFacts {
  return { ...r.checkpoint, ...r.set };
}

/**
 * The world as it is once the plan is written: what the engine keeps for the next step of the
 * same transaction, and what a second plan is made from.
 *
 * Example: `isEmptyPlan(planMilestone(applyPlan(world, plan), ctx, key, at))` when `plan` recorded
 * `key` at `at`.
 */
export function applyPlan<W extends Pick<CheckpointWorld, 'checkpoints' | 'milestones'>>(
  world: W,
  plan: CheckpointPlan,
): W {
  const changed = new Map<string, CheckpointFacts>();
  // A checkpoint re-timed and then settled in one plan is settled from its new times.
  for (const r of plan.retimings) changed.set(r.checkpoint.id, retimedFacts(r));
  for (const c of plan.closings) changed.set(c.checkpoint.id, closedFacts(c));
  const milestones = new Map(world.milestones);
  for (const m of plan.milestones) milestones.set(m.key, m.at);
  return {
    ...world,
    checkpoints: [
      ...world.checkpoints.map((row) => changed.get(row.id) ?? row),
      ...plan.openings.map((o) => changed.get(o.id) ?? openedFacts(o)),
    ],
    milestones,
  };
}
