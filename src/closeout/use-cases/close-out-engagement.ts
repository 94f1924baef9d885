import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import type { CloseoutStatus } from '../records-schema.js';
import { readCloseoutStatus } from './closeout-status.js';

/**
 * Closes the engagement out once every item of its playbook's closeout checklist holds: sets
 * `closed_out_at` and publishes `engagement.closed_out` (the portal sends the survey on it).
 * Refused with 422 naming every unmet item and why, or 409 when already closed out. The checklist
 * is read in the closing transaction, so what it judged is what was closed on.
 */
export async function closeOutEngagement(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<CloseoutStatus> {
  requireCapability(principal, 'write_records', 'record the closeout of an engagement');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    if (engagement.closed_out_at)
      throw new AppError('conflict', `The engagement was closed out at ${engagement.closed_out_at}.`);
    const status = await readCloseoutStatus(trx, deps.ports, principal.orgId, engagement);
    const unmet = status.items.filter((i) => !i.met);
    if (unmet.length)
      throw new AppError(
        'unprocessable',
        `The closeout checklist is not met: ${unmet.length} item${unmet.length === 1 ? '' : 's'} ${unmet.length === 1 ? 'stands' : 'stand'} in the way.`,
        unmet.map((i) => ({ path: `/checklist/${i.key}`, code: i.key, message: i.why })),
      );
    const closed = await trx
      .updateTable('engagements')
      .set({
        closed_out_at: now.toISOString(),
        closed_out_by: principal.userId,
        updated_at: now.toISOString(),
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', engagement.id)
      .where('closed_out_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!closed) throw new AppError('conflict', 'The engagement was closed out meanwhile.');
    await publish(trx, {
      type: 'engagement.closed_out',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      engagement: closed,
    });
    return { ...status, closed_out_at: closed.closed_out_at };
  });
}
