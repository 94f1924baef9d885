import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { publishAll } from '../../kernel/events.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { loadHandoffInHand, viewFor } from '../handoff-records.js';
import type { Decision, Handoff } from '../handoff-schema.js';
import { applyCommand } from './apply-command.js';

/**
 * The receiving team rejects the submitted packet with a reason from the playbook's catalogue
 * and a written explanation; the sender revises and resubmits.
 */
export async function rejectHandoff(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { reason_code: string; explanation: string },
): Promise<Handoff> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const loaded = await loadHandoffInHand(trx, principal.orgId, id);
    const row = loaded.row;
    const playbook = await playbookById(trx, principal.orgId, row.playbook_id);
    const reasons = playbook.transition(row.transition_key)?.def.rejectionReasons ?? [];
    const reason = reasons.find((r) => r.code === input.reason_code);
    const decision: Decision = {
      outcome: 'rejected',
      reason_code: input.reason_code,
      reason_label: reason?.label ?? null,
      explanation: input.explanation.trim(),
      by: principal.userId,
      at: now.toISOString(),
    };
    const { row: updated, events } = await applyCommand(
      trx,
      principal,
      now,
      row,
      {
        type: 'reject',
        reasonCode: input.reason_code,
        explanation: input.explanation,
        catalogue: reasons.map((r) => r.code),
      },
      { decision: JSON.stringify(decision), decided_at: now.toISOString() },
    );
    await publishAll(trx, events);
    return viewFor(trx, principal, { ...loaded, row: updated }, deps.ports);
  });
}
