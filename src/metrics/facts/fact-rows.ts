import { storedSettings } from '../../checkpoints/public.js';
import type {
  CheckpointFactsTable,
  CheckpointsTable,
  HandoffFactsTable,
  PromiseFactsTable,
  PromisesTable,
  ReviewGapFactsTable,
} from '../../kernel/db/schema.js';
import { checkpointFigures, reviewComparisons } from '../domain/fact-rows.js';

/**
 * The rows of the facts that hang off a handoff's, built in one place for the subscribers and
 * for the backfill alike, so the two cannot disagree on a column.
 */

/** What a fact copies from its handoff's, so each filters alone. */
export type FactDimensions = Pick<
  HandoffFactsTable,
  | 'playbook_id'
  | 'playbook_key'
  | 'playbook_version'
  | 'sending_team_id'
  | 'receiving_team_id'
  | 'sender_user_id'
>;

/** A checkpoint's facts row; `settledAt` stands for its settling time when the row has none. */
export function checkpointFactRow(
  c: CheckpointsTable,
  d: FactDimensions,
  period: string,
  settledAt: string | null,
): CheckpointFactsTable {
  return {
    checkpoint_id: c.id,
    org_id: c.org_id,
    handoff_id: c.handoff_id,
    engagement_id: c.engagement_id,
    playbook_id: d.playbook_id,
    sending_team_id: d.sending_team_id,
    receiving_team_id: d.receiving_team_id,
    sender_user_id: d.sender_user_id,
    def_key: c.def_key,
    kind: c.kind,
    required: storedSettings(c.settings).onClose === 'require' ? 1 : 0,
    due_at: c.due_at,
    period,
    overdue_at: c.overdue_at,
    ...checkpointFigures(c, settledAt),
  };
}

/** One row per comparison of a completed follow-up review (none for any other checkpoint). */
export function reviewGapRows(
  c: CheckpointsTable,
  d: FactDimensions,
  period: string,
  reviewedAt: string,
): ReviewGapFactsTable[] {
  return reviewComparisons(c.outcome).map((comparison, i) => ({
    id: `${c.id}:${i}`,
    org_id: c.org_id,
    checkpoint_id: c.id,
    handoff_id: c.handoff_id,
    playbook_id: d.playbook_id,
    playbook_key: d.playbook_key,
    playbook_version: d.playbook_version,
    sending_team_id: d.sending_team_id,
    receiving_team_id: d.receiving_team_id,
    sender_user_id: d.sender_user_id,
    field: comparison.field,
    gap: comparison.gap ? 1 : 0,
    category: comparison.category ?? null,
    reviewed_at: reviewedAt,
    period,
  }));
}

/** A promise's facts row; without a handoff (recorded by hand on the engagement) it has no dimensions. */
export function promiseFactRow(
  p: PromisesTable,
  d: FactDimensions | undefined,
  period: string,
  updatedAt: string,
): PromiseFactsTable {
  return {
    promise_id: p.id,
    org_id: p.org_id,
    engagement_id: p.engagement_id,
    handoff_id: p.handoff_id,
    playbook_id: d?.playbook_id ?? null,
    sending_team_id: d?.sending_team_id ?? null,
    receiving_team_id: d?.receiving_team_id ?? null,
    sender_user_id: d?.sender_user_id ?? null,
    status: p.status,
    period,
    updated_at: updatedAt,
  };
}
