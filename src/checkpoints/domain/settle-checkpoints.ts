import type { CheckpointSettings } from './checkpoint-settings.js';

/** What a lifecycle event does to a checkpoint still open: done by it, waived as pointless, or nothing. */
export type Settlement =
  | { readonly state: 'done'; readonly outcome: { readonly completed_by_event: string } }
  | { readonly state: 'waived'; readonly reason: string };

export const WITHDRAWN_REASON = 'The handoff was withdrawn.';
export const CLOSED_REASON = 'The handoff was closed; this checkpoint no longer applies.';
export const CLOSED_WHILE_OPEN_REASON =
  'The handoff was closed while this checkpoint was open (closed before closing checked its checkpoints).';

/**
 * The settlement a lifecycle event brings to an open checkpoint: the events the playbook lists in
 * `completed_by` complete it; a withdrawal makes every checkpoint pointless; closing settles the
 * ones marked `on_close: waive` (a `require` one refuses the close beforehand, a `keep` one runs
 * on). Rejecting, accepting, submitting and starting delivery settle nothing else: a resubmission
 * re-times what counts from `submitted`.
 */
export function settlementOf(
  event: string,
  s: { readonly completedBy: readonly string[]; readonly onClose: CheckpointSettings['onClose'] },
): Settlement | null {
  if (s.completedBy.includes(event)) return { state: 'done', outcome: { completed_by_event: event } };
  if (event === 'withdrawn') return { state: 'waived', reason: WITHDRAWN_REASON };
  if (event === 'closed' && s.onClose === 'waive') return { state: 'waived', reason: CLOSED_REASON };
  return null;
}

/**
 * For a checkpoint found open on a handoff that has already ended (its timer fired after the end,
 * or it was left open before closing checked checkpoints): the reason its end waives it, or null
 * when it is meant to run on (`keep` after a close).
 */
export function waiverAfterEnd(handoffState: string, s: Pick<CheckpointSettings, 'onClose'>): string | null {
  if (handoffState === 'withdrawn') return WITHDRAWN_REASON;
  if (handoffState !== 'closed' || s.onClose === 'keep') return null;
  return s.onClose === 'waive' ? CLOSED_REASON : CLOSED_WHILE_OPEN_REASON;
}

/**
 * Whether a checkpoint may still open on a handoff in this state: nothing opens on a withdrawn
 * handoff, and on a closed one only what is meant to run after the close.
 */
export function mayOpenOn(handoffState: string, s: Pick<CheckpointSettings, 'onClose'>): boolean {
  if (handoffState === 'withdrawn') return false;
  return handoffState !== 'closed' || s.onClose === 'keep';
}

/** An open checkpoint as closing sees it. */
export interface OpenCheckpoint {
  id: string;
  key: string;
  name: string;
  state: string;
  dueAt: string;
  ownerTeam: string;
  settings: Pick<CheckpointSettings, 'onClose'>;
}

/**
 * Why a handoff cannot close yet: one problem per open checkpoint that must be done or waived
 * first (`on_close: require`), each naming it, its owner and its due time.
 */
export function closeBlockers(
  open: readonly OpenCheckpoint[],
): { path: string; message: string; code: string }[] {
  return open
    .filter((c) => c.settings.onClose === 'require')
    .map((c) => ({
      path: `/checkpoints/${c.id}`,
      code: 'checkpoint_open',
      message: `"${c.name}" (${c.key}, owned by ${c.ownerTeam}) is ${c.state}, due ${c.dueAt}: complete it, or waive it with a reason, before closing`,
    }));
}
