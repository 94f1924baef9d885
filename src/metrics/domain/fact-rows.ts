import type { Comparison, Outcome } from '../../checkpoints/public.js';

/**
 * The pure half of the facts (docs/metrics.md, "Facts"): which local month an instant belongs
 * to, how long between two instants, and what a checkpoint row, as an event left it, says for
 * the metrics. The subscribers in `../facts/` write what these answer.
 */

/**
 * The month (`YYYY-MM`) an instant falls in, in a time zone: the period facts are grouped by.
 *
 * Example: `localMonth(new Date('2026-02-28T23:30:00Z'), 'Europe/Berlin')` is `2026-03`.
 */
export function localMonth(at: Date, timeZone: string): string {
  const parts = monthFormat(timeZone).formatToParts(at);
  const year = parts.find((p) => p.type === 'year')!.value;
  const month = parts.find((p) => p.type === 'month')!.value;
  return `${year}-${month}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function monthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whole seconds from one instant to a later one; null when either is missing or the order is wrong. */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (from === null || to === null) return null;
  const seconds = Math.floor((Date.parse(to) - Date.parse(from)) / 1000);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** A checkpoint row as the facts read it (the columns of `checkpoints` that matter here). */
export interface CheckpointLike {
  readonly def_key: string;
  readonly kind: string;
  readonly state: string;
  readonly due_at: string;
  readonly overdue_at: string | null;
  readonly completed_at: string | null;
  readonly outcome: string | null;
}

/** What a checkpoint says for the metrics: settled when, in time or not, and by kind its outcome's figure. */
export interface CheckpointFigures {
  readonly state: 'open' | 'done' | 'waived';
  readonly settled_at: string | null;
  /** 1 done by its due time, 0 done late or went overdue, null while open in time or waived in time. */
  readonly on_time: number | null;
  readonly changed: number | null;
  readonly rating: number | null;
  readonly gaps: number | null;
}

/**
 * Example: a confirmation call done an hour before it was due, whose fourth answer changed, is
 * `{ state: 'done', on_time: 1, changed: 1, rating: null, gaps: null }`.
 */
export function checkpointFigures(row: CheckpointLike, settledAt: string | null): CheckpointFigures {
  const state = row.state === 'done' ? 'done' : row.state === 'waived' ? 'waived' : 'open';
  const outcome = row.outcome === null ? null : (JSON.parse(row.outcome) as Outcome);
  const lateOrOverdue = row.overdue_at !== null;
  let on_time: number | null = lateOrOverdue ? 0 : null;
  if (state === 'done' && !lateOrOverdue) {
    const done = row.completed_at ?? settledAt;
    on_time = done !== null && Date.parse(done) <= Date.parse(row.due_at) ? 1 : 0;
  }
  return {
    state,
    settled_at: state === 'open' ? null : (row.completed_at ?? settledAt),
    on_time,
    changed: outcome?.kind === 'confirmation_call' ? (outcome.changed ? 1 : 0) : null,
    rating: outcome?.kind === 'satisfaction_check' ? outcome.rating : null,
    gaps: outcome?.kind === 'follow_up_review' ? outcome.comparisons.filter((c) => c.gap).length : null,
  };
}

/** The comparisons of a completed follow-up review, one per field (empty for any other outcome). */
export function reviewComparisons(outcome: string | null): readonly Comparison[] {
  if (outcome === null) return [];
  const parsed = JSON.parse(outcome) as Outcome;
  return parsed.kind === 'follow_up_review' ? parsed.comparisons : [];
}

/** The kickoff of a handoff: its meeting whose key is `kickoff` or ends in `_kickoff`; when it was held. */
export function kickoffHeldAt(row: Pick<CheckpointLike, 'def_key' | 'kind' | 'outcome'>): string | null {
  if (row.kind !== 'meeting' || !(row.def_key === 'kickoff' || row.def_key.endsWith('_kickoff'))) return null;
  if (row.outcome === null) return null;
  const outcome = JSON.parse(row.outcome) as Outcome;
  return outcome.kind === 'meeting' ? outcome.held_at : null;
}
