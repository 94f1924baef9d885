import { MOVE_EVENTS, onHandoffEvent } from '../../checkpoints/checkpoint-engine.js';
import { openCheckpointsOf } from '../../checkpoints/checkpoint-records.js';
import { closeBlockers } from '../../checkpoints/domain/settle-checkpoints.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import type { HandoffEvent } from '../domain/lifecycle.js';
import { loadHandoffInHand, viewFor } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';
import { applyEvent } from './apply-event.js';

type Move = 'withdraw' | 'start_delivery' | 'close';

const ACTIONS: Record<Move, string> = {
  withdraw: 'handoff.withdrawn',
  start_delivery: 'handoff.delivery_started',
  close: 'handoff.closed',
};

/**
 * The lifecycle moves that carry only an optional note: the sender withdraws; the receiver starts
 * delivery (only after acceptance) and closes — refused, naming each one, while a checkpoint the
 * playbook requires is open. Each move settles the checkpoints it makes pointless.
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
    const row = loaded.row;
    const event: HandoffEvent =
      move === 'close'
        ? {
            type: move,
            openCheckpoints: closeBlockers(await openCheckpointsOf(trx, principal.orgId, row.id)),
          }
        : { type: move };
    const updated = await applyEvent(trx, principal, now, row, event, {
      action: ACTIONS[move],
      after: { note: input.note?.trim() || null },
    });
    await onHandoffEvent(trx, {
      orgId: principal.orgId,
      handoff: updated,
      event: MOVE_EVENTS[move],
      at: now,
      actor: { type: 'user', id: principal.userId },
    });
    return viewFor(trx, principal, { ...loaded, row: updated });
  });
}
