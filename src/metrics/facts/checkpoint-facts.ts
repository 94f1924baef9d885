import type { Tx } from '../../kernel/context.js';
import type { CheckpointsTable } from '../../kernel/db/schema.js';
import type { EventOf } from '../../kernel/event-types.js';
import { checkpointFigures, kickoffHeldAt, reviewComparisons, secondsBetween } from '../domain/fact-rows.js';
import { markMonths } from '../rollups/mark-months.js';
import { checkpointFactRow, reviewGapRows } from './fact-rows.js';
import { dimensionsOf, type HandoffDimensions } from './handoff-facts.js';
import { periodOf } from './org-period.js';

type CheckpointEvent =
  | EventOf<'checkpoint.opened'>
  | EventOf<'checkpoint.completed'>
  | EventOf<'checkpoint.waived'>
  | EventOf<'checkpoint.overdue'>;

/**
 * Keeps `checkpoint_facts` in step with a checkpoint: its row when it opens, how it was settled
 * (in time or not) and what its outcome says when it is done, overdue or waived; a completed
 * follow-up review adds one `review_gap_facts` row per comparison, and a held kickoff meeting
 * starts the handoff's accepted → kickoff clock (docs/metrics.md, "Facts"). Marks the months whose
 * roll-ups move: the checkpoint's (before and after a re-timing), and its handoff's when a
 * required checkpoint goes late (on-time completion) or the kickoff is held.
 */
export async function recordCheckpointFacts(trx: Tx, event: CheckpointEvent): Promise<void> {
  const row = event.checkpoint;
  const at = event.at.toISOString();
  const figures = checkpointFigures(row, at);
  const period = await periodOf(trx, row.org_id, row.due_at);
  if (event.type === 'checkpoint.opened') {
    const dims = await dimensionsOf(trx, row.handoff_id);
    if (!dims) return;
    await trx
      .insertInto('checkpoint_facts')
      .values(checkpointFactRow(row, dims, period, at))
      .onConflict((oc) => oc.column('checkpoint_id').doNothing())
      .execute();
    await markMonths(trx, row.org_id, [period]);
    return;
  }
  // One statement when the due date has not moved since the fact was written (the usual case);
  // when it has, the month it was counted in is read first, to be marked as well.
  const set = { due_at: row.due_at, period, overdue_at: row.overdue_at, ...figures };
  let before = await trx
    .updateTable('checkpoint_facts')
    .set(set)
    .where('checkpoint_id', '=', row.id)
    .where('due_at', '=', row.due_at)
    .returning(['period', 'required'])
    .executeTakeFirst();
  if (!before) {
    before = await trx
      .selectFrom('checkpoint_facts')
      .select(['period', 'required'])
      .where('checkpoint_id', '=', row.id)
      .executeTakeFirst();
    if (!before) return;
    await trx.updateTable('checkpoint_facts').set(set).where('checkpoint_id', '=', row.id).execute();
  }
  const late = figures.on_time === 0 && before.required === 1;
  const comparisons = event.type === 'checkpoint.completed' ? reviewComparisons(row.outcome) : [];
  const heldAt = event.type === 'checkpoint.completed' ? kickoffHeldAt(row) : null;
  const dims =
    late || comparisons.length > 0 || heldAt !== null ? await dimensionsOf(trx, row.handoff_id) : undefined;
  await markMonths(trx, row.org_id, [
    before.period,
    period,
    ...(dims && (late || heldAt !== null) ? [dims.period] : []),
    ...(dims && heldAt !== null ? [dims.created_period] : []),
  ]);
  if (!dims) return;
  if (comparisons.length > 0) await recordReviewGaps(trx, row, dims, at);
  if (heldAt !== null)
    await trx
      .updateTable('handoff_facts')
      .set({
        kickoff_at: heldAt,
        accepted_to_kickoff_s: secondsBetween(dims.accepted_at, heldAt),
        updated_at: at,
      })
      .where('handoff_id', '=', row.handoff_id)
      .execute();
}

async function recordReviewGaps(trx: Tx, row: CheckpointsTable, dims: HandoffDimensions, at: string) {
  const replaced = await trx
    .deleteFrom('review_gap_facts')
    .where('checkpoint_id', '=', row.id)
    .returning('period')
    .execute();
  const period = await periodOf(trx, row.org_id, at);
  await markMonths(trx, row.org_id, [period, ...replaced.map((r) => r.period)]);
  await trx
    .insertInto('review_gap_facts')
    .values(reviewGapRows(row, dims, period, row.completed_at ?? at))
    .execute();
}
