import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { publishAll } from '../../kernel/events.js';
import { loadHandoffInHand, viewFor } from '../handoff-records.js';
import type { Decision, Handoff } from '../handoff-schema.js';
import { applyCommand } from './apply-command.js';

/** The receiving team accepts the submitted packet; refused while any question is open. */
export async function acceptHandoff(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { note?: string } = {},
): Promise<Handoff> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const loaded = await loadHandoffInHand(trx, principal.orgId, id);
    const row = loaded.row;
    const decision: Decision = {
      outcome: 'accepted',
      reason_code: null,
      reason_label: null,
      explanation: input.note?.trim() || null,
      by: principal.userId,
      at: now.toISOString(),
    };
    const { row: updated, events } = await applyCommand(
      trx,
      principal,
      now,
      row,
      { type: 'accept', openQuestions: loaded.openQuestions, note: decision.explanation },
      { decision: JSON.stringify(decision), decided_at: now.toISOString() },
    );
    await publishAll(trx, events);
    return viewFor(trx, principal, { ...loaded, row: updated }, deps.ports);
  });
}
