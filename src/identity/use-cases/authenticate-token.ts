import type { Deps } from '../../kernel/context.js';
import type { Principal, Role } from '../domain/roles.js';
import { hashToken } from '../domain/token.js';

/** Resolves a bearer token to its principal, or null when unknown, revoked or its user disabled. */
export async function authenticateToken(deps: Deps, token: string): Promise<Principal | null> {
  if (!token.startsWith('bat_') || token.length > 200) return null;
  const row = await deps.store.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'users.id', 'users.org_id', 'users.email', 'users.role'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const teams = await deps.store.db
    .selectFrom('team_members')
    .select('team_id')
    .where('user_id', '=', row.id)
    .where('org_id', '=', row.org_id)
    .execute();
  return {
    orgId: row.org_id,
    userId: row.id,
    email: row.email,
    role: row.role as Role,
    teamIds: teams.map((t) => t.team_id),
  };
}
