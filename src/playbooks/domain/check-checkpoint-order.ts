import { type DueExpression, parseDueExpression } from '../../calendar/domain/due-expression.js';
import type { SemanticIssue } from './check-playbook-semantics.js';
import { didYouMean } from './did-you-mean.js';
import { LIFECYCLE_ANCHORS } from './playbook.js';

type Raw = Record<string, unknown>;

/** One checkpoint of a transition as far as its timing goes: what it counts from, and how. */
interface Timed {
  index: number;
  key: string;
  raw: Raw;
  due: DueExpression;
}

const LIFECYCLE: ReadonlySet<string> = new Set(LIFECYCLE_ANCHORS);

/**
 * Checks that a transition's checkpoints can be timed as written, and reports (path, message) each
 * order that cannot be met:
 * - a checkpoint due at or before a lifecycle event (recorded only when it happens) would be late
 *   the moment it opened, and nothing opens after `withdrawn`;
 * - a checkpoint counted from another needs that one to have a `due` (else it never opens), and
 *   checkpoints counted from each other in a circle can never be timed;
 * - a checkpoint due before another opens with it, so it must be due after that moment: `2 business
 *   days before kickoff` with a kickoff `1 business day after accepted` cannot be met;
 * - `opens` counts from the same event as `due` and not later than it;
 * - one that opens when the handoff closes can be neither required for nor waived by the close;
 * - an `owner` that looks like a misspelt `sender` or `receiver`.
 * Durations in different units are compared only where the comparison holds on every calendar
 * (minutes with hours, days with weeks, business with business of the same kind). Linear in the
 * number of checkpoints.
 */
export function checkCheckpointOrder(checkpoints: readonly unknown[], base: string): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const byKey = new Map<string, { index: number; raw: Raw; timed?: Timed }>();
  checkpoints.forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.key !== 'string' || byKey.has(raw.key)) return;
    const parsed = typeof raw.due === 'string' ? parseDueExpression(raw.due) : undefined;
    const timed = parsed?.ok ? { index, key: raw.key, raw, due: parsed.value } : undefined;
    byKey.set(raw.key, { index, raw, ...(timed ? { timed } : {}) });
  });
  const timed = [...byKey.values()].flatMap((c) => (c.timed ? [c.timed] : []));
  /** The checkpoint another one counts from, when its anchor names one. */
  const anchorOf = (t: Timed) => (t.due.anchor === t.key ? undefined : byKey.get(t.due.anchor));

  for (const t of timed) {
    const at = `${base}/${t.index}`;
    const { anchor, direction, amount } = t.due;
    if (anchor === 'withdrawn') {
      issues.push({
        path: `${at}/due`,
        message: 'nothing opens after "withdrawn": withdrawing a handoff waives every checkpoint',
      });
    } else if (LIFECYCLE.has(anchor) && (direction === 'before' || amount === 0)) {
      issues.push({
        path: `${at}/due`,
        message: `"${anchor}" is recorded when it happens, so a checkpoint due at or before it is late the moment it opens; give it time after the event (e.g. "1 business day after ${anchor}")`,
      });
    }
    if (anchor === t.key) {
      issues.push({ path: `${at}/due`, message: 'a checkpoint cannot be counted from itself' });
    } else {
      const other = byKey.get(anchor);
      if (other && !other.timed)
        issues.push({
          path: `${at}/due`,
          message: `counts from "${anchor}", a checkpoint without a usable "due": it never opens, so this one never would`,
        });
    }
    checkOpens(t, at);
  }
  for (const { index, raw } of byKey.values()) checkOwner(raw, `${base}/${index}`);

  // Checkpoints counted from each other in a circle: reported once per circle, at its first member.
  const state = new Map<string, 'visiting' | 'done'>();
  /** Checkpoints on a circle or counted (through others) from one: they can never be timed. */
  const untimeable = new Set<string>();
  for (const start of timed) {
    const path: Timed[] = [];
    let current: Timed | undefined = start;
    while (current && !state.has(current.key)) {
      state.set(current.key, 'visiting');
      path.push(current);
      current = anchorOf(current)?.timed;
    }
    if (current && state.get(current.key) === 'visiting') {
      const circle = path.slice(path.indexOf(current));
      const first = circle.reduce((a, b) => (b.index < a.index ? b : a));
      issues.push({
        path: `${base}/${first.index}/due`,
        message: `checkpoints counted from each other in a circle can never be timed: ${[...circle, circle[0]!].map((c) => c.key).join(' → ')}`,
      });
    }
    if (current && (state.get(current.key) === 'visiting' || untimeable.has(current.key)))
      for (const c of path) untimeable.add(c.key);
    for (const c of path) state.set(c.key, 'done');
  }

  /**
   * A value per checkpoint derived along its chain of "due before another checkpoint", each chain
   * walked once: `origin` values the checkpoint where a chain stops (one not due before another),
   * `step` values a link from the one it is due before.
   */
  const alongBeforeChains = <T>(origin: (t: Timed) => T, step: (t: Timed, next: T) => T): Map<string, T> => {
    const values = new Map<string, T>();
    const targetOf = (t: Timed) => (t.due.direction === 'before' ? anchorOf(t)?.timed : undefined);
    for (const start of timed) {
      if (untimeable.has(start.key) || values.has(start.key)) continue;
      const chain: Timed[] = [start];
      for (let next = targetOf(start); next && !values.has(next.key); next = targetOf(next)) chain.push(next);
      const end = targetOf(chain.at(-1)!);
      let i = chain.length - 1;
      let value: T;
      if (end) value = values.get(end.key)!;
      else {
        value = origin(chain[i]!);
        values.set(chain[i]!.key, value);
        i -= 1;
      }
      for (; i >= 0; i -= 1) {
        value = step(chain[i]!, value);
        values.set(chain[i]!.key, value);
      }
    }
    return values;
  };

  // How long after it opens each checkpoint is due, where that is the same on every calendar: a
  // checkpoint due before another opens with it, so it has that one's lead less its own offset.
  const leads = alongBeforeChains<Span | null>(
    (t) => (t.due.direction === 'after' ? spanOf(t.due) : null),
    (t, next) => next && subtract(next, spanOf(t.due)),
  );
  for (const t of timed) {
    const target = anchorOf(t)?.timed;
    const span = leads.get(t.key);
    if (!target || t.due.direction !== 'before' || !span || !atOrBefore(span)) continue;
    issues.push({
      path: `${base}/${t.index}/due`,
      message: `opens together with "${target.key}" but would be due the moment it opens or earlier: "${target.key}" is not due long enough after it opens for "${String(t.raw.due)}"; give "${target.key}" more time or this one less`,
    });
  }

  // What the close can do with a checkpoint that only opens at the close.
  const starts = alongBeforeChains<string>(
    (t) => t.due.anchor,
    (_t, next) => next,
  );
  for (const t of timed) {
    const onClose = t.raw.on_close;
    if ((onClose === 'require' || onClose === 'waive') && starts.get(t.key) === 'closed')
      issues.push({
        path: `${base}/${t.index}/on_close`,
        message: 'opens when the handoff closes, so closing can neither wait for it nor waive it; use "keep"',
      });
  }
  return issues;

  function checkOpens(t: Timed, at: string): void {
    if (typeof t.raw.opens !== 'string') return;
    const opens = parseDueExpression(t.raw.opens);
    if (!opens.ok) {
      issues.push({ path: `${at}/opens`, message: opens.message });
      return;
    }
    if (opens.value.anchor !== t.due.anchor) {
      issues.push({
        path: `${at}/opens`,
        message: `must count from the same event as "due" ("${t.due.anchor}"), not from "${opens.value.anchor}"`,
      });
      return;
    }
    const gap = subtract(signedSpan(opens.value), signedSpan(t.due));
    if (gap && isAfter(gap))
      issues.push({
        path: `${at}/opens`,
        message: `opens after the checkpoint is due ("${String(t.raw.due)}"); a window must open no later than its due time`,
      });
  }

  function checkOwner(raw: Raw, at: string): void {
    const owner = raw.owner;
    if (typeof owner !== 'string' || owner === 'sender' || owner === 'receiver') return;
    const hint = didYouMean(owner, ['sender', 'receiver']);
    if (hint)
      issues.push({
        path: `${at}/owner`,
        message: `unknown owner "${owner}" (did you mean "${hint}"?); say sender, receiver or the key of a team`,
      });
  }
}

