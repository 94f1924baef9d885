import { LIFECYCLE_ANCHORS } from '../../playbooks/domain/playbook.js';
import {
  type CheckpointFacts,
  type CheckpointPlan,
  type CheckpointWorld,
  closedFacts,
  openedFacts,
  type PlanContext,
  type PlannedAuditEntry,
  type PlannedClosing,
  type PlannedMilestone,
  type PlannedOpening,
  type PlannedRetiming,
  type PlannedTimer,
  retimedFacts,
} from './checkpoint-plan.js';
import { beforeTargetOf, type CheckpointSettings, storedSettings } from './checkpoint-settings.js';
import { isPending } from './checkpoint-state.js';
import { timingOf } from './checkpoint-timing.js';
import { mayOpenOn, settlementOf } from './settle-checkpoints.js';

/** The lifecycle events of a handoff that checkpoints are anchored to or completed by. */
export type HandoffEventName = (typeof LIFECYCLE_ANCHORS)[number];

/**
 * What a lifecycle event does to the handoff's checkpoints: settles the ones it completes or
 * makes pointless (`settlementOf`), records the event as a milestone and opens or moves the
 * checkpoints anchored to it; on `created`, the engagement's contract date (when it has one) is
 * recorded as the `contract_signed` milestone as well. `world.handoff` is the handoff as the event
 * left it, and `world.milestones` holds the recorded times of the event's key and, on
 * `created`, of `contract_signed`. An event already recorded at this very time has been planned
 * before: it changes nothing again (so a repeated delivery of one event is harmless).
 *
 * Example: a PS handoff submitted on Tuesday 10:00 plans the acceptance review, due two working
 * days later, with its timer and its `checkpoint.created` entry:
 * `planHandoffEvent(world, ctx, { event: 'submitted', at })`.
 */
export function planHandoffEvent(
  world: CheckpointWorld,
  ctx: PlanContext,
  input: { event: HandoffEventName; at: Date; contractSignedAt?: Date | null },
): CheckpointPlan {
  if (world.milestones.get(input.event) === input.at.toISOString()) return EMPTY;
  const planning = new Planning(world, ctx);
  planning.settle(input.event);
  planning.milestone(input.event, input.at);
  if (input.event === 'created' && input.contractSignedAt)
    planning.milestone('contract_signed', input.contractSignedAt);
  return planning.plan();
}

/**
 * Records (or moves) a milestone of the handoff and brings the checkpoints anchored to it in
 * line: an open one is re-timed, a missing one is opened (unless the handoff's state means it can
 * no longer matter, or one was opened for this very time already). A checkpoint due before
 * another one is not opened here but with that one; when the other is scheduled or held (its
 * milestone), it moves before that time. A checkpoint whose clock is paused keeps its remaining
 * time. A milestone already at this time changes nothing.
 *
 * Example: `planMilestone(world, ctx, 'first_visit', new Date('2026-03-10T14:00:00Z'))`.
 */
export function planMilestone(
  world: CheckpointWorld,
  ctx: PlanContext,
  key: string,
  at: Date,
): CheckpointPlan {
  const planning = new Planning(world, ctx);
  planning.milestone(key, at);
  return planning.plan();
}

/**
 * The checkpoints due before `key` brought in line with its planned time, after its due time
 * moved outside a milestone (its clock resumed). Chains follow in turn.
 *
 * Example: `planFollowing(world, ctx, 'closeout_meeting')`.
 */
export function planFollowing(world: CheckpointWorld, ctx: PlanContext, key: string): CheckpointPlan {
  const planning = new Planning(world, ctx);
  planning.follow([{ key, opened: false }]);
  return planning.plan();
}

/**
 * Settles one pending checkpoint: done with its outcome, or waived with a reason. Needs nothing
 * but the checkpoint, so it is planned without reading the rest of the handoff.
 *
 * Example: `planClosing(row, ctx, { state: 'waived', outcome: null, reason: 'Held before Baton' })`.
 */
export function planClosing(
  checkpoint: CheckpointFacts,
  ctx: PlanContext,
  close: { state: 'done' | 'waived'; outcome: unknown; reason: string | null },
): CheckpointPlan {
  const closing = closingOf(checkpoint, ctx, close);
  return { ...EMPTY, closings: [closing], audit: [closingEntry(closing)] };
}

const EMPTY: CheckpointPlan = {
  milestones: [],
  closings: [],
  retimings: [],
  openings: [],
  timers: [],
  audit: [],
  teamsWanted: [],
};

function closingOf(
  checkpoint: CheckpointFacts,
  ctx: PlanContext,
  close: { state: 'done' | 'waived'; outcome: unknown; reason: string | null },
): PlannedClosing {
  return { checkpoint, ...close, at: ctx.now.toISOString(), by: ctx.actorId };
}

function closingEntry(c: PlannedClosing): PlannedAuditEntry {
  return {
    action: c.state === 'done' ? 'checkpoint.completed' : 'checkpoint.waived',
    entityType: 'checkpoint',
    entityId: c.checkpoint.id,
    handoffId: c.checkpoint.handoff_id,
    engagementId: c.checkpoint.engagement_id,
    before: { state: c.checkpoint.state },
    after: { state: c.state, outcome: c.outcome, reason: c.reason },
  };
}

