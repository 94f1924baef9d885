import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../calendar/domain/business-calendar.js';
import { clockBasis, remainingMinutes, resumeDue } from '../../calendar/domain/due-expression.js';
import type { CheckpointDef } from '../../playbooks/domain/playbook.js';
import {
  applyPlan,
  type CheckpointFacts,
  type CheckpointPlan,
  type CheckpointWorld,
  isEmptyPlan,
  type PlanContext,
} from './checkpoint-plan.js';
import { beforeTargetOf, type CheckpointSettings, settingsOfTransition } from './checkpoint-settings.js';
import { isPending } from './checkpoint-state.js';
import {
  type HandoffEventName,
  planClosing,
  planFollowing,
  planHandoffEvent,
  planMilestone,
} from './plan-checkpoints.js';
import { closeBlockers } from './settle-checkpoints.js';

/*
 * The planner is run over random playbooks (checkpoints counted from lifecycle events, from
 * milestones and from each other, before and after, in business and calendar time) and random
 * lives of a handoff (submitted, rejected, resubmitted, accepted, withdrawn, closed; checkpoints
 * scheduled, held, waived, paused and resumed; milestones recorded by hand), the way the engine
 * runs it: each plan applied to the world before the next step is planned. After every step the
 * properties below hold.
 */

const START = Date.parse('2026-03-02T14:00:00.000Z');
const calendar = defaultCalendar('America/New_York');
const LIFECYCLE: readonly HandoffEventName[] = [
  'created',
  'submitted',
  'accepted',
  'delivery_started',
  'closed',
];
const MILESTONES = ['first_visit', 'contract_signed'] as const;
const KEYS = ['c0', 'c1', 'c2', 'c3', 'c4'] as const;

/** One checkpoint definition, counted from an event, a milestone or an earlier checkpoint. */
const checkpointDef = (index: number): fc.Arbitrary<CheckpointDef> =>
  fc
    .record({
      // Counted from an earlier checkpoint half the time, when there is one.
      anchor:
        index === 0
          ? fc.constantFrom<string>(...LIFECYCLE, ...MILESTONES)
          : fc.oneof(
              fc.constantFrom<string>(...LIFECYCLE, ...MILESTONES),
              fc.constantFrom<string>(...KEYS.slice(0, index)),
            ),
      before: fc.boolean(),
      amount: fc.integer({ min: 0, max: 5 }),
      unit: fc.constantFrom('minutes', 'hours', 'days', 'weeks'),
      business: fc.boolean(),
      kind: fc.constantFrom('task', 'meeting', 'follow_up_review', 'satisfaction_check' as const),
      opens: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      owner: fc.constantFrom('sender', 'receiver', 'finance'),
      completedBy: fc.subarray(['accepted', 'rejected', 'delivery_started']),
      onClose: fc.option(fc.constantFrom('require' as const, 'waive' as const, 'keep' as const), {
        nil: undefined,
      }),
    })
    .map((d) => {
      const lifecycle = (LIFECYCLE as readonly string[]).includes(d.anchor);
      // `playbook validate` refuses a checkpoint due at or before a lifecycle event.
      const direction = d.before && !lifecycle ? 'before' : 'after';
      const amount = direction === 'after' ? Math.max(1, d.amount) : d.amount;
      const unit = d.business && d.unit === 'weeks' ? 'days' : d.unit;
      const offset = amount === 0 ? '' : `${amount} ${d.business ? 'business ' : ''}${unit} `;
      return {
        key: KEYS[index]!,
        name: `Checkpoint ${index}`,
        kind: d.kind,
        due: `${offset}${direction} ${d.anchor}`,
        ...(d.opens !== undefined && direction === 'after' && d.opens < amount
          ? { opens: `${d.opens} ${d.business ? 'business ' : ''}${unit} after ${d.anchor}` }
          : {}),
        owner: d.owner,
        completedBy: d.completedBy,
        ...(d.onClose ? { onClose: d.onClose } : {}),
      };
    });

const playbook: fc.Arbitrary<CheckpointSettings[]> = fc
  .integer({ min: 1, max: KEYS.length })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => checkpointDef(i))))
  .map((defs) => settingsOfTransition(defs));

