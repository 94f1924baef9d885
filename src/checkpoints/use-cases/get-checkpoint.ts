import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { invitationOf } from '../checkpoint-invitation.js';
import { loadCheckpoint, toCheckpointView } from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';

/** One checkpoint with its clock events. */
export async function getCheckpoint(deps: Deps, principal: Principal, id: string): Promise<Checkpoint> {
  requireCapability(principal, 'read', 'read checkpoints');
  const row = await loadCheckpoint(deps.store.db, principal.orgId, id);
  return toCheckpointView(deps.store.db, principal.orgId, row, deps.clock.now());
}

/** The .ics invitation of a scheduled checkpoint. */
export async function getCheckpointInvitation(deps: Deps, principal: Principal, id: string): Promise<string> {
  requireCapability(principal, 'read', 'download checkpoint invitations');
  const row = await loadCheckpoint(deps.store.db, principal.orgId, id);
  return invitationOf(deps.store.db, row);
}
