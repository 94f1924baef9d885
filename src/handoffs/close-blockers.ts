import { openCheckpointsOf } from '../checkpoints/checkpoint-records.js';
import { closeBlockers } from '../checkpoints/domain/settle-checkpoints.js';
import type { Db } from '../kernel/context.js';
import type { Issue } from './domain/lifecycle.js';

/**
 * What stands between a handoff and its close: one problem per open checkpoint the playbook
 * requires done or waived first. The caller's `close` action is decided on it, as the close is.
 *
 * @example
 *   await closeBlockersOf(db, orgId, handoffId);
 *   // → [{ path: '/checkpoints/…', code: 'checkpoint_open', message: '"Joint kickoff" (…) is open, …' }]
 */
export async function closeBlockersOf(db: Db, orgId: string, handoffId: string): Promise<Issue[]> {
  return closeBlockers(await openCheckpointsOf(db, orgId, handoffId));
}
