import type { Db } from '../../kernel/context.js';
import type { Principal, Role } from '../domain/roles.js';

/** The principal of an enabled user, with their team memberships; null if the user is disabled or gone. */
export async function loadPrincipal(db: Db, orgId: string, userId: string): Promise<Principal | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'org_id', 'email', 'role'])
    .where('org_id', '=', orgId)
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return user ? principalOf(db, user) : null;
}

/** A user row made a principal: its role and the teams it belongs to. */
export async function principalOf(
  db: Db,
  user: { id: string; org_id: string; email: string; role: string },
): Promise<Principal> {
  const teams = await db
    .selectFrom('team_members')
    .select('team_id')
    .where('org_id', '=', user.org_id)
    .where('user_id', '=', user.id)
    .execute();
  return {
    orgId: user.org_id,
    userId: user.id,
    email: user.email,
    role: user.role as Role,
    teamIds: teams.map((t) => t.team_id),
  };
}
