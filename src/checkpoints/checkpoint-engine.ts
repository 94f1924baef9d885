import { appendAudit } from '../audit/append-audit.js';
import { calendarFrom } from '../calendar/calendar-records.js';
import type { BusinessCalendar } from '../calendar/domain/business-calendar.js';
import type { Actor } from '../kernel/actor.js';
import { insertRows } from '../kernel/batch-writes.js';
import type { Tx } from '../kernel/context.js';
import type { CheckpointsTable, HandoffsTable } from '../kernel/db/schema.js';
import { publish } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import { LIFECYCLE_ANCHORS, type TransitionDef } from '../playbooks/domain/playbook.js';
import { playbookById } from '../playbooks/playbook-cache.js';
import { type JobRow, setTimers } from '../scheduler/job-queue.js';
import { checkpointDueJob } from './checkpoint-due-job.js';
import { settingsOfRow, updateCheckpoint } from './checkpoint-records.js';
import {
  beforeTargetOf,
  type CheckpointSettings,
  settingsOfTransition,
} from './domain/checkpoint-settings.js';
import { isPending } from './domain/checkpoint-state.js';
import { type Timing, timingOf } from './domain/checkpoint-timing.js';
import { mayOpenOn, settlementOf } from './domain/settle-checkpoints.js';

/** The lifecycle events of a handoff that checkpoints are anchored to or completed by. */
export type HandoffEventName =
  | 'created'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'withdrawn'
  | 'delivery_started'
  | 'closed';

/** The lifecycle event each note-only move of a handoff is. */
export const MOVE_EVENTS = {
  withdraw: 'withdrawn',
  start_delivery: 'delivery_started',
  close: 'closed',
} as const satisfies Record<string, HandoffEventName>;

/** Everything the engine needs about one handoff, read once per transaction. */
export interface EngineContext {
  trx: Tx;
  orgId: string;
  handoff: HandoffsTable;
  settings: CheckpointSettings[];
  /** The same settings by key. */
  byKey: ReadonlyMap<string, CheckpointSettings>;
  /** The playbook's stages in order and the two the handoff's transition joins. */
  journey: { stages: string[]; from: string; to: string } | null;
  now: Date;
  actor: Actor;
  /** The organisation's business calendar, once read (with the checkpoints, when first needed). */
  calendar?: BusinessCalendar;
  /**
   * The handoff's checkpoints as this transaction has left them, once the engine has read them
   * for a run of its own steps (see `onHandoffEvent`); each step keeps the list current.
   */
  checkpoints?: CheckpointsTable[];
}

export async function engineContext(
  trx: Tx,
  orgId: string,
  handoffId: string,
  now: Date,
  actor: Actor,
): Promise<EngineContext> {
  const handoff = await trx
    .selectFrom('handoffs')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', handoffId)
    .executeTakeFirstOrThrow();
  return contextOf(trx, orgId, handoff, now, actor);
}

async function contextOf(
  trx: Tx,
  orgId: string,
  handoff: HandoffsTable,
  now: Date,
  actor: Actor,
): Promise<EngineContext> {
  const playbook = await playbookById(trx, orgId, handoff.playbook_id);
  const def = playbook.transition(handoff.transition_key)?.def;
  const settings = def ? trackedSettings(def) : [];
  return {
    trx,
    orgId,
    handoff,
    settings,
    byKey: new Map(settings.map((s) => [s.key, s])),
    journey: def
      ? { stages: playbook.playbook.stages.map((stage) => stage.key), from: def.from, to: def.to }
      : null,
    now,
    actor,
  };
}

// Settings derive from the playbook's definition alone, which never changes once written.
const settingsByTransition = new WeakMap<TransitionDef, CheckpointSettings[]>();

/** The checkpoints of a transition that the engine tracks, with their defaults filled in. */
function trackedSettings(def: TransitionDef): CheckpointSettings[] {
  let settings = settingsByTransition.get(def);
  if (!settings) {
    settings = settingsOfTransition(def.checkpoints ?? []);
    settingsByTransition.set(def, settings);
  }
  return settings;
}

/**
 * The organisation's business calendar and the handoff's checkpoints, read together: the
 * calendar once per context, the checkpoints as the context keeps them or read now.
 */
