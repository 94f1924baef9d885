import { calendarFrom, rememberCalendar } from '../calendar/calendar-records.js';
import type { BusinessCalendar } from '../calendar/domain/business-calendar.js';
import type { Actor } from '../kernel/actor.js';
import type { Tx } from '../kernel/context.js';
import type { CheckpointsTable, HandoffsTable } from '../kernel/db/schema.js';
import { newId } from '../kernel/ids.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import type { TransitionDef } from '../playbooks/domain/playbook.js';
import { playbookById } from '../playbooks/playbook-cache.js';
import { setTimers } from '../scheduler/job-queue.js';
import {
  applyPlan,
  type CheckpointPlan,
  type CheckpointWorld,
  type PlanContext,
} from './domain/checkpoint-plan.js';
import { type CheckpointSettings, settingsOfTransition } from './domain/checkpoint-settings.js';
import {
  type HandoffEventName,
  planClosing,
  planFollowing,
  planHandoffEvent,
  planMilestone,
} from './domain/plan-checkpoints.js';
import { dueTimer, writeCheckpointPlan } from './write-checkpoint-plan.js';

/*
 * The checkpoint engine is read, plan, write: each entry point reads what the planner needs about
 * the handoff (its checkpoints, the calendar and the milestones it records, in one query), asks
 * the pure planner (`domain/plan-checkpoints.ts`) what changes, and has the writer
 * (`write-checkpoint-plan.ts`) apply the plan in the transaction. Nothing here decides what
 * happens to a checkpoint.
 */

export type { HandoffEventName };

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
  now: Date;
  actor: Actor;
  /**
   * What the planner reads, once read, as this transaction's plans have left it: the calendar,
   * the handoff's checkpoints, the milestones read so far (`read` names every key looked up, found
   * or not) and the named owner teams once needed.
   */
  world?: Omit<CheckpointWorld, 'handoff' | 'settings'> & { read: ReadonlySet<string> };
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
 * What the planner reads about the context's handoff, with the milestones of `keys`: read in one
 * query the first time (calendar, checkpoints and the first key's milestone), then as the
 * context keeps it, reading only a milestone it has not looked up yet.
 */
async function worldOf(ctx: EngineContext, keys: readonly string[]): Promise<CheckpointWorld> {
  if (!ctx.world) {
    const key = keys[0] ?? '';
    const rows = await selectWorld.rows(ctx.trx, { orgId: ctx.orgId, handoffId: ctx.handoff.id, key });
    const first = rows[0];
    if (!first) throw new Error(`No organisation ${ctx.orgId}`);
    const calendar: BusinessCalendar = calendarFrom({
      time_zone: first.calendar_time_zone,
      working_days: first.calendar_working_days,
      day_start: first.calendar_day_start,
      day_end: first.calendar_day_end,
      holidays: first.calendar_holidays,
    });
    rememberCalendar(ctx.trx, ctx.orgId, calendar);
    const checkpoints = rows.flatMap(
      ({
        calendar_time_zone: _zone,
        calendar_working_days: _days,
        calendar_day_start: _start,
        calendar_day_end: _end,
        calendar_holidays: _holidays,
        milestone_at: _at,
        ...checkpoint
      }) => (checkpoint.id === null ? [] : [checkpoint as CheckpointsTable]),
    );
    ctx.world = {
      calendar,
      checkpoints,
      milestones: new Map(first.milestone_at === null ? [] : [[key, first.milestone_at]]),
      read: new Set([key]),
    };
  }
  const unread = keys.filter((key) => !ctx.world!.read.has(key));
  if (unread.length > 0) {
    const milestones = new Map(ctx.world.milestones);
    for (const key of unread) {
      const found = await selectMilestone.first(ctx.trx, {
        orgId: ctx.orgId,
        handoffId: ctx.handoff.id,
        key,
      });
      if (found) milestones.set(key, found.at);
    }
    ctx.world = { ...ctx.world, milestones, read: new Set([...ctx.world.read, ...unread]) };
  }
  return { ...ctx.world, handoff: ctx.handoff, settings: ctx.settings };
}

// One row per checkpoint of the handoff (one with no checkpoint if it has none), each with the
// organisation's calendar and the time of one milestone of the handoff (null when not recorded);
// the handoff index returns the checkpoints in insertion order.
const selectWorld = preparedQuery((db, v: { orgId: string; handoffId: string; key: string }) =>
  db
    .selectFrom('organisations')
    .leftJoin('business_calendars', 'business_calendars.org_id', 'organisations.id')
    .leftJoin('milestones', (join) =>
      join
        .onRef('milestones.org_id', '=', 'organisations.id')
        .on('milestones.handoff_id', '=', v.handoffId)
        .on('milestones.key', '=', v.key),
    )
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
      'milestones.at as milestone_at',
    ])
    .where('organisations.id', '=', v.orgId),
);

