import { loadHandoff } from '../../handoffs/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { LIFECYCLE_ANCHORS } from '../../playbooks/domain/playbook.js';
import { engineContext, recordMilestone as record } from '../checkpoint-engine.js';
import type { Milestone } from '../checkpoint-schema.js';
import { requireAcceptedFor } from './complete-checkpoint.js';

const KEY = /^[a-z][a-z0-9_]*$/;

/**
 * Records when something happened or will happen on a handoff (`first_visit` scheduled for
 * Tuesday 09:00, `child_arrived`, `project_completed`): checkpoints due relative to it open or
 * move. Lifecycle events are recorded by the lifecycle itself. Everything but `contract_signed`
 * lies downstream of acceptance and needs an accepted handoff.
 */
export async function recordMilestone(
  deps: Deps,
  principal: Principal,
  handoffId: string,
  input: { key: string; at: string },
): Promise<Milestone[]> {
  requireCapability(principal, 'act_on_handoffs', 'record milestones');
  const now = deps.clock.now();
  const errors: ErrorDetail[] = [];
  if (!KEY.test(input.key))
    errors.push({ path: '/key', message: 'must be a snake_case key such as first_visit' });
  if ((LIFECYCLE_ANCHORS as readonly string[]).includes(input.key))
    errors.push({
      path: '/key',
      message: `${input.key} is recorded by the handoff's lifecycle, not by hand`,
    });
  const at = Date.parse(input.at);
  if (Number.isNaN(at)) errors.push({ path: '/at', message: 'must be a date-time' });
  if (errors.length) throw new AppError('validation_failed', 'The milestone cannot be recorded.', errors);
  return inTransaction(deps, async (trx) => {
    const handoff = await loadHandoff(trx, principal.orgId, handoffId);
    const sides = [handoff.sending_team_id, handoff.receiving_team_id];
    if (principal.role !== 'admin' && !principal.teamIds.some((t) => sides.includes(t)))
      throw new AppError(
        'forbidden',
        'Only the sending or receiving team (or an admin) may record milestones.',
      );
    requireAcceptedFor(input.key, handoff.state);
    const ctx = await engineContext(trx, principal.orgId, handoff.id, now, {
      type: 'user',
      id: principal.userId,
    });
    await record(ctx, input.key, new Date(at));
    return listMilestoneRows(trx, principal.orgId, handoff.id);
  });
}

/** The milestones of a handoff, in time order. */
export async function listMilestones(
  deps: Deps,
  principal: Principal,
  handoffId: string,
): Promise<Milestone[]> {
  requireCapability(principal, 'read', 'list milestones');
  const handoff = await loadHandoff(deps.store.db, principal.orgId, handoffId);
  return listMilestoneRows(deps.store.db, principal.orgId, handoff.id);
}

async function listMilestoneRows(
  db: Deps['store']['db'],
  orgId: string,
  handoffId: string,
): Promise<Milestone[]> {
  const rows = await db
    .selectFrom('milestones')
    .select(['key', 'at', 'recorded_by', 'recorded_at'])
    .where('org_id', '=', orgId)
    .where('handoff_id', '=', handoffId)
    .orderBy('at')
    .orderBy('key')
    .execute();
  return rows;
}
