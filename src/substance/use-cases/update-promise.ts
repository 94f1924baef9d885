import { changedValues, checkOptionalText, checkRequiredText } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { nextStatus, type PromiseStatus } from '../domain/promise-status.js';
import type { PromiseRecord } from '../promise-schema.js';
import { loadPromise, toPromiseView } from './promise-records.js';

export interface UpdatePromiseInput {
  text?: string;
  made_by?: string;
  in_contract?: boolean;
  status?: PromiseStatus;
  /** Required when the status becomes broken or renegotiated. */
  status_note?: string | null;
}

/**
 * Rewords a promise, or records how it ended: kept, broken or renegotiated (the last two say why).
 * Publishes `promise.updated` with the fields changed (audited as such).
 */
export async function updatePromise(
  deps: Deps,
  principal: Principal,
  id: string,
  input: UpdatePromiseInput,
): Promise<PromiseRecord> {
  requireCapability(principal, 'write_records', 'change promises');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadPromise(trx, principal.orgId, id);
    const before = toPromiseView(row);
    const errors: ErrorDetail[] = [
      ...(input.text !== undefined ? checkRequiredText('/text', input.text, 2000) : []),
      ...(input.made_by !== undefined ? checkRequiredText('/made_by', input.made_by, 200) : []),
      ...(input.in_contract === undefined || typeof input.in_contract === 'boolean'
        ? []
        : [{ path: '/in_contract', message: 'must be true or false' }]),
      ...checkOptionalText('/status_note', input.status_note, 2000),
    ];
    const status = nextStatus({
      from: before.status,
      to: input.status,
      note: input.status_note,
      currentNote: before.status_note,
    });
    if (!status.ok) errors.push(...status.issues);
    if (errors.length || !status.ok)
      throw new AppError('validation_failed', 'The changes are not valid.', errors);
    const fields = (p: PromiseRecord) => ({
      text: p.text,
      made_by: p.made_by,
      in_contract: p.in_contract,
      status: p.status,
      status_note: p.status_note,
    });
    const after = {
      ...fields(before),
      ...(input.text !== undefined ? { text: input.text.trim() } : {}),
      ...(input.made_by !== undefined ? { made_by: input.made_by.trim() } : {}),
      ...(input.in_contract !== undefined ? { in_contract: input.in_contract } : {}),
      status: status.status,
      status_note: status.note,
    };
    const diff = changedValues(fields(before), after);
    if (!diff.changed) return before;
    const updated = await trx
      .updateTable('promises')
      .set({ ...after, in_contract: after.in_contract ? 1 : 0, updated_at: now.toISOString() })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, {
      type: 'promise.updated',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      promise: updated,
      changed: { before: diff.before, after: diff.after },
    });
    return toPromiseView(updated);
  });
}
