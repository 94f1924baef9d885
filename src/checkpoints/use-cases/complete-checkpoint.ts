import { appendAudit } from '../../audit/append-audit.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { notify } from '../../notifications/notify.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { closeCheckpoint, type EngineContext, engineContext, recordMilestone } from '../checkpoint-engine.js';
import {
  type CheckpointRow,
  loadCheckpoint,
  requireCheckpointActor,
  requirePending,
  requireWindowOpen,
  settingsOfRow,
  toCheckpointView,
} from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';
import { ACCEPTED_STATES, isDownstreamOfAcceptance, startAnchorOf } from '../domain/checkpoint-settings.js';
import { checkOutcome, type Outcome } from '../domain/outcome.js';
import { sellersOf } from '../rescope-records.js';

/** Refuses work downstream of acceptance (a kickoff held, a visit confirmed) on a handoff not yet accepted. */
export function requireAcceptedFor(anchor: string, handoffState: string): void {
  if (isDownstreamOfAcceptance(anchor) && !ACCEPTED_STATES.includes(handoffState)) {
    throw new AppError(
      'illegal_transition',
      `The handoff is ${handoffState}: nothing downstream of acceptance can happen before the receiving team accepts it.`,
    );
  }
}

/**
 * Records a checkpoint's outcome and marks it done, once its window has opened. The outcome is
 * checked against the kind
 * (attendance with every required role, every scripted answer, every compared field, a 1–5
 * rating) and every problem is listed. Holding the checkpoint records a milestone of its key, so
 * checkpoints anchored to it (the 72-hour review after the kickoff) open. A confirmation call
 * with a changed answer opens a re-scope record on the engagement and tells the seller.
 */
export async function completeCheckpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { outcome?: Record<string, unknown> },
): Promise<Checkpoint> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadCheckpoint(trx, principal.orgId, id);
    requireCheckpointActor(principal, row, 'complete');
    requirePending(row, 'completed');
    const settings = settingsOfRow(row);
    const ctx = await engineContext(trx, principal.orgId, row.handoff_id, now, {
      type: 'user',
      id: principal.userId,
    });
    requireAcceptedFor(startAnchorOf(settings, ctx.byKey), ctx.handoff.state);
    requireWindowOpen(row, now);
    const checked = checkOutcome(settings, input.outcome ?? {}, {
      packet: JSON.parse(ctx.handoff.packet) as Packet,
      now,
    });
    if (!checked.ok) throw new AppError('validation_failed', 'The outcome is not complete.', checked.issues);
    const done = await closeCheckpoint(ctx, row, 'done', checked.outcome);
    const heldAt = checked.outcome.kind === 'meeting' ? new Date(checked.outcome.held_at) : now;
    await recordMilestone(ctx, row.def_key, heldAt);
    if (checked.outcome.kind === 'confirmation_call' && checked.outcome.changed) {
      await openRescope(trx, ctx, row, checked.outcome);
    }
    return toCheckpointView(trx, principal.orgId, done, now);
  });
}

async function openRescope(
  trx: Tx,
  ctx: EngineContext,
  row: CheckpointRow,
  outcome: Extract<Outcome, { kind: 'confirmation_call' }>,
): Promise<void> {
  const changes = outcome.answers
    .filter((a) => a.changed)
    .map((a) => ({ key: a.key, question: a.question, answer: a.answer, note: a.note ?? null }));
  const id = newId();
  await trx
    .insertInto('rescopes')
    .values({
      id,
      org_id: ctx.orgId,
      engagement_id: row.engagement_id,
      handoff_id: row.handoff_id,
      checkpoint_id: row.id,
      changes: JSON.stringify(changes),
      status: 'open',
      created_by: ctx.actor.id,
      created_at: ctx.now.toISOString(),
    })
    .execute();
  await appendAudit(trx, ctx.orgId, ctx.actor, ctx.now, {
    action: 'rescope.opened',
    entityType: 'rescope',
    entityId: id,
    handoffId: row.handoff_id,
    engagementId: row.engagement_id,
    after: { checkpoint: row.def_key, changes },
  });
  const engagement = await trx
    .selectFrom('engagements')
    .select(['name', 'owner_user_id'])
    .where('id', '=', row.engagement_id)
    .executeTakeFirstOrThrow();
  const to = await sellersOf(trx, ctx.orgId, ctx.handoff, engagement.owner_user_id);
  await notify(
    trx,
    {
      orgId: ctx.orgId,
      kind: 'rescope_opened',
      eventKey: `rescope:${id}`,
      to,
      actorId: ctx.actor.id,
      link: `/handoffs/${row.handoff_id}`,
      subject: `Re-scope needed: ${engagement.name}`,
      text: [
        `The ${row.name.toLowerCase()} for "${ctx.handoff.title}" found that something changed:`,
        '',
        ...changes.map((c) => `- ${c.question} ${c.answer}${c.note ? ` (${c.note})` : ''}`),
        '',
        'Adjust the schedule, the crew or the price before the first visit.',
      ].join('\n'),
    },
    ctx.now,
  );
}