/** A checkpoint that opened or moved, for the ones due before it to follow. */
interface Followed {
  key: string;
  opened: boolean;
}

/**
 * One plan in the making: the checkpoints and milestones as the plan so far leaves them, and the
 * changes that lead there. Each step reads the working state, so later steps see what earlier
 * ones opened, moved or settled.
 */
class Planning {
  private readonly byKey: ReadonlyMap<string, CheckpointSettings>;
  private readonly checkpoints: CheckpointFacts[];
  private readonly milestones: Map<string, string>;
  private readonly recorded = new Map<string, PlannedMilestone>();
  private readonly closings: PlannedClosing[] = [];
  private readonly retimings = new Map<string, PlannedRetiming>();
  private readonly openings = new Map<string, PlannedOpening>();
  private readonly timers = new Map<string, PlannedTimer>();
  private readonly audit: PlannedAuditEntry[] = [];
  /** Where each opening's `checkpoint.created` entry is, to give it the opening's final times. */
  private readonly openingEntries = new Map<string, number>();
  private readonly teamsWanted = new Set<string>();
  private readonly nowIso: string;

  constructor(
    private readonly world: CheckpointWorld,
    private readonly ctx: PlanContext,
  ) {
    this.byKey = new Map(world.settings.map((s) => [s.key, s]));
    this.checkpoints = [...world.checkpoints];
    this.milestones = new Map(world.milestones);
    this.nowIso = ctx.now.toISOString();
  }

  plan(): CheckpointPlan {
    return {
      milestones: [...this.recorded.values()],
      closings: this.closings,
      retimings: [...this.retimings.values()],
      openings: [...this.openings.values()],
      timers: [...this.timers.values()],
      audit: this.audit,
      teamsWanted: [...this.teamsWanted],
    };
  }

  /** Settles the pending checkpoints the event completes or makes pointless. */
  settle(event: string): void {
    for (const row of this.checkpoints) {
      if (!isPending(row.state)) continue;
      const settlement = settlementOf(event, storedSettings(row.settings));
      if (settlement?.state === 'done')
        this.close(row, { state: 'done', outcome: settlement.outcome, reason: null });
      else if (settlement) this.close(row, { state: 'waived', outcome: null, reason: settlement.reason });
    }
  }

  private close(
    row: CheckpointFacts,
    close: { state: 'done' | 'waived'; outcome: unknown; reason: string | null },
  ): void {
    const closing = closingOf(row, this.ctx, close);
    this.closings.push(closing);
    this.replace(closedFacts(closing));
    this.audit.push(closingEntry(closing));
  }

  milestone(key: string, at: Date): void {
    const iso = at.toISOString();
    const before = this.milestones.get(key) ?? null;
    if (before === iso) return;
    const audited = !(LIFECYCLE_ANCHORS as readonly string[]).includes(key);
    // Recorded twice in one plan, it is written once, at its last time, with what it had before.
    const { handoff } = this.world;
    this.recorded.set(key, {
      handoffId: handoff.id,
      key,
      at: iso,
      before: this.recorded.get(key)?.before ?? before,
      audited,
    });
    this.milestones.set(key, iso);
    if (audited)
      this.audit.push({
        action: 'milestone.recorded',
        entityType: 'milestone',
        entityId: `${handoff.id}:${key}`,
        handoffId: handoff.id,
        engagementId: handoff.engagement_id,
        before: before === null ? null : { at: before },
        after: { key, at: iso },
      });
    const followed: Followed[] = [];
    for (const s of this.world.settings) {
      if (s.due.anchor !== key) continue;
      const rows = this.checkpoints.filter((r) => r.def_key === s.key);
      const open = rows.find((r) => isPending(r.state));
      if (open) {
        if (open.paused_at === null) this.retime(followed, open, s, at);
      } else if (
        beforeTargetOf(s, this.byKey) === undefined &&
        !rows.some((r) => r.anchor_at === iso) &&
        mayOpenOn(handoff.state, s)
      ) {
        this.open(followed, s, at);
      }
    }
    this.follow(followed);
  }

  /**
   * Brings the checkpoints due before a checkpoint that moved in line with its planned time (its
   * scheduled start, else its due time); re-timed in turn, they bring theirs. When the other one
   * has just opened they open with it, unless one is still open from before. One pass per key.
   */
  follow(followed: Followed[]): void {
    const seen = new Set<string>();
    for (let next = followed.shift(); next; next = followed.shift()) {
      if (seen.has(next.key)) continue;
      seen.add(next.key);
      const followers = this.world.settings.filter((s) => beforeTargetOf(s, this.byKey) === next.key);
      if (followers.length === 0) continue;
      const targets = this.checkpoints.filter((r) => r.def_key === next.key);
      const target = targets.find((r) => isPending(r.state)) ?? targets.at(-1);
      if (!target) continue;
      const plannedAt = new Date(target.scheduled_start ?? target.due_at);
      for (const s of followers) {
        const open = this.checkpoints.find((r) => r.def_key === s.key && isPending(r.state));
        if (open) {
          if (open.paused_at === null) this.retime(followed, open, s, plannedAt);
        } else if (next.opened && mayOpenOn(this.world.handoff.state, s)) {
          this.open(followed, s, plannedAt);
        }
      }
    }
  }

