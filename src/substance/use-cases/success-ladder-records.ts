import type { SuccessLaddersTable } from '../../kernel/db/schema.js';
import type { SuccessLadder } from '../success-ladder-schema.js';

/** The rungs of the success ladder, from the client's own goal to the early win. */
export const LADDER_FIELDS = [
  'goal',
  'metric',
  'ultimate_objective',
  'earliest_signal',
  'minimum_outcome',
  'early_win',
] as const;
export type LadderField = (typeof LADDER_FIELDS)[number];
export type LadderValues = Record<LadderField, string | null>;

export function ladderValues(row: SuccessLaddersTable | undefined): LadderValues {
  return Object.fromEntries(LADDER_FIELDS.map((f) => [f, row?.[f] ?? null])) as LadderValues;
}

/** The ladder as the API shows it; an engagement without one shows every rung empty. */
export function toSuccessLadderView(
  engagementId: string,
  row: SuccessLaddersTable | undefined,
): SuccessLadder {
  return {
    engagement_id: engagementId,
    handoff_id: row?.handoff_id ?? null,
    ...ladderValues(row),
    updated_at: row?.updated_at ?? null,
  };
}
