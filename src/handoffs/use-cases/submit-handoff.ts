import { onHandoffEvent } from '../../checkpoints/checkpoint-engine.js';
import type { Principal } from '../../identity/domain/roles.js';
import { insertRows } from '../../kernel/batch-writes.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { newId } from '../../kernel/ids.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { reconcileSubstance } from '../../substance/use-cases/reconcile-substance.js';
import { tellAboutHandoff } from '../handoff-notices.js';
import { loadHandoffInHand, viewFor } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';
import { setReviewNudge } from '../review-nudge.js';
import { applyEvent } from './apply-event.js';
import { readinessIssues } from './packet-issues.js';

/**
 * Submits the packet as a new numbered revision. Refused, naming every missing or invalid field,
 * until the packet is ready. Fields the playbook maps to records (promises, scope, contacts,
 * success ladder) are reconciled into those records in the same transaction.
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
    const updated = await applyEvent(
      trx,
      principal,
      now,
      row,
      { type: 'submit', issues: await readinessIssues(trx, principal.orgId, compiled.validator, packet) },
      {
        changes: { revision: number, submitted_at: now.toISOString(), decision: null, decided_at: null },
        action: 'handoff.submitted',
        before: { state: row.state, revision: Number(row.revision) },
        after: { state: 'submitted', revision: number },
      },
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
      },
    ]);
    await reconcileSubstance(trx, principal, now, {
      handoffId: row.id,
      engagementId: row.engagement_id,
      transition: compiled.def,
      packet,
    });
    await onHandoffEvent(trx, {
      orgId: principal.orgId,
      handoff: updated,
      event: 'submitted',
      at: now,
      actor: { type: 'user', id: principal.userId },
    });
    await tellAboutHandoff(trx, { kind: 'handoff_submitted', handoff: updated, by: principal.userId }, now);
    await setReviewNudge(trx, updated, now);
    return viewFor(trx, principal, { ...loaded, row: updated });
  });
}
