import { appendAudit } from '../audit/append-audit.js';
import type { Actor } from '../kernel/actor.js';
import type { Tx } from '../kernel/context.js';
import type { CheckpointsTable } from '../kernel/db/schema.js';
import { publish } from '../kernel/events.js';
import { setDueTimer } from './checkpoint-engine.js';
import type { CheckpointSettings } from './domain/checkpoint-settings.js';

/**
 * Opens a checkpoint that no playbook transition plans (a warranty's reminder, an inquiry's task):
 * writes the row, sets its due timer, appends `checkpoint.created` and publishes
 * `checkpoint.opened`, as the engine does for the ones it plans.
 */
export async function openCheckpointRow(
  trx: Tx,
  row: CheckpointsTable,
  actor: Actor,
  at: Date,
): Promise<void> {
  await trx.insertInto('checkpoints').values(row).execute();
  await setDueTimer(trx, row.org_id, row.id, new Date(row.due_at), at);
  await appendAudit(trx, row.org_id, actor, at, {
    action: 'checkpoint.created',
    entityType: 'checkpoint',
    entityId: row.id,
    handoffId: row.handoff_id,
    engagementId: row.engagement_id,
    after: {
      key: row.def_key,
      kind: row.kind,
      due: row.due_expr,
      due_at: row.due_at,
      opens_at: row.opens_at ?? row.created_at,
      owner_team_id: row.owner_team_id,
    },
  });
  await publish(trx, { type: 'checkpoint.opened', orgId: row.org_id, actor, at, checkpoint: row });
}

/**
 * The settings of such a checkpoint: a task owned as the receiver's, escalated to no one, kept
 * when its handoff closes (which happened long before), with nothing to attend, ask or compare.
 */
export function keptTaskSettings(
  parts: Pick<CheckpointSettings, 'key' | 'name' | 'description' | 'due' | 'dueText'>,
): CheckpointSettings {
  return {
    ...parts,
    kind: 'task',
    owner: 'receiver',
    escalateTo: null,
    requiredAttendees: [],
    script: [],
    compare: [],
    gapCategories: [],
    completedBy: [],
    onClose: 'keep',
  };
}
