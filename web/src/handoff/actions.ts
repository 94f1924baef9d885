import type { HandoffActionView } from '../types.js';

/**
 * Whether the page offers an action: the API allows it now, or the caller could take it once
 * something is settled (the API answers `conflict`, saying what). Actions the caller's role, team
 * or the handoff's state rule out (`forbidden`, `illegal_transition`) are not shown.
 */
export function offered(action: HandoffActionView): boolean {
  return action.allowed || action.code === 'conflict';
}

/** Why an offered action cannot be taken yet, in the API's words; null when it can. */
export function blockedBy(action: HandoffActionView): string | null {
  return action.allowed ? null : (action.reason ?? 'Not now.');
}