async function calendarAndCheckpoints(
  ctx: EngineContext,
): Promise<{ calendar: BusinessCalendar; checkpoints: CheckpointsTable[] }> {
  if (ctx.calendar && ctx.checkpoints) return { calendar: ctx.calendar, checkpoints: ctx.checkpoints };
  const rows = await selectCalendarAndCheckpoints.rows(ctx.trx, {
    orgId: ctx.orgId,
    handoffId: ctx.handoff.id,
  });
  const first = rows[0];
  if (!first) throw new Error(`No organisation ${ctx.orgId}`);
  ctx.calendar ??= calendarFrom({
    time_zone: first.calendar_time_zone,
    working_days: first.calendar_working_days,
    day_start: first.calendar_day_start,
    day_end: first.calendar_day_end,
    holidays: first.calendar_holidays,
  });
  const checkpoints = rows.flatMap(
    ({
      calendar_time_zone: _zone,
      calendar_working_days: _days,
      calendar_day_start: _start,
      calendar_day_end: _end,
      calendar_holidays: _holidays,
      ...checkpoint
    }) => (checkpoint.id === null ? [] : [checkpoint as CheckpointsTable]),
  );
  return { calendar: ctx.calendar, checkpoints: ctx.checkpoints ?? checkpoints };
}

// One row per checkpoint of the handoff (one with no checkpoint if it has none), each with the
// organisation's calendar; the handoff index returns the checkpoints in insertion order.
const selectCalendarAndCheckpoints = preparedQuery((db, v: { orgId: string; handoffId: string }) =>
  db
    .selectFrom('organisations')
    .leftJoin('business_calendars', 'business_calendars.org_id', 'organisations.id')
    .leftJoin('checkpoints', (join) =>
      join
        .onRef('checkpoints.org_id', '=', 'organisations.id')
        .on('checkpoints.handoff_id', '=', v.handoffId),
    )
    .selectAll('checkpoints')
    .select([
      'organisations.time_zone as calendar_time_zone',
      'business_calendars.working_days as calendar_working_days',
      'business_calendars.day_start as calendar_day_start',
      'business_calendars.day_end as calendar_day_end',
      'business_calendars.holidays as calendar_holidays',
    ])
    .where('organisations.id', '=', v.orgId),
);

/** Puts the checkpoint as it now is into the context's list, when the context keeps one. */
function remember(ctx: EngineContext, row: CheckpointsTable): void {
  if (!ctx.checkpoints) return;
  const at = ctx.checkpoints.findIndex((r) => r.id === row.id);
  if (at === -1) ctx.checkpoints.push(row);
  else ctx.checkpoints[at] = row;
}

/** The due timer of a checkpoint: one job per checkpoint, moved whenever its due time moves. */
export async function setDueTimer(trx: Tx, orgId: string, checkpointId: string, due: Date, now: Date) {
  await setTimers(trx, [dueTimer(orgId, checkpointId, due, now)]);
}

