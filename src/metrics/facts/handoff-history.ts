import type { HandoffFactsTable, HandoffRejectionFactsTable } from '../../kernel/db/schema.js';

/** A handoff's row of facts, every column given. */
export type HandoffFactsRow = {
  [K in keyof HandoffFactsTable]: K extends 'submissions' | 'rejections' | 'questions' | 'question_rounds'
    ? number
    : HandoffFactsTable[K];
};

import { localMonth, secondsBetween } from '../domain/fact-rows.js';

/**
 * A handoff's facts worked out from what the live tables and the audit log keep of its history,
 * for handoffs drafted before facts were kept (`backfill-facts.ts`); pure, beside the writer because
 * its rows are the tables' own types. The subscribers
 * and this function answer the same rows for the same history (`test/metric-facts.test.ts`
 * holds them together).
 */
export interface HandoffHistory {
  readonly handoff: {
    readonly id: string;
    readonly org_id: string;
    readonly engagement_id: string;
    readonly playbook_id: string;
    readonly playbook_key: string;
    readonly playbook_version: number;
    readonly transition_key: string;
    readonly sending_team_id: string;
    readonly receiving_team_id: string;
    readonly created_by: string;
    readonly created_at: string;
    readonly state: string;
  };
  readonly accountId: string;
  /** The contract date: the latest `contract_signed` milestone, else the engagement's. */
  readonly contractSignedAt: string | null;
  /** Its lifecycle entries of the audit log, oldest first. */
  readonly entries: readonly {
    readonly action: string;
    readonly at: string;
    readonly actor_id: string | null;
    readonly after: { readonly reason_code?: string; readonly revision?: number } | null;
  }[];
  /** The revision each of its questions was asked on. */
  readonly questionRevisions: readonly number[];
  /** When its kickoff meeting was held, if it was. */
  readonly kickoffAt: string | null;
  readonly timeZone: string;
}

export function handoffFactsOf(
  history: HandoffHistory,
  newId: () => string,
): { facts: HandoffFactsRow; rejections: HandoffRejectionFactsTable[] } {
  const { handoff: h, entries, timeZone } = history;
  const submissions = entries.filter((e) => e.action === 'handoff.submitted');
  const first = submissions[0];
  const rejected = entries.filter((e) => e.action === 'handoff.rejected');
  const accepted = entries.filter((e) => e.action === 'handoff.accepted').at(-1);
  const closed = entries.filter((e) => e.action === 'handoff.closed').at(-1);
  const sender = first?.actor_id ?? h.created_by;
  const rounds = new Set(history.questionRevisions).size;
  const lastRevision = history.questionRevisions.length > 0 ? Math.max(...history.questionRevisions) : null;
  const acceptedAt = accepted?.at ?? null;
  const facts: HandoffFactsRow = {
    handoff_id: h.id,
    org_id: h.org_id,
    engagement_id: h.engagement_id,
    account_id: history.accountId,
    playbook_id: h.playbook_id,
    playbook_key: h.playbook_key,
    playbook_version: h.playbook_version,
    transition_key: h.transition_key,
    sending_team_id: h.sending_team_id,
    receiving_team_id: h.receiving_team_id,
    sender_user_id: sender,
    state: h.state,
    created_period: localMonth(new Date(h.created_at), timeZone),
    period: first ? localMonth(new Date(first.at), timeZone) : null,
    created_at: h.created_at,
    contract_signed_at: history.contractSignedAt,
    first_submitted_at: first?.at ?? null,
    accepted_at: acceptedAt,
    kickoff_at: history.kickoffAt,
    closed_at: closed?.at ?? null,
    signed_to_submitted_s: secondsBetween(history.contractSignedAt, first?.at ?? null),
    submitted_to_accepted_s: secondsBetween(first?.at ?? null, acceptedAt),
    accepted_to_kickoff_s: secondsBetween(acceptedAt, history.kickoffAt),
    submissions: submissions.length,
    rejections: rejected.length,
    questions: history.questionRevisions.length,
    question_rounds: rounds,
    last_question_revision: lastRevision,
    first_pass: rejected.length > 0 ? 0 : acceptedAt !== null ? 1 : null,
    updated_at: entries.at(-1)?.at ?? h.created_at,
  };
  const rejections = rejected.map((e) => ({
    id: newId(),
    org_id: h.org_id,
    handoff_id: h.id,
    reason: e.after?.reason_code ?? 'unknown',
    revision: e.after?.revision ?? 0,
    at: e.at,
    period: localMonth(new Date(e.at), timeZone),
    playbook_id: h.playbook_id,
    sending_team_id: h.sending_team_id,
    receiving_team_id: h.receiving_team_id,
    sender_user_id: sender,
  }));
  return { facts, rejections };
}
