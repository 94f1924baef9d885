import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { ChangeOrder } from '../change-order-schema.js';
import {
  type ChangeOrderAction,
  type ChangeOrderState,
  nextChangeOrderState,
  STATE_TIME_COLUMN,
} from '../domain/change-order.js';
import { loadChangeOrder, toChangeOrderViews } from './change-order-records.js';

/**
 * Moves a change order one step: quote (optionally with the amount quoted), approve, bill, or
 * decline; the new state's instant is recorded. A move its state does not allow is a conflict
 * naming the state. Publishes `change_order.moved`.
 */
export async function moveChangeOrder(
  deps: Deps,
  principal: Principal,
  id: string,
  action: ChangeOrderAction,
  input: { amount_minor?: number },
): Promise<ChangeOrder> {
  requireCapability(principal, 'write_records', 'move change orders');
  const now = deps.clock.now().toISOString();
  return inTransaction(deps, async (trx) => {
    const row = await loadChangeOrder(trx, principal.orgId, id);
    const from = row.state as ChangeOrderState;
    if (input.amount_minor !== undefined && action !== 'quote')
      throw new AppError('validation_failed', 'Only quoting sets the amount.', [
        { path: '/amount_minor', message: `is set by quoting only, not by ${action}` },
      ]);
    const next = nextChangeOrderState(from, action);
    if (!next.ok)
      throw new AppError(
        'illegal_transition',
        next.reason,
        [{ path: '/state', message: `is ${from}`, code: from }],
        {
          state: from,
        },
      );
    const amount = input.amount_minor ?? Number(row.amount_minor);
    const updated = await trx
      .updateTable('change_orders')
      .set({ state: next.to, amount_minor: amount, [STATE_TIME_COLUMN[next.to]]: now, updated_at: now })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .where('state', '=', from)
      .returningAll()
      .executeTakeFirst();
    if (!updated)
      throw new AppError('conflict', 'The change order moved meanwhile; read it again.', [
        { path: '/state', message: 'changed meanwhile' },
      ]);
    await publish(trx, {
      type: 'change_order.moved',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: new Date(now),
      changeOrder: updated,
      action,
      from,
      to: next.to,
      previousAmountMinor: Number(row.amount_minor),
    });
    return (await toChangeOrderViews(trx, principal.orgId, [updated]))[0]!;
  });
}