/** What happens next in a handoff's life; each step is skipped where it cannot happen. */
type Step =
  | { kind: 'move'; choice: number }
  | { kind: 'milestone'; key: (typeof MILESTONES)[number]; offsetHours: number }
  | { kind: 'schedule' | 'complete' | 'waive' | 'pause' | 'resume'; key: string; offsetHours: number };

const step: fc.Arbitrary<{ step: Step; advanceMinutes: number }> = fc.record({
  step: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ kind: fc.constant('move' as const), choice: fc.nat({ max: 99 }) }),
    },
    // Recorded at a few times, so a milestone comes back to a time it had before.
    fc.record({
      kind: fc.constant('milestone' as const),
      key: fc.constantFrom(...MILESTONES),
      offsetHours: fc.constantFrom(-24, 72, 240),
    }),
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constantFrom('schedule', 'complete', 'waive', 'pause', 'resume' as const),
        key: fc.constantFrom(...KEYS),
        offsetHours: fc.integer({ min: 1, max: 240 }),
      }),
    },
  ),
  // Now and then at the same instant as the step before.
  advanceMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 24 * 60 })),
});

/** The lifecycle moves, as the handoff's pure lifecycle allows them. */
const MOVES: Record<string, { from: readonly string[]; to: string; event: HandoffEventName }> = {
  submit: { from: ['draft', 'rejected'], to: 'submitted', event: 'submitted' },
  reject: { from: ['submitted'], to: 'rejected', event: 'rejected' },
  accept: { from: ['submitted'], to: 'accepted', event: 'accepted' },
  start: { from: ['accepted'], to: 'in_delivery', event: 'delivery_started' },
  close: { from: ['in_delivery'], to: 'closed', event: 'closed' },
  withdraw: { from: ['draft', 'submitted', 'rejected'], to: 'withdrawn', event: 'withdrawn' },
};

/**
 * One of the moves the handoff's state allows, picked by `choice` (0–99): withdrawing, which ends
 * the life, one time in twelve; rejecting one time in four.
 */
function nextMove(state: string, choice: number): string | undefined {
  const allowed = Object.keys(MOVES).filter((name) => MOVES[name]!.from.includes(state));
  if (allowed.includes('withdraw') && choice < 8) return 'withdraw';
  if (allowed.includes('reject') && choice < 33) return 'reject';
  const onward = allowed.filter((name) => name !== 'withdraw' && name !== 'reject');
  return onward[choice % onward.length];
}

/** A plan as it was made, with the world it was made from and how to make it again. */
interface Planned {
  before: CheckpointWorld;
  plan: CheckpointPlan;
  again: (world: CheckpointWorld) => CheckpointPlan;
  /** Re-planning the same thing on the world the plan leaves changes nothing. */
  idempotent: boolean;
}

