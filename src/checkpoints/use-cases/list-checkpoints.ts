import { sql } from 'kysely';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { toCheckpointViews } from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';
import type { CheckpointState } from '../domain/checkpoint-state.js';

export interface ListCheckpointsQuery {
  state?: CheckpointState[];
  owner?: string;
  handoff_id?: string;
  limit?: number;
  offset?: number;
}

/**
 * The organisation's checkpoints, overdue first, then by due time: the inbox order. `owner=me`
 * keeps the caller's own and, where no one is named, their teams'. `state=overdue` includes open
 * checkpoints past due that the scheduler has not yet marked.
 */
export async function listCheckpoints(
  deps: Deps,
  principal: Principal,
  query: ListCheckpointsQuery,
): Promise<{ items: Checkpoint[]; total: number }> {
  requireCapability(principal, 'read', 'list checkpoints');
  const now = deps.clock.now().toISOString();
  const db = deps.store.db;
  let ownerId: string | undefined;
  if (query.owner !== undefined) {
    ownerId = query.owner === 'me' ? principal.userId : query.owner;
    if (!isId(ownerId))
      throw new AppError('validation_failed', 'Bad owner.', [
        { path: '/query/owner', message: 'must be "me" or a user id' },
      ]);
  }
  const overdue = sql<boolean>`(state = 'overdue' OR (state = 'open' AND paused_at IS NULL AND due_at <= ${now}))`;
  let q = db.selectFrom('checkpoints').where('org_id', '=', principal.orgId);
  if (query.handoff_id) q = q.where('handoff_id', '=', query.handoff_id);
  if (ownerId) {
    const teams = ownerId === principal.userId ? [...principal.teamIds] : [];
    const uid = ownerId;
    q = q.where((eb) =>
      eb.or([
        eb('owner_user_id', '=', uid),
        ...(teams.length
          ? [eb.and([eb('owner_user_id', 'is', null), eb('owner_team_id', 'in', teams)])]
          : []),
      ]),
    );
  }
  if (query.state?.length) {
    const states = query.state;
    q = q.where((eb) =>
      eb.or(
        states.map((s) => {
          if (s === 'overdue') return eb(overdue, '=', sql<boolean>`TRUE`);
          if (s === 'open')
            return eb.and([eb('state', '=', 'open'), eb(sql`NOT ${overdue}`, '=', sql<boolean>`TRUE`)]);
          return eb('state', '=', s);
        }),
      ),
    );
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy(sql`CASE WHEN ${overdue} THEN 0 ELSE 1 END`)
    .orderBy('due_at')
    .orderBy('id')
    .limit(query.limit ?? 50)
    .offset(query.offset ?? 0)
    .execute();
  return {
    items: await toCheckpointViews(db, principal.orgId, rows, deps.clock.now()),
    total: Number(total.n),
  };
}
