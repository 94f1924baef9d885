/**
 * The handoff contract's lifecycle, as a pure function over closed unions.
 *
 *   draft ─submit→ submitted ─accept→ accepted ─start_delivery→ in_delivery ─close→ closed
 *                      └─reject→ rejected ─submit (new revision)→ submitted
 *   draft | submitted | rejected ─withdraw→ withdrawn
 *
 * The sending team owns completeness (edit, submit, answer, withdraw); the receiving team owns
 * acceptance (ask, accept, reject, start_delivery, close).
 */
export const HANDOFF_STATES = [
  'draft',
  'submitted',
  'accepted',
  'rejected',
  'withdrawn',
  'in_delivery',
  'closed',
] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

export interface Issue {
  path: string;
  message: string;
  code?: string;
}

/** What the actor is to this handoff: on the sending team, the receiving team, or both. */
export interface Sides {
  sender: boolean;
  receiver: boolean;
}

export type HandoffEvent =
  | { readonly type: 'edit' }
  | { readonly type: 'submit'; readonly issues: readonly Issue[] }
  | { readonly type: 'ask' }
  | { readonly type: 'answer' }
  | { readonly type: 'accept'; readonly openQuestions: number }
  | {
      readonly type: 'reject';
      readonly reasonCode: string;
      readonly explanation: string;
      readonly catalogue: readonly string[];
    }
  | { readonly type: 'withdraw' }
  | { readonly type: 'start_delivery' }
  | { readonly type: 'close' };

export type EventType = HandoffEvent['type'];

export type Refusal =
  | { readonly code: 'forbidden'; readonly message: string }
  | { readonly code: 'illegal_transition'; readonly message: string }
  | { readonly code: 'packet_not_ready'; readonly message: string; readonly issues: readonly Issue[] }
  | { readonly code: 'conflict'; readonly message: string }
  | { readonly code: 'validation_failed'; readonly message: string; readonly issues: readonly Issue[] };

export type Outcome =
  | { readonly ok: true; readonly state: HandoffState }
  | { readonly ok: false; readonly refusal: Refusal };

const OWNER: Record<EventType, 'sender' | 'receiver'> = {
  edit: 'sender',
  submit: 'sender',
  answer: 'sender',
  withdraw: 'sender',
  ask: 'receiver',
  accept: 'receiver',
  reject: 'receiver',
  start_delivery: 'receiver',
  close: 'receiver',
};

/** The states each event may start from, and where it leads. */
const MOVES: Record<EventType, Partial<Record<HandoffState, HandoffState>>> = {
  edit: { draft: 'draft', rejected: 'rejected' },
  submit: { draft: 'submitted', rejected: 'submitted' },
  ask: { submitted: 'submitted' },
  answer: { submitted: 'submitted', rejected: 'rejected', accepted: 'accepted' },
  accept: { submitted: 'accepted' },
  reject: { submitted: 'rejected' },
  withdraw: { draft: 'withdrawn', submitted: 'withdrawn', rejected: 'withdrawn' },
  start_delivery: { accepted: 'in_delivery' },
  close: { in_delivery: 'closed' },
};

/** What each event does to a handoff, completing "may …" ("may submit a handoff"). */
export const VERB: Record<EventType, string> = {
  edit: 'edit the packet of',
  submit: 'submit',
  ask: 'ask a question on',
  answer: 'answer a question on',
  accept: 'accept',
  reject: 'reject',
  withdraw: 'withdraw',
  start_delivery: 'start delivery of',
  close: 'close',
};

/** The events that could be legal from `state` (ignoring who acts and the guards). */
export function eventsFrom(state: HandoffState): EventType[] {
  return (Object.keys(MOVES) as EventType[]).filter((e) => MOVES[e][state] !== undefined);
}

/**
 * Applies `event` to a handoff in `state` for an actor on `sides`. Checks, in order: that the
 * actor's team owns the event (403), that the state allows it (409), then the event's guards.
 */
export function transition(state: HandoffState, event: HandoffEvent, sides: Sides): Outcome {
  const owner = OWNER[event.type];
  if (!sides[owner]) {
    const team = owner === 'sender' ? 'sending' : 'receiving';
    return refuse({ code: 'forbidden', message: `Only the ${team} team may ${VERB[event.type]} a handoff.` });
  }
  const next = MOVES[event.type][state];
  if (next === undefined) {
    return refuse({
      code: 'illegal_transition',
      message: `${/^[aeiou]/.test(state) ? 'An' : 'A'} ${state.replace('_', ' ')} handoff cannot be ${pastTense(event.type)}.`,
    });
  }
  switch (event.type) {
    case 'submit':
      if (event.issues.length > 0) {
        return refuse({
          code: 'packet_not_ready',
          message: `The packet is not ready: ${event.issues.length} field${event.issues.length === 1 ? '' : 's'} missing or invalid.`,
          issues: [...event.issues],
        });
      }
      break;
    case 'accept':
      if (event.openQuestions !== 0) {
        return refuse({
          code: 'conflict',
          message: `${event.openQuestions} open question${event.openQuestions === 1 ? '' : 's'} must be answered before acceptance.`,
        });
      }
      break;
    case 'reject': {
      const issues: Issue[] = [];
      if (!event.catalogue.includes(event.reasonCode)) {
        issues.push({
          path: '/reason_code',
          message: event.catalogue.length
            ? `must be one of the playbook's rejection reasons: ${event.catalogue.join(', ')}`
            : 'the playbook defines no rejection reasons',
        });
      }
      if (event.explanation.trim().length === 0) {
        issues.push({ path: '/explanation', message: 'a written explanation is required' });
      }
      if (issues.length)
        return refuse({ code: 'validation_failed', message: 'The rejection is incomplete.', issues });
      break;
    }
    case 'edit':
    case 'ask':
    case 'answer':
    case 'withdraw':
    case 'start_delivery':
    case 'close':
      break;
    default:
      return assertNever(event);
  }
  return { ok: true, state: next };
}

function refuse(refusal: Refusal): Outcome {
  return { ok: false, refusal };
}

function pastTense(type: EventType): string {
  const words: Record<EventType, string> = {
    edit: 'edited',
    submit: 'submitted',
    ask: 'questioned',
    answer: 'answered',
    accept: 'accepted',
    reject: 'rejected',
    withdraw: 'withdrawn',
    start_delivery: 'moved into delivery',
    close: 'closed',
  };
  return words[type];
}

function assertNever(value: never): never {
  throw new Error(`Unhandled event ${JSON.stringify(value)}`);
}
