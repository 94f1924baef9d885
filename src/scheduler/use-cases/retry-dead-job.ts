import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { Principal } from '../../kernel/principal.js';
import { requireCapability } from '../../kernel/principal.js';
import { DEAD_JOB_COLUMNS, type DeadJobView, toDeadJobView } from '../dead-jobs.js';

/**
 * Makes a dead-lettered job pending again, due now, with a fresh count of attempts (its last error
 * stays until it runs): for a witness or chat service that is back, or a mailer fixed. Audited as
 * `job.retried`. Only a dead job can be retried (409 otherwise); admins only.
 *
 * @example
 * await retryDeadJob(deps, admin, deadJobId); // { status: 'pending', attempts: 0, … }
 */
export async function retryDeadJob(deps: Deps, principal: Principal, id: string): Promise<DeadJobView> {
  requireCapability(principal, 'manage_identity', 'retry dead jobs');
  if (!isId(id)) throw notFound('job', id);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await trx
      .selectFrom('scheduled_jobs')
      .select([...DEAD_JOB_COLUMNS])
      .where('org_id', '=', principal.orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('job', id);
    const retried = await trx
      .updateTable('scheduled_jobs')
      .set({
        status: 'pending',
        available_at: now.toISOString(),
        attempts: 0,
        lease_owner: null,
        finished_at: null,
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .returning([...DEAD_JOB_COLUMNS])
      .executeTakeFirst();
    if (!retried)
      throw new AppError(
        'illegal_transition',
        `The job is ${row.status}, not dead: only a dead-lettered job can be retried.`,
      );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'job.retried',
      entityType: 'job',
      entityId: id,
      before: { status: 'dead', kind: row.kind, attempts: Number(row.attempts), last_error: row.last_error },
      after: { status: 'pending' },
    });
    return toDeadJobView(retried);
  });
}
