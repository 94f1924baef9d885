import type { Packet } from '../../playbooks/domain/playbook.js';
import type { HandoffState } from './lifecycle.js';

/** A question on a handoff, as its events tell it (the fields of its row that matter to anyone). */
export interface Question {
  readonly id: string;
  readonly path: string | null;
  readonly body: string;
  readonly revision: number;
  readonly asked_by: string;
  readonly answer: string | null;
  readonly answered_by: string | null;
  /** The revision the answer made by correcting the field asked about (`handoff.amended`), if it did. */
  readonly amended_revision?: number | null;
}

/** The packet fields an edit changed (`section.field` or a whole `section`), before and after. */
export interface FieldChanges {
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
}

/**
 * What can happen to a handoff, by event type, with the facts the lifecycle knows of each (the
 * published event adds the handoff row, `../handoff-events.ts`). Each type is also the action of
 * the audit entry it is recorded as, so the issue's
 * words map as: drafted `handoff.created`, edited `handoff.packet_edited`, questioned
 * `handoff.question_asked`, answered `handoff.question_answered`, and amended (a field corrected
 * in an answer, making a new revision) `handoff.amended`.
 */
export interface HandoffFacts {
  /** A draft was opened (`draft` in the lifecycle). Teams by key. */
  'handoff.created': { packet: Packet; sendingTeam: string; receivingTeam: string };
  /** The sending team edited the packet of a draft or a rejected handoff. */
  'handoff.packet_edited': { from: HandoffState; fields: FieldChanges };
  /** The packet was submitted as the handoff's revision `handoff.revision`. */
  'handoff.submitted': { from: HandoffState; packet: Packet };
  /** The receiving team asked a question (the question as written). */
  'handoff.question_asked': { from: HandoffState; question: Question };
  /** The sending team answered a question (the question as answered). */
  'handoff.question_answered': { from: HandoffState; question: Question };
  /**
   * While answering question `questionId`, the sending team corrected the field it concerns: the
   * packet as amended is the handoff's revision `handoff.revision`, still submitted.
   */
  'handoff.amended': { from: HandoffState; fields: FieldChanges; packet: Packet; questionId: string };
  'handoff.accepted': { from: HandoffState; note: string | null };
  'handoff.rejected': { from: HandoffState; reasonCode: string; explanation: string };
  'handoff.withdrawn': { from: HandoffState; note: string | null };
  'handoff.delivery_started': { from: HandoffState; note: string | null };
  'handoff.closed': { from: HandoffState; note: string | null };
  /**
   * A submitted packet sat unopened by its receivers through its review window (`window`, as the
   * playbook words it): not a change of the handoff, so it has no audit entry.
   */
  'handoff.review_overdue': { window: string };
}

export type HandoffEventType = keyof HandoffFacts;

/** Every handoff event type, for the tests that go through them all. */
export const HANDOFF_EVENT_TYPES = [
  'handoff.created',
  'handoff.packet_edited',
  'handoff.submitted',
  'handoff.question_asked',
  'handoff.question_answered',
  'handoff.amended',
  'handoff.accepted',
  'handoff.rejected',
  'handoff.withdrawn',
  'handoff.delivery_started',
  'handoff.closed',
  'handoff.review_overdue',
] as const satisfies readonly HandoffEventType[];

// Every event type is in the list above: a type added to `HandoffFacts` alone fails to compile here.
const listed: Record<Exclude<HandoffEventType, (typeof HANDOFF_EVENT_TYPES)[number]>, never> = {};
void listed;

/**
 * A handoff event as the pure lifecycle answers it: its type and facts, before the use case adds
 * the handoff as the change left it and the envelope (organisation, actor, time).
 */
export type HandoffFact<K extends HandoffEventType = HandoffEventType> = {
  [T in K]: { readonly type: T } & HandoffFacts[T];
}[K];
