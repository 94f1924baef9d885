import type { ErrorDetail } from '../../kernel/errors.js';

/**
 * Where a promise stands until closeout. It starts open; kept, broken and renegotiated say how
 * it ended, and a broken or renegotiated promise says why in its status note.
 */
export const PROMISE_STATUSES = ['open', 'kept', 'broken', 'renegotiated'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

export function isPromiseStatus(value: string): value is PromiseStatus {
  return (PROMISE_STATUSES as readonly string[]).includes(value);
}

/** The statuses that need a written reason: the client will ask what happened. */
export function needsStatusNote(status: PromiseStatus): boolean {
  return status === 'broken' || status === 'renegotiated';
}

export interface StatusChange {
  from: PromiseStatus;
  /** The status asked for, if any. */
  to?: string;
  /** The note sent with the change: undefined when not sent, null to clear it. */
  note?: string | null;
  /** The note the promise has now. */
  currentNote: string | null;
}

/**
 * The status and note a promise ends up with, or every reason it cannot. Moving to broken or
 * renegotiated needs a note written with the move; a later edit may reword it but not clear it.
 * Any other move drops the old note unless a new one is sent: a note explains its own status.
 */
export function nextStatus(
  change: StatusChange,
): { ok: true; status: PromiseStatus; note: string | null } | { ok: false; issues: ErrorDetail[] } {
  const to = change.to ?? change.from;
  if (!isPromiseStatus(to)) {
    return {
      ok: false,
      issues: [{ path: '/status', message: `must be one of ${PROMISE_STATUSES.join(', ')}` }],
    };
  }
  const sent = change.note === undefined ? undefined : (change.note?.trim() ?? '') || null;
  const moving = to !== change.from;
  const note = sent !== undefined ? sent : moving ? null : change.currentNote;
  if (needsStatusNote(to) && !note) {
    const message = moving
      ? `is required when the promise becomes ${to}: say what happened`
      : `must not be cleared while the promise is ${to}`;
    return { ok: false, issues: [{ path: '/status_note', message }] };
  }
  return { ok: true, status: to, note };
}