/**
 * A duration in one unit that means the same on every calendar: elapsed minutes, calendar days
 * (local wall-clock days, 23 to 25 hours), working minutes or working days. `mixed` marks
 * elapsed minutes combined with calendar days, good to within a daylight-saving hour.
 */
interface Span {
  unit: 'minutes' | 'days' | 'business_minutes' | 'business_days';
  amount: number;
  mixed?: boolean;
}

function spanOf(e: DueExpression): Span {
  const n = e.amount;
  if (e.business) {
    if (e.unit === 'days') return { unit: 'business_days', amount: n };
    return { unit: 'business_minutes', amount: e.unit === 'hours' ? n * 60 : n };
  }
  switch (e.unit) {
    case 'minutes':
      return { unit: 'minutes', amount: n };
    case 'hours':
      return { unit: 'minutes', amount: n * 60 };
    case 'days':
      return { unit: 'days', amount: n };
    case 'weeks':
      return { unit: 'days', amount: n * 7 };
  }
}

/** The span from the anchor to the time an expression names (negative before it). */
function signedSpan(e: DueExpression): Span {
  const span = spanOf(e);
  return e.direction === 'before' ? { ...span, amount: -span.amount } : span;
}

/** `a − b`, or null when the two cannot be compared on every calendar. */
function subtract(a: Span, b: Span): Span | null {
  if (a.unit === b.unit) return { unit: a.unit, amount: a.amount - b.amount, mixed: a.mixed || b.mixed };
  const calendar = new Set<Span['unit']>(['minutes', 'days']);
  if (!calendar.has(a.unit) || !calendar.has(b.unit)) return null;
  const minutes = (s: Span) => (s.unit === 'days' ? s.amount * 1440 : s.amount);
  return { unit: 'minutes', amount: minutes(a) - minutes(b), mixed: true };
}

/** True when a span is surely not positive: due at or before the moment it opens. */
function atOrBefore(span: Span): boolean {
  return span.mixed ? span.amount <= -60 : span.amount <= 0;
}

/** True when a span is surely positive. */
function isAfter(span: Span): boolean {
  return span.mixed ? span.amount >= 60 : span.amount > 0;
}

const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