  /**
   * Moves an open checkpoint to its anchor's new time: due time and window again. Unchanged, it
   * is left alone; moved, it is audited, its timer set and the ones due before it follow.
   */
  private retime(followed: Followed[], row: CheckpointFacts, s: CheckpointSettings, anchorAt: Date): void {
    const timing = timingOf(s, anchorAt, new Date(row.created_at), this.world.calendar);
    const anchorIso = anchorAt.toISOString();
    const dueIso = timing.due.toISOString();
    const opensIso = timing.opensAt.toISOString();
    if (row.anchor_at === anchorIso && row.due_at === dueIso && row.opens_at === opensIso) return;
    this.timers.set(row.id, { checkpointId: row.id, dueAt: dueIso });
    const opening = this.openings.get(row.id);
    if (opening) {
      // Opened by this plan: it is written once, with its final times.
      const moved = { ...opening, anchor_at: anchorIso, due_at: dueIso, opens_at: opensIso };
      this.openings.set(row.id, moved);
      this.replace(openedFacts(moved));
      const entry = this.openingEntries.get(row.id)!;
      this.audit[entry] = openingEntry(moved);
      followed.push({ key: row.def_key, opened: false });
      return;
    }
    const state = dueIso > this.nowIso ? 'open' : row.state;
    // Moved twice in one plan, it is written once, from the row as it was read.
    const earlier = this.retimings.get(row.id);
    const retiming: PlannedRetiming = {
      checkpoint: earlier?.checkpoint ?? row,
      set: {
        anchor_at: anchorIso,
        due_at: dueIso,
        opens_at: opensIso,
        state,
        overdue_at: state === 'open' ? null : row.overdue_at,
        escalated_at: state === 'open' ? null : row.escalated_at,
        updated_at: this.nowIso,
        version: earlier?.set.version ?? Number(row.version) + 1,
      },
    };
    this.retimings.set(row.id, retiming);
    this.replace(retimedFacts(retiming));
    this.audit.push({
      action: 'checkpoint.rescheduled',
      entityType: 'checkpoint',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: { due_at: row.due_at, opens_at: row.opens_at, state: row.state },
      after: { due_at: dueIso, opens_at: opensIso, state },
    });
    if (row.due_at !== dueIso) followed.push({ key: row.def_key, opened: false });
  }

  /** Opens a checkpoint whose anchor is (or will be) at `anchorAt`; the ones due before it open with it. */
  private open(followed: Followed[], s: CheckpointSettings, anchorAt: Date): void {
    const { handoff, calendar, teams } = this.world;
    const { due, opensAt } = timingOf(s, anchorAt, this.ctx.now, calendar);
    let teamId = handoff.receiving_team_id;
    let userId: string | null = handoff.assignee_user_id;
    if (s.owner === 'sender') {
      teamId = handoff.sending_team_id;
      userId = handoff.created_by;
    } else if (s.owner !== 'receiver') {
      // A team the organisation lacks leaves the checkpoint with the receiving team.
      if (teams === undefined) this.teamsWanted.add(s.owner);
      teamId = teams?.get(s.owner) ?? teamId;
      userId = null;
    }
    const opening: PlannedOpening = {
      id: this.ctx.newId(),
      handoff_id: handoff.id,
      engagement_id: handoff.engagement_id,
      def_key: s.key,
      name: s.name,
      kind: s.kind,
      due_expr: s.dueText,
      anchor_at: anchorAt.toISOString(),
      due_at: due.toISOString(),
      opens_at: opensAt.toISOString(),
      owner_team_id: teamId,
      owner_user_id: userId,
      settings: JSON.stringify(s),
      created_at: this.nowIso,
    };
    this.openings.set(opening.id, opening);
    this.checkpoints.push(openedFacts(opening));
    this.openingEntries.set(opening.id, this.audit.length);
    this.audit.push(openingEntry(opening));
    this.timers.set(opening.id, { checkpointId: opening.id, dueAt: opening.due_at });
    followed.push({ key: s.key, opened: true });
  }

  /** Puts the checkpoint as it now is in the working list. */
  private replace(row: CheckpointFacts): void {
    const at = this.checkpoints.findIndex((r) => r.id === row.id);
    if (at === -1) this.checkpoints.push(row);
    else this.checkpoints[at] = row;
  }
}

function openingEntry(o: PlannedOpening): PlannedAuditEntry {
  return {
    action: 'checkpoint.created',
    entityType: 'checkpoint',
    entityId: o.id,
    handoffId: o.handoff_id,
    engagementId: o.engagement_id,
    before: null,
    after: {
      key: o.def_key,
      kind: o.kind,
      due: o.due_expr,
      due_at: o.due_at,
      opens_at: o.opens_at,
      owner_team_id: o.owner_team_id,
    },
  };
}
