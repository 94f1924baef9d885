import { assertUnreachable } from '../../kernel/errors.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import type { FieldChanges, HandoffEventType, HandoffFact, Question } from './handoff-facts.js';

/**
 * The handoff contract's lifecycle, as a pure function over closed unions: a command, from a
 * state, for an actor on some side, is refused or answers the next state and the events it
 * produces (`handoff-facts.ts`), which the use case publishes.
 *
 *   draft ─submit→ submitted ─accept→ accepted ─start_delivery→ in_delivery ─close→ closed
 *                      └─reject→ rejected ─submit (new revision)→ submitted
 *   submitted ─amend (a new revision, answering a question on the field)→ submitted
 *   draft | submitted | rejected ─withdraw→ withdrawn
 *
 * The sending team owns completeness (edit, submit, answer, amend, withdraw); the receiving team owns
 * acceptance (ask, accept, reject, start_delivery, close). Open questions block acceptance. What
 * other features make of an event (open checkpoints refusing the close, records reconciled at
 * submit) they decide as its subscribers.
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

/**
 * What an actor asks of a handoff: the facts its guards decide on (issues, open questions, the
 * rejection catalogue) and the ones its event carries (the note, the question, the fields).
 */
export type HandoffCommand =
  | { readonly type: 'edit'; readonly fields: FieldChanges }
  | { readonly type: 'submit'; readonly issues: readonly Issue[]; readonly packet: Packet }
  | { readonly type: 'ask'; readonly question: Question }
  | { readonly type: 'answer'; readonly question: Question }
  | {
      readonly type: 'amend';
      readonly fields: FieldChanges;
      readonly packet: Packet;
      readonly issues: readonly Issue[];
      readonly questionId: string;
    }
  | { readonly type: 'accept'; readonly openQuestions: number; readonly note: string | null }
  | {
      readonly type: 'reject';
      readonly reasonCode: string;
      readonly explanation: string;
      readonly catalogue: readonly string[];
    }
  | { readonly type: 'withdraw'; readonly note: string | null }
  | { readonly type: 'start_delivery'; readonly note: string | null }
  | { readonly type: 'close'; readonly note: string | null };

export type CommandType = HandoffCommand['type'];

/** The events each command produces when it succeeds, in the order they are published. */
export const EMITS = {
  edit: ['handoff.packet_edited'],
  submit: ['handoff.submitted'],
  ask: ['handoff.question_asked'],
  answer: ['handoff.question_answered'],
  amend: ['handoff.amended'],
  accept: ['handoff.accepted'],
  reject: ['handoff.rejected'],
  withdraw: ['handoff.withdrawn'],
  start_delivery: ['handoff.delivery_started'],
  close: ['handoff.closed'],
} as const satisfies Record<CommandType, readonly HandoffEventType[]>;

/** The events a command of type `C` produces. */
export type EventsOf<C extends CommandType> = HandoffFact<(typeof EMITS)[C][number]>;

export type Refusal =
  | { readonly code: 'forbidden'; readonly message: string }
  | { readonly code: 'illegal_transition'; readonly message: string }
  | { readonly code: 'packet_not_ready'; readonly message: string; readonly issues: readonly Issue[] }
  | { readonly code: 'conflict'; readonly message: string; readonly issues?: readonly Issue[] }
  | { readonly code: 'validation_failed'; readonly message: string; readonly issues: readonly Issue[] };

export type Outcome =
  | { readonly ok: true; readonly state: HandoffState; readonly events: readonly HandoffFact[] }
  | { readonly ok: false; readonly refusal: Refusal };

const OWNER: Record<CommandType, 'sender' | 'receiver'> = {
  edit: 'sender',
  submit: 'sender',
  answer: 'sender',
  amend: 'sender',
  withdraw: 'sender',
  ask: 'receiver',
  accept: 'receiver',
  reject: 'receiver',
  start_delivery: 'receiver',
  close: 'receiver',
};

/** The states each command may start from, and where it leads. */
const MOVES: Record<CommandType, Partial<Record<HandoffState, HandoffState>>> = {
  edit: { draft: 'draft', rejected: 'rejected' },
  submit: { draft: 'submitted', rejected: 'submitted' },
  ask: { submitted: 'submitted' },
  answer: { submitted: 'submitted', rejected: 'rejected', accepted: 'accepted' },
  // Only while the packet waits for review: a rejected one is edited and resubmitted, an accepted
  // one is agreed (changing it then is a rescope).
  amend: { submitted: 'submitted' },
  accept: { submitted: 'accepted' },
  reject: { submitted: 'rejected' },
  withdraw: { draft: 'withdrawn', submitted: 'withdrawn', rejected: 'withdrawn' },
  start_delivery: { accepted: 'in_delivery' },
  close: { in_delivery: 'closed' },
};

/** What each command does to a handoff, completing "may …" ("may submit a handoff"). */
export const VERB: Record<CommandType, string> = {
  edit: 'edit the packet of',
  submit: 'submit',
  ask: 'ask a question on',
  answer: 'answer a question on',
  amend: 'amend the packet of',
  accept: 'accept',
  reject: 'reject',
  withdraw: 'withdraw',
  start_delivery: 'start delivery of',
  close: 'close',
};

/** The commands that could be legal from `state` (ignoring who acts and the guards). */
export function commandsFrom(state: HandoffState): CommandType[] {
  return (Object.keys(MOVES) as CommandType[]).filter((e) => MOVES[e][state] !== undefined);
}

