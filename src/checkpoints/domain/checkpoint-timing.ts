import { addBusinessDays, type BusinessCalendar } from '../../calendar/domain/business-calendar.js';
import { dueAt } from '../../calendar/domain/due-expression.js';
import type { CheckpointKind } from '../../playbooks/domain/playbook.js';
import { beforeTargetOf, type CheckpointSettings } from './checkpoint-settings.js';

/** When a checkpoint is due and when its window opens (it cannot be completed earlier). */
export interface Timing {
  due: Date;
  opensAt: Date;
}

/**
 * Kinds that look back on a period (the 72-hour review, the 30-day check): done on the first day
 * they say nothing, so by default their window opens one working day before they are due.
 */
const LOOK_BACK_KINDS: ReadonlySet<CheckpointKind> = new Set(['follow_up_review', 'satisfaction_check']);

/**
 * The timing of a checkpoint whose anchor is (or will be) at `anchorAt`, opened at `openedAt`:
 * the window opens at `opens` when the playbook says so; otherwise a look back due after its
 * anchor opens one working day before it is due (never before the anchor), and anything else
 * can be done as soon as it opens. The window never opens after the due time.
 *
 * Example: `30 days after accepted` (a satisfaction check) with `opens: 4 weeks after accepted`,
 * accepted Tuesday 3 March 10:00: due Thursday 2 April 10:00, window from Tuesday 31 March 10:00.
 */
export function timingOf(
  s: Pick<CheckpointSettings, 'due' | 'opens' | 'kind'>,
  anchorAt: Date,
  openedAt: Date,
  calendar: BusinessCalendar,
): Timing {
  const due = dueAt(s.due, anchorAt, calendar);
  let opensAt: Date;
  if (s.opens) opensAt = dueAt(s.opens, anchorAt, calendar);
  else if (LOOK_BACK_KINDS.has(s.kind) && s.due.direction === 'after' && due > anchorAt)
    opensAt = latest(anchorAt, addBusinessDays(calendar, due, -1));
  else opensAt = openedAt;
  return { due, opensAt: earliest(opensAt, due) };
}

const latest = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);
const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/**
 * The plan of a transition's checkpoints if every event and milestone happened at `at` and every
 * checkpoint that others count from were held when due: what a playbook promises, read before
 * any handoff runs it (the deadline table of a built-in, for one). A checkpoint due before another
 * opens with it and is due before its due time; a checkpoint in a cycle is left out.
 */
export function plannedTimeline(
  settings: readonly CheckpointSettings[],
  at: Date,
  calendar: BusinessCalendar,
): Map<string, Timing> {
  const byKey = new Map(settings.map((s) => [s.key, s]));
  const planned = new Map<string, Timing & { openedAt: Date }>();
  const visiting = new Set<string>();
  const plan = (s: CheckpointSettings): (Timing & { openedAt: Date }) | undefined => {
    const known = planned.get(s.key);
    if (known || visiting.has(s.key)) return known;
    const owner = s.due.anchor === s.key ? undefined : byKey.get(s.due.anchor);
    visiting.add(s.key);
    const anchor = owner ? plan(owner) : undefined;
    visiting.delete(s.key);
    if (owner && !anchor) return undefined;
    const anchorAt = anchor?.due ?? at;
    // One due before another opens with it; one counted from another opens once that one is held.
    const openedAt = anchor && beforeTargetOf(s, byKey) ? anchor.openedAt : anchorAt;
    const timing = { ...timingOf(s, anchorAt, openedAt, calendar), openedAt };
    planned.set(s.key, timing);
    return timing;
  };
  for (const s of settings) plan(s);
  return new Map([...planned].map(([key, { due, opensAt }]) => [key, { due, opensAt }]));
}
