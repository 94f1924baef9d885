import { changedValues } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { nextPunchState, type PunchState } from '../domain/punch-item.js';
import { dayOf, lineOf } from '../domain/record-fields.js';
import type { PunchItem } from '../records-schema.js';
import { activeUserIssues, loadCloseoutRecord, toPunchItemView, userNames } from './closeout-records.js';

/**
 * Edits a punch item, or settles it: done, or waived with a reason (reopening clears both).
 * Publishes `punch_item.updated` with the fields changed.
 */
export async function updatePunchItem(
  deps: Deps,
  principal: Principal,
  id: string,
  input: {
    title?: string;
    owner_id?: string;
    due_on?: string | null;
    state?: PunchState;
    reason?: string | null;
  },
): Promise<PunchItem> {
  requireCapability(principal, 'write_records', 'change punch items');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadCloseoutRecord(trx, 'punch_items', principal.orgId, id, 'punch item');
    const issues: ErrorDetail[] = [];
    const title =
      input.title === undefined
        ? row.title
        : lineOf('/title', input.title, { max: 500, required: true }, issues);
    const dueOn = input.due_on === undefined ? row.due_on : dayOf('/due_on', input.due_on, {}, issues);
    if (input.owner_id !== undefined)
      issues.push(...(await activeUserIssues(trx, principal.orgId, input.owner_id, '/owner_id')));
    const state = nextPunchState({
      to: input.state ?? (row.state as PunchState),
      reason: input.reason === undefined ? row.reason : input.reason,
    });
    if (!state.ok) issues.push(...state.issues);
    if (issues.length || !state.ok)
      throw new AppError('validation_failed', 'The changes are not valid.', issues);
    const fields = (r: {
      title: string;
      owner_user_id: string;
      due_on: string | null;
      state: string;
      reason: string | null;
    }) => ({
      title: r.title,
      owner_user_id: r.owner_user_id,
      due_on: r.due_on,
      state: r.state,
      reason: r.reason,
    });
    const after = {
      title: title!,
      owner_user_id: input.owner_id ?? row.owner_user_id,
      due_on: dueOn,
      state: state.state,
      reason: state.reason,
    };
    const diff = changedValues(fields(row), after);
    const names = async (ownerId: string) => userNames(trx, principal.orgId, [ownerId]);
    if (!diff.changed) return toPunchItemView(row, await names(row.owner_user_id));
    const settledAt =
      after.state === row.state ? row.settled_at : after.state === 'open' ? null : now.toISOString();
    const updated = await trx
      .updateTable('punch_items')
      .set({ ...after, settled_at: settledAt, updated_at: now.toISOString() })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, {
      type: 'punch_item.updated',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      item: updated,
      changed: { before: diff.before, after: diff.after },
    });
    return toPunchItemView(updated, await names(updated.owner_user_id));
  });
}