function dueTimer(orgId: string, checkpointId: string, due: Date, now: Date): JobRow {
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

/**
 * Called inside the transaction of a lifecycle change (by the checkpoints' subscribers of the
 * handoff events, `handoff-subscribers.ts`), with the handoff as the change left it: settles the
 * checkpoints the event completes or makes pointless (see `settlementOf`), records the event as a
 * milestone and opens (or moves) the checkpoints anchored to it.
 */
export async function onHandoffEvent(
  trx: Tx,
  input: { orgId: string; handoff: HandoffsTable; event: HandoffEventName; at: Date; actor: Actor },
): Promise<void> {
  const ctx = await contextOf(trx, input.orgId, input.handoff, input.at, input.actor);
  ctx.checkpoints = (await calendarAndCheckpoints(ctx)).checkpoints;
  for (const row of ctx.checkpoints.filter((r) => isPending(r.state))) {
    const settlement = settlementOf(input.event, settingsOfRow(row));
    if (settlement?.state === 'done') await closeCheckpoint(ctx, row, 'done', settlement.outcome);
    else if (settlement) await closeCheckpoint(ctx, row, 'waived', null, settlement.reason);
  }
  await recordMilestone(ctx, input.event, input.at);
  if (input.event === 'created') {
    const engagement = await trx
      .selectFrom('engagements')
      .select('contract_signed_at')
      .where('id', '=', ctx.handoff.engagement_id)
      .executeTakeFirst();
    if (engagement?.contract_signed_at) {
      await recordMilestone(ctx, 'contract_signed', new Date(engagement.contract_signed_at));
    }
  }
}

/** Marks a pending checkpoint done or waived and publishes it (`checkpoint.completed`, `.waived`). */
export async function closeCheckpoint(
  ctx: EngineContext,
  row: CheckpointsTable,
  state: 'done' | 'waived',
  outcome: unknown,
  reason?: string,
): Promise<CheckpointsTable> {
  const at = ctx.now.toISOString();
  const updated = await updateCheckpoint(ctx.trx, row, {
    state,
    outcome: outcome === null ? null : JSON.stringify(outcome),
    waive_reason: reason ?? null,
    completed_at: at,
    completed_by: ctx.actor.id,
    paused_at: null,
    updated_at: at,
  });
  remember(ctx, updated);
  const change = { orgId: ctx.orgId, actor: ctx.actor, at: ctx.now, checkpoint: updated, from: row.state };
  await publish(
    ctx.trx,
    state === 'done'
      ? { type: 'checkpoint.completed', ...change, outcome }
      : { type: 'checkpoint.waived', ...change, reason: reason ?? '' },
  );
  return updated;
}

/**
 * What one run of the engine opened and moved, written together at its end: new checkpoints in
 * one insert, every timer (one per checkpoint, the last time set) in one statement.
 */
interface Changes {
  opened: CheckpointsTable[];
  timers: Map<string, JobRow>;
  /** Checkpoints opened or re-timed, by key, for the ones due before them to follow. */
  followed: { key: string; opened: boolean }[];
}

const noChanges = (): Changes => ({ opened: [], timers: new Map(), followed: [] });

async function writeChanges(ctx: EngineContext, changes: Changes): Promise<void> {
  await followTargets(ctx, changes);
  await insertRows(ctx.trx, 'checkpoints', changes.opened);
  await setTimers(ctx.trx, [...changes.timers.values()]);
  for (const checkpoint of changes.opened)
    await publish(ctx.trx, {
      type: 'checkpoint.opened',
      orgId: ctx.orgId,
      actor: ctx.actor,
      at: ctx.now,
      checkpoint,
    });
}

/**
 * Records (or moves) a milestone of the handoff and brings the checkpoints anchored to it in
 * line: an open one is re-timed, a missing one is opened (unless the handoff's state means it
 * can no longer matter). A checkpoint due before another one is not opened here but with that
 * one; when the other is scheduled or held (its milestone), it moves before that time. A
 * checkpoint whose clock is paused keeps its remaining time. A `contract_signed` milestone is
 * the engagement's contract date too.
 */
export async function recordMilestone(ctx: EngineContext, key: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  // A lifecycle event is already in the audit chain as the handoff change it is; only the
  // milestones recorded on their own (first_visit, contract_signed, a meeting held) get an entry.
  const moved = (LIFECYCLE_ANCHORS as readonly string[]).includes(key)
    ? await writeLifecycleMilestone(ctx, key, iso)
    : await writeAuditedMilestone(ctx, key, iso);
  if (!moved) return;
  const anchored = ctx.settings.filter((c) => c.due.anchor === key);
  if (anchored.length === 0) return;
  // Kept in the context from here on, so the steps of this run see what the earlier ones opened.
  ctx.checkpoints = (await calendarAndCheckpoints(ctx)).checkpoints;
  const { checkpoints } = ctx;
  const changes = noChanges();
  for (const s of anchored) {
    const rows = checkpoints.filter((r) => r.def_key === s.key);
    const open = rows.find((r) => isPending(r.state));
    if (open) {
      if (open.paused_at === null) await retime(ctx, changes, open, s, at);
    } else if (
      beforeTargetOf(s, ctx.byKey) === undefined &&
      !rows.some((r) => r.anchor_at === iso) &&
      mayOpenOn(ctx.handoff.state, s)
    ) {
      await openCheckpoint(ctx, changes, s, at);
    }
  }
  await writeChanges(ctx, changes);
}

/**
 * Brings the checkpoints due before a checkpoint that moved in line with its planned time (its
 * scheduled start, else its due time); re-timed in turn, they bring theirs. When the other one
 * has just opened they open with it, unless one is still open from before.
 */
async function followTargets(ctx: EngineContext, changes: Changes): Promise<void> {
  const seen = new Set<string>();
  for (let next = changes.followed.shift(); next; next = changes.followed.shift()) {
    if (seen.has(next.key)) continue;
    seen.add(next.key);
    const followers = ctx.settings.filter((s) => beforeTargetOf(s, ctx.byKey) === next.key);
    if (followers.length === 0) continue;
    const checkpoints = ctx.checkpoints ?? [];
    const targets = checkpoints.filter((r) => r.def_key === next.key);
    const target = targets.find((r) => isPending(r.state)) ?? targets.at(-1);
    if (!target) continue;
    const plannedAt = new Date(target.scheduled_start ?? target.due_at);
    for (const s of followers) {
      const open = checkpoints.find((r) => r.def_key === s.key && isPending(r.state));
      if (open) {
        if (open.paused_at === null) await retime(ctx, changes, open, s, plannedAt);
      } else if (next.opened && mayOpenOn(ctx.handoff.state, s)) {
        await openCheckpoint(ctx, changes, s, plannedAt);
      }
    }
  }
}

/**
 * Resumed, re-timed by hand: the checkpoints due before this one follow its new time. For the
 * use cases that move a checkpoint's due time outside a milestone (resuming its clock).
 */
export async function followCheckpoint(ctx: EngineContext, key: string): Promise<void> {
  ctx.checkpoints = (await calendarAndCheckpoints(ctx)).checkpoints;
  const changes = noChanges();
  changes.followed.push({ key, opened: false });
  await writeChanges(ctx, changes);
}

/**
 * Records a lifecycle event's milestone in one statement (its earlier time is not audited, so
 * not read); false when it was already recorded at this time.
 */
async function writeLifecycleMilestone(ctx: EngineContext, key: string, iso: string): Promise<boolean> {
  const written = await upsertMilestone.first(ctx.trx, {
    id: newId(),
    orgId: ctx.orgId,
    handoffId: ctx.handoff.id,
    key,
    at: iso,
    recordedBy: ctx.actor.id,
    recordedAt: ctx.now.toISOString(),
  });
  return written !== undefined;
}

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
      )
      .returning('id'),
);

