import { type Actor, appendAudit } from '../../audit/append-audit.js';
import type { Tx } from '../../kernel/context.js';

/**
 * Keeps the engagement's contract date in step with a `contract_signed` milestone recorded on one
 * of its handoffs, inside the caller's transaction; audited when it changes.
 */
export async function recordContractSigned(
  trx: Tx,
  orgId: string,
  input: { engagementId: string; handoffId: string; signedAt: Date },
  actor: Actor,
  now: Date,
): Promise<void> {
  const row = await trx
    .selectFrom('engagements')
    .select('contract_signed_at')
    .where('org_id', '=', orgId)
    .where('id', '=', input.engagementId)
    .executeTakeFirst();
  const signedAt = input.signedAt.toISOString();
  if (!row || row.contract_signed_at === signedAt) return;
  await trx
    .updateTable('engagements')
    .set({ contract_signed_at: signedAt, updated_at: now.toISOString() })
    .where('org_id', '=', orgId)
    .where('id', '=', input.engagementId)
    .execute();
  await appendAudit(trx, orgId, actor, now, {
    action: 'engagement.updated',
    entityType: 'engagement',
    entityId: input.engagementId,
    engagementId: input.engagementId,
    handoffId: input.handoffId,
    before: { contract_signed_at: row.contract_signed_at },
    after: { contract_signed_at: signedAt },
  });
}
