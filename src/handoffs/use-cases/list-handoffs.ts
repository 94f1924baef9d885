import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { toViews } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';

export interface HandoffFilter {
  state?: string[];
  /** A team key: handoffs this team sends or receives. */
  team?: string;
  /** `me`, or a user id. */
  assignee?: string;
  engagement_id?: string;
  limit?: number;
  offset?: number;
}

/** Handoffs of the caller's organisation, newest first, filtered by state, team and assignee. */
export async function listHandoffs(
  deps: Deps,
  principal: Principal,
  filter: HandoffFilter,
): Promise<{ items: Handoff[]; total: number }> {
  const db = deps.store.db;
  let q = db.selectFrom('handoffs').where('handoffs.org_id', '=', principal.orgId);
  if (filter.state?.length) q = q.where('handoffs.state', 'in', filter.state);
  if (filter.engagement_id) q = q.where('handoffs.engagement_id', '=', filter.engagement_id);
  if (filter.assignee) {
    q = q.where(
      'handoffs.assignee_user_id',
      '=',
      filter.assignee === 'me' ? principal.userId : filter.assignee,
    );
  }
  if (filter.team) {
    const team = await db
      .selectFrom('teams')
      .select('id')
      .where('org_id', '=', principal.orgId)
      .where('key', '=', filter.team)
      .executeTakeFirst();
    const teamId = team?.id ?? '';
    q = q.where((eb) =>
      eb.or([eb('handoffs.sending_team_id', '=', teamId), eb('handoffs.receiving_team_id', '=', teamId)]),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll('handoffs')
    .orderBy('handoffs.updated_at', 'desc')
    .orderBy('handoffs.id')
    .limit(filter.limit ?? 50)
    .offset(filter.offset ?? 0)
    .execute();
  return { items: await toViews(db, principal, rows, deps.ports), total: Number(total.n) };
}
