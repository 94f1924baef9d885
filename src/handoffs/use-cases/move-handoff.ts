import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { publishAll } from '../../kernel/events.js';
import { loadHandoffInHand, viewFor } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';
import { applyCommand } from './apply-command.js';

type Move = 'withdraw' | 'start_delivery' | 'close';

/**
 * The lifecycle moves that carry only an optional note: the sender withdraws; the receiver starts
 * delivery (only after acceptance) and closes. What a move means elsewhere its subscribers decide
 * (checkpoints settle the ones it makes pointless, and refuse a close while one the playbook
 * requires is open).
 */
export async function moveHandoff(
  deps: Deps,
  principal: Principal,
  id: string,
  move: Move,
  input: { note?: string } = {},
): Promise<Handoff> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const loaded = await loadHandoffInHand(trx, principal.orgId, id);
    const { row: updated, events } = await applyCommand(trx, principal, now, loaded.row, {
      type: move,
      note: input.note?.trim() || null,
    });
    await publishAll(trx, events);
    return viewFor(trx, principal, { ...loaded, row: updated }, deps.ports);
  });
}