/** Records a milestone and audits it with the time it had before; false when it already had this one. */
async function writeAuditedMilestone(ctx: EngineContext, key: string, iso: string): Promise<boolean> {
  const { trx, handoff } = ctx;
  const existing = await trx
    .selectFrom('milestones')
    .selectAll()
    .where('handoff_id', '=', handoff.id)
    .where('key', '=', key)
    .executeTakeFirst();
  if (existing?.at === iso) return false;
  if (existing) {
    await trx
      .updateTable('milestones')
      .set({ at: iso, recorded_by: ctx.actor.id, recorded_at: ctx.now.toISOString() })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await trx
      .insertInto('milestones')
      .values({
        id: newId(),
        org_id: ctx.orgId,
        handoff_id: handoff.id,
        key,
        at: iso,
        recorded_by: ctx.actor.id,
        recorded_at: ctx.now.toISOString(),
      })
      .execute();
  }
  await publish(trx, {
    type: 'milestone.recorded',
    orgId: ctx.orgId,
    actor: ctx.actor,
    at: ctx.now,
    handoff,
    key,
    milestoneAt: iso,
    previousAt: existing?.at ?? null,
  });
  return true;
}

/**
 * Moves an open checkpoint to its anchor's new time: due time and window again. Unchanged, it is
 * left alone; moved, it is audited, its timer set and the ones due before it follow.
 */
