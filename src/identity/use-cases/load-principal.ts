import type { Db } from '../../kernel/context.js';
import { preparedQuery } from '../../kernel/prepared-query.js';
import type { Principal, Role } from '../domain/roles.js';
import { TOKEN_SCOPES, type TokenScope } from '../domain/scopes.js';

const selectUser = preparedQuery((db, v: { orgId: string; userId: string }) =>
  db
    .selectFrom('users')
    .leftJoin('team_members', (join) =>
      join.onRef('team_members.user_id', '=', 'users.id').onRef('team_members.org_id', '=', 'users.org_id'),
    )
    .select(['users.id', 'users.org_id', 'users.email', 'users.role', 'team_members.team_id'])
    .where('users.org_id', '=', v.orgId)
    .where('users.id', '=', v.userId)
    .where('users.disabled_at', 'is', null),
);

/**
 * The principal of an enabled user, with their team memberships and every scope (as a web session
 * has); null if the user is disabled or gone.
 */
export async function loadPrincipal(db: Db, orgId: string, userId: string): Promise<Principal | null> {
  const rows = await selectUser.rows(db, { orgId, userId });
  return principalOf(rows, TOKEN_SCOPES);
}

/** One row per team a user belongs to (one with no team if none): a user left-joined with `team_members`. */
export interface UserTeamRow {
  id: string;
  org_id: string;
  email: string;
  role: string;
  team_id: string | null;
}

/** A user made a principal: its role, the teams it belongs to and the scopes given; null when there is no row. */
export function principalOf(rows: readonly UserTeamRow[], scopes: readonly TokenScope[]): Principal | null {
  const user = rows[0];
  if (!user) return null;
  return {
    orgId: user.org_id,
    userId: user.id,
    email: user.email,
    role: user.role as Role,
    teamIds: rows.flatMap((r) => (r.team_id === null ? [] : [r.team_id])),
    scopes,
  };
}
