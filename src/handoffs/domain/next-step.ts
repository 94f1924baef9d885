import type { HandoffAction } from './handoff-actions.js';

/** The step a handoff waits on its caller for, most pressing first. */
export type NextStep = 'submit' | 'answer' | 'review' | 'deliver';

/** One action as a handoff's view answers it (the domain's answer and the API's view both fit). */
interface Answer {
  readonly allowed: boolean;
  readonly code?: string;
}

/**
 * Whether the caller is offered an action: allowed now, or theirs once something is settled (a
 * `conflict`: an open question before acceptance, a required checkpoint before the close).
 */
function offered(answer: Answer): boolean {
  return answer.allowed || answer.code === 'conflict';
}

/**
 * What the handoff waits on the caller for, read from the actions its view carries for them (so
 * the lifecycle's rules are decided once, by `actionsFor`); null when it waits on others. The
 * sender completes and submits drafts and rejected packets and answers questions; the receiver
 * reviews a submitted packet, then starts delivery and closes an accepted one.
 *
 * @example
 *   nextStepOf(view.actions, view.open_questions) // 'deliver' for the receiver of an accepted handoff
 */
export function nextStepOf(
  actions: Readonly<Record<HandoffAction, Answer>>,
  openQuestions: number,
): NextStep | null {
  if (actions.submit.allowed) return 'submit';
  if (actions.answer.allowed && openQuestions > 0) return 'answer';
  if (offered(actions.accept) || actions.reject.allowed) return 'review';
  if (actions.start_delivery.allowed || offered(actions.close)) return 'deliver';
  return null;
}
