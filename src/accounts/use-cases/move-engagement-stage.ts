import { type Actor, appendAudit } from '../../audit/append-audit.js';
import type { Tx } from '../../kernel/context.js';
import { stageAfter } from '../domain/journey-stage.js';

/**
 * Moves an engagement along its journey, inside the caller's transaction: a handoff opened from a
 * stage puts an engagement that has none there (`entering`); an accepted one moves it to the
 * stage it hands over to (forward only, see `stageAfter`). Audited as an engagement change,
 * linked to the handoff that caused it.
 */
export async function moveEngagementStage(
  trx: Tx,
  orgId: string,
  input: {
    engagementId: string;
    handoffId: string;
    target: string;
    stages: readonly string[];
    entering: boolean;
  },
  actor: Actor,
  at: Date,
): Promise<void> {
  const row = await trx
    .selectFrom('engagements')
    .select('stage')
    .where('org_id', '=', orgId)
    .where('id', '=', input.engagementId)
    .executeTakeFirst();
  if (!row) return;
  let stage: string | undefined;
  if (input.entering) stage = row.stage === null ? input.target : undefined;
  else stage = stageAfter(row.stage, input.target, input.stages);
  if (stage === undefined) return;
  await trx
    .updateTable('engagements')
    .set({ stage, updated_at: at.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', input.engagementId)
    .execute();
  await appendAudit(trx, orgId, actor, at, {
    action: 'engagement.updated',
    entityType: 'engagement',
    entityId: input.engagementId,
    engagementId: input.engagementId,
    handoffId: input.handoffId,
    before: { stage: row.stage },
    after: { stage },
  });
}
