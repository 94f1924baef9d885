import { appendAudit } from '../audit/append-audit.js';
import type { AuditEntry } from '../audit/audit-entry.js';
import type { Actor } from '../kernel/actor.js';
import { deleteRowsById, insertRows } from '../kernel/batch-writes.js';
import type { Tx } from '../kernel/context.js';
import { publish } from '../kernel/events.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import type { SubstancePlan } from './domain/substance-plan.js';

/**
 * Writes a substance plan in the caller's transaction, deciding nothing: new records of a kind
 * in one multi-row insert, removals of a kind in one delete, each changed record in one update,
 * and the audit entries in the order the plan gives them (inserted together before commit); the
 * promises added or removed are published as one `promises.reconciled` event.
 *
 * Example: `await writeSubstancePlan(trx, orgId, actor, now, planSubstance(world, mapped, ctx))`.
 */
export async function writeSubstancePlan(
  trx: Tx,
  orgId: string,
  actor: Actor,
  at: Date,
  plan: SubstancePlan,
): Promise<void> {
  const { promises, scopeItems, contacts, ladder } = plan;
  for (const c of promises.change) await updatePromise.rows(trx, { ...c.set, id: c.id, orgId });
  await insertRows(
    trx,
    'promises',
    promises.add.map((row) => ({ ...row, org_id: orgId })),
  );
  await deleteRowsById(
    trx,
    'promises',
    promises.remove.map((row) => row.id),
  );
  await insertRows(
    trx,
    'scope_items',
    scopeItems.add.map((row) => ({ ...row, org_id: orgId })),
  );
  await deleteRowsById(
    trx,
    'scope_items',
    scopeItems.remove.map((row) => row.id),
  );
  for (const c of contacts.change) await updateContactRole.rows(trx, { ...c.set, id: c.id, orgId });
  await insertRows(
    trx,
    'contacts',
    contacts.add.map((row) => ({ ...row, org_id: orgId })),
  );
  if (ladder.add) await insertRows(trx, 'success_ladders', [{ ...ladder.add, org_id: orgId }]);
  // The rungs a packet changes vary: built per call.
  if (ladder.change)
    await trx
      .updateTable('success_ladders')
      .set(ladder.change.set)
      .where('org_id', '=', orgId)
      .where('id', '=', ladder.change.id)
      .execute();
  for (const entry of plan.audit) await appendAudit(trx, orgId, actor, at, entry as AuditEntry);
  if (promises.add.length > 0 || promises.remove.length > 0)
    await publish(trx, {
      type: 'promises.reconciled',
      orgId,
      actor,
      at,
      added: promises.add.map((row) => ({ ...row, org_id: orgId })),
      removed: promises.remove.map((row) => row.id),
    });
}

const updatePromise = preparedQuery(
  (db, v: { id: string; orgId: string; made_by: string; in_contract: number; updated_at: string }) =>
    db
      .updateTable('promises')
      .set({ made_by: v.made_by, in_contract: v.in_contract, updated_at: v.updated_at })
      .where('org_id', '=', v.orgId)
      .where('id', '=', v.id),
);

const updateContactRole = preparedQuery(
  (db, v: { id: string; orgId: string; role: string; updated_at: string }) =>
    db
      .updateTable('contacts')
      .set({ role: v.role, updated_at: v.updated_at })
      .where('org_id', '=', v.orgId)
      .where('id', '=', v.id),
);
