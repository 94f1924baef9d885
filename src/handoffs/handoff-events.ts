import type { AuditAction, AuditAfter, AuditBefore, AuditEntry } from '../audit/audit-entry.js';
import type { HandoffsTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';
import type { Packet } from '../playbooks/domain/playbook.js';
import type { HandoffEventType, HandoffFacts } from './domain/handoff-facts.js';
import type { HandoffState } from './domain/lifecycle.js';

/** A handoff event as published: the lifecycle's facts and the handoff row as the change left it. */
export type HandoffEvents = { [K in HandoffEventType]: HandoffFacts[K] & { handoff: HandoffsTable } };

declare module '../kernel/event-types.js' {
  interface DomainEvents extends HandoffEvents {}
}

/**
 * The audit entries of handoffs and their questions. Every lifecycle change is one entry named
 * as its event and derived from it (`HANDOFF_AUDIT`); a question asked or answered is a second
 * entry, about the question. Title and assignee changes (`handoff.updated`) are housekeeping, not
 * lifecycle events, and are appended as they are.
 */
declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'handoff.created': {
      entityType: 'handoff';
      after: {
        playbook: string;
        transition: string;
        title: string;
        sending_team: string;
        receiving_team: string;
        packet: Packet;
      };
    };
    'handoff.packet_edited': {
      entityType: 'handoff';
      before: { fields: Readonly<Record<string, unknown>> };
      after: { fields: Readonly<Record<string, unknown>> };
    };
    'handoff.submitted': {
      entityType: 'handoff';
      before: { state: HandoffState; revision: number };
      after: { state: 'submitted'; revision: number };
    };
    'handoff.question_asked': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { state: HandoffState };
    };
    'handoff.question_answered': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { state: HandoffState };
    };
    'handoff.amended': {
      entityType: 'handoff';
      before: { revision: number; fields: Readonly<Record<string, unknown>> };
      after: { revision: number; fields: Readonly<Record<string, unknown>>; question_id: string };
    };
    'handoff.accepted': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { state: 'accepted'; revision: number; note: string | null };
    };
    'handoff.rejected': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { state: 'rejected'; revision: number; reason_code: string; explanation: string };
    };
    'handoff.withdrawn': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { note: string | null };
    };
    'handoff.delivery_started': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { note: string | null };
    };
    'handoff.closed': {
      entityType: 'handoff';
      before: { state: HandoffState };
      after: { note: string | null };
    };
    'handoff.updated': {
      entityType: 'handoff';
      before: { title: string; assignee_id: string | null };
      after: { title: string; assignee_id: string | null };
    };
    'question.asked': {
      entityType: 'question';
      after: { path: string | null; body: string; revision: number };
    };
    'question.answered': {
      entityType: 'question';
      before: { state: 'open' };
      after: { state: 'answered'; answer: string };
    };
  }
}

type HandoffAction = Exclude<Extract<AuditAction, `handoff.${string}`>, 'handoff.updated'>;

/** The entry of a handoff event about the handoff itself: named as the event, with its before and after. */
function entryOf<K extends HandoffAction>(
  event: EventOf<K>,
  change: { before?: AuditBefore<K>; after: AuditAfter<K> },
): AuditEntry<K> {
  const { handoff } = event;
  // The correlation of K with its entry's shape is past what the checker can follow here; every
  // caller below is checked against AuditEntry<K> for its own K.
  return {
    action: event.type,
    entityType: 'handoff',
    entityId: handoff.id,
    handoffId: handoff.id,
    engagementId: handoff.engagement_id,
    ...change,
  } as AuditEntry<K>;
}

/** The state a handoff is in after an event (its row is read as text). */
const stateOf = (handoff: HandoffsTable) => handoff.state as HandoffState;

/**
 * The audit entries each handoff event is recorded as, derived from the event: its own entry
 * first, named as the event, then the question's for a question asked or answered.
 *
 * @example
 *   HANDOFF_AUDIT['handoff.closed'](event) // [{ action: 'handoff.closed', before: { state: 'in_delivery' }, after: { note } }]
 */
