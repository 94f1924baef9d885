import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { nextStepOf } from '../domain/next-step.js';
import { toViews } from '../handoff-records.js';
import type { Handoff } from '../handoff-schema.js';

export interface HandoffFilter {
  state?: string[];
  /** A team key: handoffs this team sends or receives. */
  team?: string;
  /** `me`, or a user id. */
  assignee?: string;
  engagement_id?: string;
  /** `me`: only handoffs whose next step is the caller's (`nextStepOf` their actions). */
  waiting_on?: 'me';
  limit?: number;
  offset?: number;
}

/**
 * Handoffs of the caller's organisation, newest first, filtered by state, team and assignee, or
 * to those waiting on the caller: `listHandoffs(deps, olive, { waiting_on: 'me' })` lists the
 * submitted packets her team reviews and the accepted ones it delivers.
 */
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
  if (filter.waiting_on === 'me') {
    // Decided on each view's actions, the same answers the handoff's page offers; only a handoff
    // one of the caller's teams sends or receives, not yet withdrawn or closed, can have one.
    const teamIds = [...principal.teamIds];
    if (teamIds.length === 0) return { items: [], total: 0 };
    const candidates = await q
      .where('handoffs.state', 'not in', ['withdrawn', 'closed'])
      .where((eb) =>
        eb.or([
          eb('handoffs.sending_team_id', 'in', teamIds),
          eb('handoffs.receiving_team_id', 'in', teamIds),
        ]),
      )
      .selectAll('handoffs')
      .orderBy('handoffs.updated_at', 'desc')
      .orderBy('handoffs.id')
      .execute();
    const waiting = (await toViews(db, principal, candidates, deps.ports)).filter(
      (h) => nextStepOf(h.actions, h.open_questions) !== null,
    );
    const offset = filter.offset ?? 0;
    return { items: waiting.slice(offset, offset + (filter.limit ?? 50)), total: waiting.length };
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