/** Runs a handoff's life through the planner, checking `check` after every plan. */
function live(
  settings: CheckpointSettings[],
  steps: { step: Step; advanceMinutes: number }[],
  check: (planned: Planned, after: CheckpointWorld) => void,
): CheckpointWorld {
  let count = 0;
  let now = new Date(START);
  const ctx = (): PlanContext => ({ now, actorId: 'user-1', newId: () => `id-${++count}` });
  let world: CheckpointWorld = {
    handoff: {
      id: 'handoff-1',
      engagement_id: 'engagement-1',
      state: 'draft',
      sending_team_id: 'team-sales',
      receiving_team_id: 'team-ops',
      assignee_user_id: null,
      created_by: 'user-1',
    },
    settings,
    checkpoints: [],
    milestones: new Map(),
    calendar,
    teams: new Map([['finance', 'team-finance']]),
  };
  const run = (make: (w: CheckpointWorld) => CheckpointPlan, idempotent = true) => {
    const plan = make(world);
    const after = applyPlan(world, plan);
    check({ before: world, plan, again: make, idempotent }, after);
    world = after;
  };
  const pendingOf = (key: string) => world.checkpoints.find((r) => r.def_key === key && isPending(r.state));
  const change = (row: CheckpointFacts, columns: Partial<CheckpointFacts>) => {
    world = {
      ...world,
      checkpoints: world.checkpoints.map((r) => (r.id === row.id ? { ...r, ...columns } : r)),
    };
  };
  const contract = steps.find((s) => s.step.kind === 'milestone' && s.step.key === 'contract_signed');
  run((w) =>
    planHandoffEvent(w, ctx(), {
      event: 'created',
      at: now,
      contractSignedAt: contract ? new Date(START - 24 * 3_600_000) : null,
    }),
  );
  for (const { step: s, advanceMinutes } of steps) {
    now = new Date(now.getTime() + advanceMinutes * 60_000);
    const at = now;
    if (s.kind === 'milestone') {
      if (world.handoff.state === 'withdrawn') continue;
      const when = new Date(START + s.offsetHours * 3_600_000);
      run((w) => planMilestone(w, ctx(), s.key, when));
      continue;
    }
    if (s.kind === 'move') {
      const name = nextMove(world.handoff.state, s.choice);
      if (!name) continue;
      const move = MOVES[name]!;
      if (name === 'close') {
        // Closing is refused while a required checkpoint is open: the team waives them first.
        const open = world.checkpoints.filter((r) => isPending(r.state));
        const blockers = closeBlockers(
          open.map((r) => ({
            id: r.id,
            key: r.def_key,
            name: r.def_key,
            state: r.state,
            dueAt: r.due_at,
            ownerTeam: 'team',
            settings: JSON.parse(r.settings) as CheckpointSettings,
          })),
        );
        for (const b of blockers) {
          const row = world.checkpoints.find((r) => `/checkpoints/${r.id}` === b.path)!;
          run(() => planClosing(row, ctx(), { state: 'waived', outcome: null, reason: 'Not needed' }), false);
        }
      }
      world = { ...world, handoff: { ...world.handoff, state: move.to } };
      run((w) => planHandoffEvent(w, ctx(), { event: move.event, at }));
      continue;
    }
    const row = pendingOf(s.key);
    if (!row) continue;
    switch (s.kind) {
      case 'schedule': {
        const start = new Date(at.getTime() + s.offsetHours * 3_600_000);
        change(row, { scheduled_start: start.toISOString() });
        run((w) => planMilestone(w, ctx(), s.key, start));
        break;
      }
      case 'complete':
        run(
          () => planClosing(row, ctx(), { state: 'done', outcome: { notes: 'Done' }, reason: null }),
          false,
        );
        run((w) => planMilestone(w, ctx(), s.key, at));
        break;
      case 'waive':
        run(() => planClosing(row, ctx(), { state: 'waived', outcome: null, reason: 'Not needed' }), false);
        break;
      case 'pause': {
        // As the pause use case allows: a running clock of an open checkpoint not yet due. A
        // checkpoint due before another is not paused here, so it always follows that one.
        const s0 = JSON.parse(row.settings) as CheckpointSettings;
        if (row.state !== 'open' || row.paused_at !== null || row.due_at <= at.toISOString()) break;
        if (beforeTargetOf(s0, new Map(settings.map((x) => [x.key, x])))) break;
        change(row, {
          paused_at: at.toISOString(),
          remaining_minutes: remainingMinutes(clockBasis(s0.due), calendar, at, new Date(row.due_at)),
        });
        break;
      }
      case 'resume': {
        if (row.paused_at === null || row.state !== 'open') break;
        const s0 = JSON.parse(row.settings) as CheckpointSettings;
        const due = resumeDue(clockBasis(s0.due), calendar, at, Number(row.remaining_minutes));
        change(row, { paused_at: null, remaining_minutes: null, due_at: due.toISOString() });
        run((w) => planFollowing(w, ctx(), s.key));
        break;
      }
    }
  }
  return world;
}

const lives = fc.record({
  settings: playbook,
  steps: fc.array(step, { minLength: 1, maxLength: 40, size: 'max' }),
});

const RUNS = { numRuns: 500 };

