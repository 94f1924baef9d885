import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { CloseoutStatus } from '../records-schema.js';
import { activeUserIssues } from './closeout-records.js';
import { closeoutStatus } from './closeout-status.js';

/**
 * Records that the team introduced the service lead to the client (a user of the organisation,
 * now or at the time given), so the client's first call to service is not a stranger's.
 * Publishes `service_lead.introduced`. Answers the closeout status.
 */
export async function introduceServiceLead(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: { user_id: string },
): Promise<CloseoutStatus> {
  requireCapability(principal, 'write_records', 'record the service lead');
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const issues = await activeUserIssues(trx, principal.orgId, input.user_id, '/user_id');
    if (issues.length) throw new AppError('validation_failed', 'The service lead is not valid.', issues);
    const updated = await trx
      .updateTable('engagements')
      .set({ service_lead_user_id: input.user_id, service_lead_introduced_at: now.toISOString() })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', engagement.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await publish(trx, {
      type: 'service_lead.introduced',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      engagement: updated,
    });
  });
  return closeoutStatus(deps, principal, engagementId);
}
