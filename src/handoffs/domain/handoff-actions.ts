import { can, type Role } from '../../identity/domain/roles.js';
import {
  type EventType,
  type HandoffEvent,
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
  'accept',
  'reject',
  'start_delivery',
  'close',
] as const satisfies readonly EventType[];

export type HandoffAction = (typeof HANDOFF_ACTIONS)[number];

// Every event of the lifecycle is an action (the compiler refuses the line below otherwise).
const everyEventIsAnAction: [EventType] extends [HandoffAction] ? true : never = true;
void everyEventIsAnAction;

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
 * What the caller may do to the handoff now: each action decided by the same two checks every
 * lifecycle use case makes, in the same order (the role's `act_on_handoffs` capability, then
 * `transition` for the caller's sides, with the guards' facts from the record). What the request
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
  const outcome = transition(facts.state, eventOf(action, facts), caller.sides);
  if (outcome.ok) return { allowed: true };
  const { code, message } = outcome.refusal;
  if (code === 'packet_not_ready' || code === 'validation_failed')
    throw new Error(`${action} is decided on a request taken as given, yet was refused: ${message}`);
  const issues = 'issues' in outcome.refusal ? outcome.refusal.issues : undefined;
  return issues?.length
    ? { allowed: false, code, reason: message, issues: [...issues] }
    : { allowed: false, code, reason: message };
}

/** The event the use case would hand the lifecycle, with what the request brings taken as given. */
function eventOf(action: HandoffAction, facts: HandoffFacts): HandoffEvent {
  switch (action) {
    case 'submit':
      return { type: 'submit', issues: [] };
    case 'accept':
      return { type: 'accept', openQuestions: facts.openQuestions };
    case 'reject':
      return { type: 'reject', reasonCode: 'given', explanation: 'given', catalogue: ['given'] };
    case 'close':
      return { type: 'close', openCheckpoints: facts.closeBlockers };
    case 'edit':
    case 'ask':
    case 'answer':
    case 'withdraw':
    case 'start_delivery':
      return { type: action };
  }
}