export const HANDOFF_AUDIT = {
  'handoff.created': (e: EventOf<'handoff.created'>): [AuditEntry<'handoff.created'>] => [
    entryOf(e, {
      after: {
        playbook: `${e.handoff.playbook_key}@${e.handoff.playbook_version}`,
        transition: e.handoff.transition_key,
        title: e.handoff.title,
        sending_team: e.sendingTeam,
        receiving_team: e.receivingTeam,
        packet: e.packet,
      },
    }),
  ],
  'handoff.packet_edited': (e: EventOf<'handoff.packet_edited'>): [AuditEntry<'handoff.packet_edited'>] => [
    entryOf(e, { before: { fields: e.fields.before }, after: { fields: e.fields.after } }),
  ],
  'handoff.submitted': (e: EventOf<'handoff.submitted'>): [AuditEntry<'handoff.submitted'>] => [
    // A submit makes the next revision, so the one before it is one less.
    entryOf(e, {
      before: { state: e.from, revision: Number(e.handoff.revision) - 1 },
      after: { state: 'submitted', revision: Number(e.handoff.revision) },
    }),
  ],
  'handoff.question_asked': (
    e: EventOf<'handoff.question_asked'>,
  ): [AuditEntry<'handoff.question_asked'>, AuditEntry<'question.asked'>] => [
    entryOf(e, { before: { state: e.from }, after: { state: stateOf(e.handoff) } }),
    {
      action: 'question.asked',
      entityType: 'question',
      entityId: e.question.id,
      handoffId: e.handoff.id,
      engagementId: e.handoff.engagement_id,
      after: { path: e.question.path, body: e.question.body, revision: Number(e.question.revision) },
    },
  ],
  'handoff.question_answered': (
    e: EventOf<'handoff.question_answered'>,
  ): [AuditEntry<'handoff.question_answered'>, AuditEntry<'question.answered'>] => [
    entryOf(e, { before: { state: e.from }, after: { state: stateOf(e.handoff) } }),
    {
      action: 'question.answered',
      entityType: 'question',
      entityId: e.question.id,
      handoffId: e.handoff.id,
      engagementId: e.handoff.engagement_id,
      before: { state: 'open' },
      after: { state: 'answered', answer: e.question.answer ?? '' },
    },
  ],
  'handoff.amended': (e: EventOf<'handoff.amended'>): [AuditEntry<'handoff.amended'>] => [
    // An amendment makes the next revision, as a submit does.
    entryOf(e, {
      before: { revision: Number(e.handoff.revision) - 1, fields: e.fields.before },
      after: { revision: Number(e.handoff.revision), fields: e.fields.after, question_id: e.questionId },
    }),
  ],
  'handoff.accepted': (e: EventOf<'handoff.accepted'>): [AuditEntry<'handoff.accepted'>] => [
    entryOf(e, {
      before: { state: e.from },
      after: { state: 'accepted', revision: Number(e.handoff.revision), note: e.note },
    }),
  ],
  'handoff.rejected': (e: EventOf<'handoff.rejected'>): [AuditEntry<'handoff.rejected'>] => [
    entryOf(e, {
      before: { state: e.from },
      after: {
        state: 'rejected',
        revision: Number(e.handoff.revision),
        reason_code: e.reasonCode,
        explanation: e.explanation,
      },
    }),
  ],
  'handoff.withdrawn': (e: EventOf<'handoff.withdrawn'>): [AuditEntry<'handoff.withdrawn'>] => [
    entryOf(e, { before: { state: e.from }, after: { note: e.note } }),
  ],
  'handoff.delivery_started': (
    e: EventOf<'handoff.delivery_started'>,
  ): [AuditEntry<'handoff.delivery_started'>] => [
    entryOf(e, { before: { state: e.from }, after: { note: e.note } }),
  ],
  'handoff.closed': (e: EventOf<'handoff.closed'>): [AuditEntry<'handoff.closed'>] => [
    entryOf(e, { before: { state: e.from }, after: { note: e.note } }),
  ],
  // A reminder changes nothing: no entry.
  'handoff.review_overdue': (_e: EventOf<'handoff.review_overdue'>): AuditEntry[] => [],
};
