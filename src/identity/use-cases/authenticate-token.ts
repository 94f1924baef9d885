import type { Deps } from '../../kernel/context.js';
import { preparedQuery } from '../../kernel/prepared-query.js';
import type { Principal } from '../domain/roles.js';
import { parseScopes } from '../domain/scopes.js';
import { hashToken } from '../domain/token.js';
import { principalOf } from './load-principal.js';

/** How stale `last_used_at` may get before a request writes it again (keeps writes off most reads). */
const LAST_USED_RESOLUTION_MS = 10 * 60 * 1000;

/** A live token's user, one row per team the user belongs to (see `principalOf`). */
const selectToken = preparedQuery((db, v: { tokenHash: string }) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .leftJoin('team_members', (join) =>
      join.onRef('team_members.user_id', '=', 'users.id').onRef('team_members.org_id', '=', 'users.org_id'),
    )
    .select([
      'api_tokens.id as token_id',
      'api_tokens.last_used_at',
      'api_tokens.scopes',
      'users.id',
      'users.org_id',
      'users.email',
      'users.role',
      'team_members.team_id',
    ])
    .where('api_tokens.token_hash', '=', v.tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null),
);

/**
 * Resolves a bearer token to its principal, with the token's scopes, or null when unknown, revoked
 * or its user disabled. Records when the token was last used, to within ten minutes.
 */
export async function authenticateToken(deps: Deps, token: string): Promise<Principal | null> {
  if (!token.startsWith('bat_') || token.length > 200) return null;
  const db = deps.store.db;
  const rows = await selectToken.rows(db, { tokenHash: hashToken(token) });
  const row = rows[0];
  if (!row) return null;
  const now = deps.clock.now();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > LAST_USED_RESOLUTION_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.token_id)
      .execute();
  }
  return principalOf(rows, parseScopes(row.scopes));
}
