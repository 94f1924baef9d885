import type { ErrorDetail } from '../../kernel/errors.js';

export const PUNCH_STATES = ['open', 'done', 'waived'] as const;
export type PunchState = (typeof PUNCH_STATES)[number];

/**
 * The state an item moves to, and the reason it keeps: waiving says why (an item nobody will do
 * is a decision someone must own); done and reopened items keep no reason.
 *
 * @example
 *   nextPunchState({ to: 'waived', reason: null }) // { ok: false, issues: [{ path: '/reason', … }] }
 */
export function nextPunchState(input: {
  to: PunchState;
  reason: string | null | undefined;
}): { ok: true; state: PunchState; reason: string | null } | { ok: false; issues: ErrorDetail[] } {
  const reason = input.reason?.trim() || null;
  if (input.to === 'waived' && reason === null)
    return {
      ok: false,
      issues: [{ path: '/reason', message: 'is required to waive an item: say why it will not be done' }],
    };
  return { ok: true, state: input.to, reason: input.to === 'waived' ? reason : null };
}