async function retime(
  ctx: EngineContext,
  changes: Changes,
  row: CheckpointsTable,
  s: CheckpointSettings,
  anchorAt: Date,
): Promise<void> {
  const { calendar } = await calendarAndCheckpoints(ctx);
  const timing = timingOf(s, anchorAt, new Date(row.created_at), calendar);
  const now = ctx.now.toISOString();
  const dueIso = timing.due.toISOString();
  const opensIso = timing.opensAt.toISOString();
  if (row.anchor_at === anchorAt.toISOString() && row.due_at === dueIso && row.opens_at === opensIso) return;
  const unwritten = changes.opened.findIndex((r) => r.id === row.id);
  if (unwritten !== -1) {
    // Opened in this run and not yet written: it is written with its final times.
    const moved = { ...row, anchor_at: anchorAt.toISOString(), due_at: dueIso, opens_at: opensIso };
    changes.opened[unwritten] = moved;
    remember(ctx, moved);
    changes.timers.set(row.id, dueTimer(ctx.orgId, row.id, timing.due, ctx.now));
    changes.followed.push({ key: row.def_key, opened: false });
    return;
  }
  const state = dueIso > now ? 'open' : row.state;
  const update = {
    anchor_at: anchorAt.toISOString(),
    due_at: dueIso,
    opens_at: opensIso,
    state,
    overdue_at: state === 'open' ? null : row.overdue_at,
    escalated_at: state === 'open' ? null : row.escalated_at,
    updated_at: now,
    version: Number(row.version) + 1,
  };
  await retimeCheckpoint.rows(ctx.trx, { ...update, id: row.id });
  remember(ctx, { ...row, ...update });
  await appendAudit(ctx.trx, ctx.orgId, ctx.actor, ctx.now, {
    action: 'checkpoint.rescheduled',
    entityType: 'checkpoint',
    entityId: row.id,
    handoffId: row.handoff_id,
    engagementId: row.engagement_id,
    before: { due_at: row.due_at, opens_at: row.opens_at, state: row.state },
    after: { due_at: dueIso, opens_at: opensIso, state },
  });
  changes.timers.set(row.id, dueTimer(ctx.orgId, row.id, timing.due, ctx.now));
  if (row.due_at !== dueIso) changes.followed.push({ key: row.def_key, opened: false });
}

const retimeCheckpoint = preparedQuery(
  (
    db,
    v: {
      id: string;
      anchor_at: string;
      due_at: string;
      opens_at: string;
      state: string;
      overdue_at: string | null;
      escalated_at: string | null;
      updated_at: string;
      version: number;
    },
  ) =>
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
 * Opens a checkpoint whose anchor is (or will be) at `anchorAt`: audited and remembered, written
 * with the run's other changes; the ones due before it open with it.
 */
async function openCheckpoint(
  ctx: EngineContext,
  changes: Changes,
  s: CheckpointSettings,
  anchorAt: Date,
): Promise<void> {
  const { handoff } = ctx;
  const { calendar } = await calendarAndCheckpoints(ctx);
  const { due, opensAt }: Timing = timingOf(s, anchorAt, ctx.now, calendar);
  let teamId = handoff.receiving_team_id;
  let userId: string | null = handoff.assignee_user_id;
  if (s.owner === 'sender') {
    teamId = handoff.sending_team_id;
    userId = handoff.created_by;
  } else if (s.owner !== 'receiver') {
    const team = await ctx.trx
      .selectFrom('teams')
      .select('id')
      .where('org_id', '=', ctx.orgId)
      .where('key', '=', s.owner)
      .executeTakeFirst();
    userId = null;
    if (team) teamId = team.id;
  }
  const id = newId();
  const now = ctx.now.toISOString();
  const row: CheckpointsTable = {
    id,
    org_id: ctx.orgId,
    handoff_id: handoff.id,
    engagement_id: handoff.engagement_id,
    def_key: s.key,
    name: s.name,
    kind: s.kind,
    state: 'open',
    due_expr: s.dueText,
    anchor_at: anchorAt.toISOString(),
    due_at: due.toISOString(),
    opens_at: opensAt.toISOString(),
    owner_team_id: teamId,
    owner_user_id: userId,
    settings: JSON.stringify(s),
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
    created_at: now,
    updated_at: now,
    version: 1,
  };
  remember(ctx, row);
  await appendAudit(ctx.trx, ctx.orgId, ctx.actor, ctx.now, {
    action: 'checkpoint.created',
    entityType: 'checkpoint',
    entityId: id,
    handoffId: handoff.id,
    engagementId: handoff.engagement_id,
    after: {
      key: s.key,
      kind: s.kind,
      due: s.dueText,
      due_at: due.toISOString(),
      opens_at: opensAt.toISOString(),
      owner_team_id: teamId,
    },
  });
  changes.opened.push(row);
  changes.timers.set(id, dueTimer(ctx.orgId, id, due, ctx.now));
  changes.followed.push({ key: s.key, opened: true });
}