const selectMilestone = preparedQuery((db, v: { orgId: string; handoffId: string; key: string }) =>
  db
    .selectFrom('milestones')
    .select('at')
    .where('org_id', '=', v.orgId)
    .where('handoff_id', '=', v.handoffId)
    .where('key', '=', v.key),
);

/**
 * Reads what the plan `make` answers needs, plans, writes the plan and keeps the world as it
 * leaves it for the context's next step. A plan that opens a checkpoint owned by a named team is
 * made again once the teams are read (rare: the built-in playbooks name none).
 */
async function planAndWrite(
  ctx: EngineContext,
  keys: readonly string[],
  make: (world: CheckpointWorld, planning: PlanContext) => CheckpointPlan,
): Promise<CheckpointPlan> {
  let world = await worldOf(ctx, keys);
  const planning = planContextOf(ctx);
  let plan = make(world, planning);
  if (plan.teamsWanted.length > 0) {
    const teams = await ctx.trx
      .selectFrom('teams')
      .select(['id', 'key'])
      .where('org_id', '=', ctx.orgId)
      .where('key', 'in', plan.teamsWanted)
      .execute();
    world = { ...world, teams: new Map(teams.map((t) => [t.key, t.id])) };
    ctx.world = { ...ctx.world!, teams: world.teams! };
    plan = make(world, planning);
  }
  await writeCheckpointPlan(ctx.trx, ctx.orgId, ctx.actor, ctx.now, plan, ctx.handoff);
  keep(ctx, plan);
  return plan;
}

function planContextOf(ctx: EngineContext): PlanContext {
  return { now: ctx.now, actorId: ctx.actor.id, newId };
}

/** Keeps the context's world as the written plan leaves it, when the context has one. */
function keep(ctx: EngineContext, plan: CheckpointPlan): void {
  if (ctx.world) ctx.world = applyPlan(ctx.world, plan);
}

/** The due timer of a checkpoint: one job per checkpoint, moved whenever its due time moves. */
export async function setDueTimer(trx: Tx, orgId: string, checkpointId: string, due: Date, now: Date) {
  await setTimers(trx, [dueTimer(orgId, checkpointId, due, now)]);
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
  // A handoff opened on an engagement with a contract date has that date as a milestone.
  const contractSignedAt =
    input.event === 'created' ? await contractSignedAtOf(trx, input.orgId, ctx.handoff.engagement_id) : null;
  await planAndWrite(
    ctx,
    contractSignedAt ? [input.event, 'contract_signed'] : [input.event],
    (world, planning) =>
      planHandoffEvent(world, planning, { event: input.event, at: input.at, contractSignedAt }),
  );
}

async function contractSignedAtOf(trx: Tx, orgId: string, engagementId: string): Promise<Date | null> {
  const engagement = await trx
    .selectFrom('engagements')
    .select('contract_signed_at')
    .where('org_id', '=', orgId)
    .where('id', '=', engagementId)
    .executeTakeFirst();
  return engagement?.contract_signed_at ? new Date(engagement.contract_signed_at) : null;
}

/**
 * Marks a pending checkpoint done or waived and publishes it (`checkpoint.completed`, `.waived`).
 *
 * Example: `await closeCheckpoint(ctx, row, 'waived', null, 'Held before Baton')`.
 */
export async function closeCheckpoint(
  ctx: EngineContext,
  row: CheckpointsTable,
  state: 'done' | 'waived',
  outcome: unknown,
  reason?: string,
): Promise<CheckpointsTable> {
  const plan = planClosing(row, planContextOf(ctx), { state, outcome, reason: reason ?? null });
  const [closed] = await writeCheckpointPlan(ctx.trx, ctx.orgId, ctx.actor, ctx.now, plan, ctx.handoff);
  keep(ctx, plan);
  return closed!;
}

/**
 * Records (or moves) a milestone of the handoff and brings the checkpoints anchored to it in
 * line (see `planMilestone`). A milestone recorded on its own is published (`milestone.recorded`):
 * the accounts feature makes a `contract_signed` one the engagement's contract date.
 *
 * Example: `await recordMilestone(ctx, 'first_visit', new Date('2026-03-10T14:00:00Z'))`.
 */
export async function recordMilestone(ctx: EngineContext, key: string, at: Date): Promise<void> {
  await planAndWrite(ctx, [key], (world, planning) => planMilestone(world, planning, key, at));
}

/**
 * Resumed, re-timed by hand: the checkpoints due before this one follow its new time. For the
 * use cases that move a checkpoint's due time outside a milestone (resuming its clock).
 */
export async function followCheckpoint(ctx: EngineContext, key: string): Promise<void> {
  await planAndWrite(ctx, [], (world, planning) => planFollowing(world, planning, key));
}
