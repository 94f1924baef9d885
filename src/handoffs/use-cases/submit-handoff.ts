import type { Principal } from '../../identity/domain/roles.js';
import { insertRows } from '../../kernel/batch-writes.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { publishAll } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { loadHandoffInHand, viewFor } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';
import { setReviewNudge } from '../review-nudge.js';
import { applyCommand } from './apply-command.js';
import { readinessIssues } from './packet-issues.js';

/**
 * Submits the packet as a new numbered revision. Refused, naming every missing or invalid field,
 * until the packet is ready. Publishes `handoff.submitted`, to which the other features react in
 * the same transaction (records reconciled from the packet, checkpoints, notices); the receivers
 * are nudged if it sits unopened through its review window.
 */
export async function submitHandoff(deps: Deps, principal: Principal, id: string): Promise<Handoff> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const loaded = await loadHandoffInHand(trx, principal.orgId, id);
    const row = loaded.row;
    const playbook = await playbookById(trx, principal.orgId, row.playbook_id);
    const compiled = playbook.transition(row.transition_key);
    if (!compiled) throw new Error(`Handoff ${row.id} names a missing transition ${row.transition_key}`);
    const packet = JSON.parse(row.packet) as Packet;
    const number = Number(row.revision) + 1;
    const { row: updated, events } = await applyCommand(
      trx,
      principal,
      now,
      row,
      {
        type: 'submit',
        issues: await readinessIssues(trx, principal.orgId, compiled.validator, packet, {
          transition: compiled.def,
          engagementId: row.engagement_id,
          ports: deps.ports,
        }),
        packet,
      },
      { revision: number, submitted_at: now.toISOString(), decision: null, decided_at: null },
    );
    await insertRows(trx, 'handoff_revisions', [
      {
        id: newId(),
        org_id: principal.orgId,
        handoff_id: row.id,
        number,
        packet: row.packet,
        submitted_by: principal.userId,
        submitted_at: now.toISOString(),
        answering_question_id: null,
      },
    ]);
    await publishAll(trx, events);
    await setReviewNudge(trx, updated, now);
    return viewFor(trx, principal, { ...loaded, row: updated }, deps.ports);
  });
}
