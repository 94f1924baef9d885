import { can, type Role } from '../../identity/domain/roles.js';
import type { Question } from './handoff-facts.js';
import {
  type CommandType,
  type HandoffCommand,
  type HandoffState,
  type Issue,
  type Sides,
  transition,
  VERB,
} from './lifecycle.js';

/** Every lifecycle action a caller may be offered, in the order a screen offers them. */
export const HANDOFF_ACTIONS = [
  'edit',
  'submit',
  'withdraw',
  'ask',
  'answer',
  'amend',
  'accept',
  'reject',
  'start_delivery',
  'close',
] as const satisfies readonly CommandType[];

export type HandoffAction = (typeof HANDOFF_ACTIONS)[number];

// Every command of the lifecycle is an action (the compiler refuses the line below otherwise).
const everyCommandIsAnAction: [CommandType] extends [HandoffAction] ? true : never = true;
void everyCommandIsAnAction;

/** What the handoff's record shows that the lifecycle's guards read. */
export interface HandoffFacts {
  state: HandoffState;
  openQuestions: number;
  /** One problem per open checkpoint the playbook requires done or waived before the close. */
  closeBlockers: readonly Issue[];
}

/** Who asks: their role and their sides of this handoff. */
export interface Caller {
  role: Role;
  sides: Sides;
}

/** Whether the caller may take one action now, and if not, what the request would be refused with. */
export type ActionAnswer =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** What the request would be refused with: forbidden (403), illegal_transition or conflict (409). */
      readonly code: 'forbidden' | 'illegal_transition' | 'conflict';
      readonly reason: string;
      /** Each thing to settle first (a required checkpoint still open), when there are several. */
      readonly issues?: Issue[];
    };

export type HandoffActions = Record<HandoffAction, ActionAnswer>;

/**
 * What the caller may do to the handoff now: each action decided by the same checks every
 * lifecycle use case makes, in the same order (the role's `act_on_handoffs` capability, then
 * `transition` for the caller's sides, with the guards' facts from the record, then for a close
 * the required checkpoints still open, which the checkpoints refuse a close on). What the request
 * itself brings is taken as given: a submit is decided for a ready packet (the packet's readiness
 * is `GET /handoffs/{id}/readiness`, and the editor's validator), a reject for a catalogued reason
 * with an explanation.
 *
 * @example
 *   actionsFor({ state: 'submitted', openQuestions: 1, closeBlockers: [] },
 *              { role: 'operations', sides: { sender: false, receiver: true } }).accept
 *   // → { allowed: false, code: 'conflict', reason: '1 open question must be answered before acceptance.' }
 */
export function actionsFor(facts: HandoffFacts, caller: Caller): HandoffActions {
  const answers = {} as Record<HandoffAction, ActionAnswer>;
  for (const action of HANDOFF_ACTIONS) answers[action] = decide(action, facts, caller);
  return answers;
}

function decide(action: HandoffAction, facts: HandoffFacts, caller: Caller): ActionAnswer {
  if (!can(caller, 'act_on_handoffs')) {
    // The words of requireCapability, which the use cases call first.
    return {
      allowed: false,
      code: 'forbidden',
      reason: `The ${caller.role} role may not ${VERB[action]} a handoff.`,
    };
  }
  const outcome = transition(facts.state, commandOf(action, facts), caller.sides);
  if (outcome.ok) return action === 'close' ? closeAnswer(facts.closeBlockers) : { allowed: true };
  const { code, message } = outcome.refusal;
  if (code === 'packet_not_ready' || code === 'validation_failed')
    throw new Error(`${action} is decided on a request taken as given, yet was refused: ${message}`);
  const issues = 'issues' in outcome.refusal ? outcome.refusal.issues : undefined;
  return issues?.length
    ? { allowed: false, code, reason: message, issues: [...issues] }
    : { allowed: false, code, reason: message };
}

/**
 * Why a close is refused while required checkpoints are open, or null when none is: the words
 * the checkpoints refuse the close with (their subscriber of `handoff.closed`) and the action
 * `close` is answered with, so a screen says what the request would.
 *
 * @example
 *   closeRefusal([{ path: '/checkpoints/…', message: '"Joint kickoff" is open' }])?.message
 *   // → '1 required checkpoint is still open: complete or waive it with a reason before closing.'
 */
export function closeRefusal(blockers: readonly Issue[]): { message: string; issues: Issue[] } | null {
  const open = blockers.length;
  if (open === 0) return null;
  return {
    message: `${open} required checkpoint${open === 1 ? ' is' : 's are'} still open: complete or waive ${open === 1 ? 'it' : 'each'} with a reason before closing.`,
    issues: [...blockers],
  };
}

/** A close the lifecycle allows, unless required checkpoints are open. */
function closeAnswer(blockers: readonly Issue[]): ActionAnswer {
  const refusal = closeRefusal(blockers);
  return refusal
    ? { allowed: false, code: 'conflict', reason: refusal.message, issues: refusal.issues }
    : { allowed: true };
}

/** A question as the request would bring it: only its presence matters to the lifecycle. */
const GIVEN_QUESTION: Question = {
  id: 'given',
  path: null,
  body: 'given',
  revision: 1,
  asked_by: 'given',
  answer: null,
  answered_by: null,
};

/** The command the use case would hand the lifecycle, with what the request brings taken as given. */
function commandOf(action: HandoffAction, facts: HandoffFacts): HandoffCommand {
  switch (action) {
    case 'edit':
      return { type: 'edit', fields: { before: {}, after: {} } };
    case 'submit':
      return { type: 'submit', issues: [], packet: {} };
    case 'ask':
    case 'answer':
      return { type: action, question: GIVEN_QUESTION };
    case 'amend':
      return {
        type: 'amend',
        fields: { before: {}, after: {} },
        packet: {},
        issues: [],
        questionId: 'given',
      };
    case 'accept':
      return { type: 'accept', openQuestions: facts.openQuestions, note: null };
    case 'reject':
      return { type: 'reject', reasonCode: 'given', explanation: 'given', catalogue: ['given'] };
    case 'withdraw':
    case 'start_delivery':
    case 'close':
      return { type: action, note: null };
  }
}