describe('the checkpoint planner', () => {
  it('plans nothing the second time: re-planning on the world a plan leaves is a no-op', () => {
    fc.assert(
      fc.property(lives, ({ settings, steps }) => {
        live(settings, steps, ({ again, idempotent }, after) => {
          if (!idempotent) return;
          const second = again(after);
          expect(isEmptyPlan(second), JSON.stringify(second)).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('never opens a checkpoint twice for one anchor occurrence, nor keeps two open of one key', () => {
    fc.assert(
      fc.property(lives, ({ settings, steps }) => {
        const byKey = new Map(settings.map((s) => [s.key, s]));
        live(settings, steps, ({ before, plan }, after) => {
          const opened = plan.openings.map((o) => o.def_key);
          expect(new Set(opened).size).toBe(opened.length);
          for (const o of plan.openings) {
            if (beforeTargetOf(byKey.get(o.def_key)!, byKey) !== undefined) continue;
            const earlier = before.checkpoints.filter((r) => r.def_key === o.def_key);
            expect(earlier.map((r) => r.anchor_at)).not.toContain(o.anchor_at);
          }
          for (const key of KEYS) {
            const pending = after.checkpoints.filter((r) => r.def_key === key && isPending(r.state));
            expect(pending.length).toBeLessThanOrEqual(1);
          }
        });
      }),
      RUNS,
    );
  });

  it('opens nothing on a withdrawn handoff, and only what runs on after the close on a closed one', () => {
    fc.assert(
      fc.property(lives, ({ settings, steps }) => {
        const byKey = new Map(settings.map((s) => [s.key, s]));
        live(settings, steps, ({ before, plan }, after) => {
          const state = before.handoff.state;
          if (state === 'withdrawn') {
            expect(plan.openings).toEqual([]);
            expect(after.checkpoints.filter((r) => isPending(r.state))).toEqual([]);
          }
          if (state === 'closed') {
            for (const o of plan.openings) expect(byKey.get(o.def_key)!.onClose).toBe('keep');
            for (const r of after.checkpoints.filter((c) => isPending(c.state)))
              expect(byKey.get(r.def_key)!.onClose).toBe('keep');
          }
        });
      }),
      RUNS,
    );
  });

  it("keeps every open checkpoint due before another at, and counted from, that one's planned time", () => {
    fc.assert(
      fc.property(lives, ({ settings, steps }) => {
        const byKey = new Map(settings.map((s) => [s.key, s]));
        live(settings, steps, (_planned, after) => {
          const pending = after.checkpoints.filter((r) => isPending(r.state));
          for (const follower of pending) {
            const target = beforeTargetOf(byKey.get(follower.def_key)!, byKey);
            const k = pending.find((r) => r.def_key === target);
            if (!k || follower.paused_at !== null || k.paused_at !== null) continue;
            const planned = k.scheduled_start ?? k.due_at;
            expect(follower.due_at <= planned).toBe(true);
            expect(follower.anchor_at).toBe(planned);
          }
        });
      }),
      RUNS,
    );
  });

  it('never moves a paused clock: its due time and remaining time stay as they were', () => {
    fc.assert(
      fc.property(lives, ({ settings, steps }) => {
        live(settings, steps, ({ before, plan }, after) => {
          const paused = before.checkpoints.filter((r) => r.paused_at !== null && isPending(r.state));
          for (const r of paused) {
            expect(plan.retimings.map((t) => t.checkpoint.id)).not.toContain(r.id);
            const now = after.checkpoints.find((c) => c.id === r.id)!;
            if (!isPending(now.state)) continue;
            expect([now.due_at, now.paused_at, now.remaining_minutes]).toEqual([
              r.due_at,
              r.paused_at,
              r.remaining_minutes,
            ]);
          }
        });
      }),
      RUNS,
    );
  });

  it('gives every change its audit entry and every new due time its timer', () => {
    fc.assert(
      fc.property(lives, ({ settings, steps }) => {
        live(settings, steps, ({ plan }) => {
          const audited = (action: string, id: string) =>
            plan.audit.filter((e) => e.action === action && e.entityId === id).length;
          for (const o of plan.openings) {
            expect(audited('checkpoint.created', o.id)).toBe(1);
            expect(plan.timers).toContainEqual({ checkpointId: o.id, dueAt: o.due_at });
          }
          for (const r of plan.retimings) {
            expect(audited('checkpoint.rescheduled', r.checkpoint.id)).toBeGreaterThanOrEqual(1);
            expect(plan.timers).toContainEqual({ checkpointId: r.checkpoint.id, dueAt: r.set.due_at });
          }
          for (const c of plan.closings)
            expect(
              audited(c.state === 'done' ? 'checkpoint.completed' : 'checkpoint.waived', c.checkpoint.id),
            ).toBe(1);
          for (const m of plan.milestones)
            expect(audited('milestone.recorded', `handoff-1:${m.key}`)).toBe(m.audited ? 1 : 0);
          const changed = new Set([
            ...plan.openings.map((o) => o.id),
            ...plan.retimings.map((r) => r.checkpoint.id),
            ...plan.closings.map((c) => c.checkpoint.id),
            ...plan.milestones.map((m) => `handoff-1:${m.key}`),
          ]);
          for (const e of plan.audit) expect(changed).toContain(e.entityId);
          expect(new Set(plan.timers.map((t) => t.checkpointId)).size).toBe(plan.timers.length);
        });
      }),
      RUNS,
    );
  });
});

describe('the checkpoint planner, by example', () => {
  const settings = settingsOfTransition([
    { key: 'kickoff', name: 'Kickoff', kind: 'meeting', due: '2 business days after first_visit' },
    { key: 'prep', name: 'Prep call', due: '1 business day before kickoff' },
    { key: 'survey', name: 'Survey', due: '1 days after first_visit', onClose: 'keep' },
  ]);
  let ids = 0;
  const ctx = (now: string): PlanContext => ({
    now: new Date(now),
    actorId: 'u',
    newId: () => `id-${++ids}`,
  });
  const world = (): CheckpointWorld => ({
    handoff: {
      id: 'h',
      engagement_id: 'e',
      state: 'accepted',
      sending_team_id: 'sales',
      receiving_team_id: 'ops',
      assignee_user_id: null,
      created_by: 'u',
    },
    settings,
    checkpoints: [],
    milestones: new Map(),
    calendar: defaultCalendar('UTC'),
  });
  const step = (w: CheckpointWorld, plan: CheckpointPlan) => applyPlan(w, plan);
  const pending = (w: CheckpointWorld, key: string) =>
    w.checkpoints.find((r) => r.def_key === key && isPending(r.state))!;

  it("opens a checkpoint due before another with it, and moves it to the other one's scheduled start", () => {
    const now = '2026-03-02T10:00:00.000Z';
    let w = step(
      world(),
      planMilestone(world(), ctx(now), 'first_visit', new Date('2026-03-03T10:00:00.000Z')),
    );
    expect(pending(w, 'kickoff').due_at).toBe('2026-03-05T10:00:00.000Z');
    expect(pending(w, 'prep').due_at).toBe('2026-03-04T10:00:00.000Z');
    // The kickoff is scheduled for Friday the 6th: its start is its milestone, and the prep call follows.
    const kickoff = pending(w, 'kickoff');
    w = {
      ...w,
      checkpoints: w.checkpoints.map((r) =>
        r === kickoff ? { ...r, scheduled_start: '2026-03-06T10:00:00.000Z' } : r,
      ),
    };
    w = step(w, planMilestone(w, ctx(now), 'kickoff', new Date('2026-03-06T10:00:00.000Z')));
    expect(pending(w, 'prep').due_at).toBe('2026-03-05T10:00:00.000Z');
    // The visit moves: the kickoff's due time moves, the prep call stays before the scheduled start.
    w = step(w, planMilestone(w, ctx(now), 'first_visit', new Date('2026-03-09T10:00:00.000Z')));
    expect(pending(w, 'kickoff').due_at).toBe('2026-03-11T10:00:00.000Z');
    expect(pending(w, 'prep').anchor_at).toBe('2026-03-06T10:00:00.000Z');
  });

  it('does not open a checkpoint again for a time its milestone had before', () => {
    const now = '2026-03-02T10:00:00.000Z';
    const waive = (w: CheckpointWorld) =>
      step(
        w,
        planClosing(pending(w, 'survey'), ctx(now), { state: 'waived', outcome: null, reason: 'Not needed' }),
      );
    let w = step(
      world(),
      planMilestone(world(), ctx(now), 'first_visit', new Date('2026-03-03T10:00:00.000Z')),
    );
    w = waive(w);
    w = step(w, planMilestone(w, ctx(now), 'first_visit', new Date('2026-03-04T10:00:00.000Z')));
    expect(pending(w, 'survey').anchor_at).toBe('2026-03-04T10:00:00.000Z');
    w = waive(w);
    const back = planMilestone(w, ctx(now), 'first_visit', new Date('2026-03-03T10:00:00.000Z'));
    expect(back.openings.map((o) => o.def_key)).not.toContain('survey');
  });
});
