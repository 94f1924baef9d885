/** A checkpoint's stored state. `overdue` is written by the scheduler when the due timer fires. */
export const CHECKPOINT_STATES = ['open', 'overdue', 'done', 'waived'] as const;
export type CheckpointState = (typeof CHECKPOINT_STATES)[number];

/** Still to be done: open or overdue. */
export function isPending(state: string): boolean {
  return state === 'open' || state === 'overdue';
}

/**
 * The state a reader sees: an open, running checkpoint past its due time is overdue even if the
 * scheduler has not yet run (it is off, or between ticks).
 */
export function effectiveState(
  row: { state: string; due_at: string; paused_at: string | null },
  now: Date,
): CheckpointState {
  if (row.state === 'open' && row.paused_at === null && row.due_at <= now.toISOString()) return 'overdue';
  return row.state as CheckpointState;
}