/**
 * Applies `command` to a handoff in `state` for an actor on `sides`. Checks, in order: that the
 * actor's team owns the command (403), that the state allows it (409), then the command's guards;
 * answers the next state and the events the command produces.
 *
 * @example
 *   transition('submitted', { type: 'accept', openQuestions: 0, note: null }, { sender: false, receiver: true })
 *   // { ok: true, state: 'accepted', events: [{ type: 'handoff.accepted', from: 'submitted', note: null }] }
 */
export function transition(state: HandoffState, command: HandoffCommand, sides: Sides): Outcome {
  const owner = OWNER[command.type];
  if (!sides[owner]) {
    const team = owner === 'sender' ? 'sending' : 'receiving';
    return refuse({
      code: 'forbidden',
      message: `Only the ${team} team may ${VERB[command.type]} a handoff.`,
    });
  }
  const next = MOVES[command.type][state];
  if (next === undefined) {
    return refuse({
      code: 'illegal_transition',
      message: `${/^[aeiou]/.test(state) ? 'An' : 'A'} ${state.replace('_', ' ')} handoff cannot be ${pastTense(command.type)}.`,
    });
  }
  switch (command.type) {
    case 'submit':
      if (command.issues.length > 0) {
        return refuse({
          code: 'packet_not_ready',
          message: `The packet is not ready: ${command.issues.length} field${command.issues.length === 1 ? '' : 's'} missing or invalid.`,
          issues: [...command.issues],
        });
      }
      break;
    case 'amend':
      if (command.issues.length > 0) {
        return refuse({
          code: 'packet_not_ready',
          message: `The amended packet would not be ready: ${command.issues.length} field${command.issues.length === 1 ? '' : 's'} missing or invalid.`,
          issues: [...command.issues],
        });
      }
      break;
    case 'accept':
      if (command.openQuestions !== 0) {
        return refuse({
          code: 'conflict',
          message: `${command.openQuestions} open question${command.openQuestions === 1 ? '' : 's'} must be answered before acceptance.`,
        });
      }
      break;
    case 'reject': {
      const issues: Issue[] = [];
      if (!command.catalogue.includes(command.reasonCode)) {
        issues.push({
          path: '/reason_code',
          message: command.catalogue.length
            ? `must be one of the playbook's rejection reasons: ${command.catalogue.join(', ')}`
            : 'the playbook defines no rejection reasons',
        });
      }
      if (command.explanation.trim().length === 0) {
        issues.push({ path: '/explanation', message: 'a written explanation is required' });
      }
      if (issues.length)
        return refuse({ code: 'validation_failed', message: 'The rejection is incomplete.', issues });
      break;
    }
    case 'close':
    case 'edit':
    case 'ask':
    case 'answer':
    case 'withdraw':
    case 'start_delivery':
      break;
    default:
      return assertUnreachable(command);
  }
  return { ok: true, state: next, events: eventsOf(command, state) };
}

/**
 * Opens a draft: the state a handoff starts in and the event that says so.
 *
 * @example
 *   draft({ packet: {}, sendingTeam: 'sales', receivingTeam: 'operations' }).events[0].type // 'handoff.created'
 */
export function draft(facts: Omit<HandoffFact<'handoff.created'>, 'type'>): {
  state: 'draft';
  events: readonly [HandoffFact<'handoff.created'>];
} {
  return { state: 'draft', events: [{ type: 'handoff.created', ...facts }] };
}

/** The events a permitted command produces from `from`, with the facts it carries. */
function eventsOf(command: HandoffCommand, from: HandoffState): readonly HandoffFact[] {
  switch (command.type) {
    case 'edit':
      return [{ type: 'handoff.packet_edited', from, fields: command.fields }];
    case 'submit':
      return [{ type: 'handoff.submitted', from, packet: command.packet }];
    case 'ask':
      return [{ type: 'handoff.question_asked', from, question: command.question }];
    case 'answer':
      return [{ type: 'handoff.question_answered', from, question: command.question }];
    case 'amend':
      return [
        {
          type: 'handoff.amended',
          from,
          fields: command.fields,
          packet: command.packet,
          questionId: command.questionId,
        },
      ];
    case 'accept':
      return [{ type: 'handoff.accepted', from, note: command.note }];
    case 'reject':
      return [
        {
          type: 'handoff.rejected',
          from,
          reasonCode: command.reasonCode,
          explanation: command.explanation.trim(),
        },
      ];
    case 'withdraw':
      return [{ type: 'handoff.withdrawn', from, note: command.note }];
    case 'start_delivery':
      return [{ type: 'handoff.delivery_started', from, note: command.note }];
    case 'close':
      return [{ type: 'handoff.closed', from, note: command.note }];
    default:
      return assertUnreachable(command);
  }
}

function refuse(refusal: Refusal): Outcome {
  return { ok: false, refusal };
}

function pastTense(type: CommandType): string {
  const words: Record<CommandType, string> = {
    edit: 'edited',
    submit: 'submitted',
    ask: 'questioned',
    answer: 'answered',
    amend: 'amended',
    accept: 'accepted',
    reject: 'rejected',
    withdraw: 'withdrawn',
    start_delivery: 'moved into delivery',
    close: 'closed',
  };
  return words[type];
}
