import type { Deps } from '../../kernel/context.js';
import type { Principal } from '../../kernel/principal.js';
import { requireCapability } from '../../kernel/principal.js';
import { DEAD_JOB_COLUMNS, type DeadJobView, toDeadJobView } from '../dead-jobs.js';

/**
 * The organisation's dead-lettered jobs, newest first (ids are time-ordered): e-mails, chat
 * messages, timers and witness posts that failed every attempt or could not be read. `before`
 * pages on from the last id of a page. Admins only.
 *
 * @example
 * const page = await listDeadJobs(deps, admin, { kind: 'send_webhook', limit: 50 });
 */
export async function listDeadJobs(
  deps: Deps,
  principal: Principal,
  filter: { kind?: string; limit?: number; before?: string },
): Promise<DeadJobView[]> {
  requireCapability(principal, 'manage_identity', 'list dead jobs');
  let q = deps.store.db
    .selectFrom('scheduled_jobs')
    .select([...DEAD_JOB_COLUMNS])
    .where('status', '=', 'dead')
    .where('org_id', '=', principal.orgId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.before) q = q.where('id', '<', filter.before);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(toDeadJobView);
}
