import type { Db } from '../kernel/context.js';
import type { HandoffsTable, RescopesTable } from '../kernel/db/schema.js';
import { notFound } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import type { Recipient } from '../notifications/notify.js';
import { recipientsOf } from './checkpoint-records.js';
import type { RescopeOutcome } from './domain/rescope-outcome.js';
import type { Rescope } from './rescope-schema.js';

export function toRescopeView(r: RescopesTable): Rescope {
  return {
    id: r.id,
    engagement_id: r.engagement_id,
    handoff_id: r.handoff_id,
    checkpoint_id: r.checkpoint_id,
    changes: JSON.parse(r.changes) as Rescope['changes'],
    status: r.status === 'resolved' ? 'resolved' : 'open',
    created_by: r.created_by,
    created_at: r.created_at,
    resolution:
      r.status === 'resolved' && r.resolved_at
        ? {
            outcome: r.resolution_outcome as RescopeOutcome,
            note: r.resolution_note ?? '',
            by: r.resolved_by,
            at: r.resolved_at,
          }
        : null,
  };
}

/** A re-scope record of the organisation, or 404. */
export async function loadRescope(db: Db, orgId: string, id: string): Promise<RescopesTable> {
  const row = isId(id)
    ? await db
        .selectFrom('rescopes')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('re-scope', id);
  return row;
}

/**
 * Who hears about a re-scope: the seller, that is whoever opened the handoff, its sending team,
 * and the engagement's owner.
 */
export async function sellersOf(
  db: Db,
  orgId: string,
  handoff: Pick<HandoffsTable, 'sending_team_id' | 'created_by'>,
  engagementOwnerId: string | null,
): Promise<Recipient[]> {
  return recipientsOf(db, orgId, {
    teamIds: [handoff.sending_team_id],
    userIds: [handoff.created_by, engagementOwnerId],
  });
}
