import type { Deps } from '../../kernel/context.js';
import type { Principal } from '../domain/roles.js';
import { hashSessionToken } from '../domain/session-token.js';
import { loadPrincipal } from './load-principal.js';

export interface SessionPrincipal {
  principal: Principal;
  sessionId: string;
  expiresAt: string;
}

/** Resolves a session cookie to its principal; null when unknown, signed out, expired or the user disabled. */
export async function authenticateSession(deps: Deps, token: string): Promise<SessionPrincipal | null> {
  if (!token.startsWith('bts_') || token.length > 200) return null;
  const now = deps.clock.now().toISOString();
  const session = await deps.store.db
    .selectFrom('sessions')
    .select(['id', 'org_id', 'user_id', 'expires_at'])
    .where('token_hash', '=', hashSessionToken(token))
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!session) return null;
  const principal = await loadPrincipal(deps.store.db, session.org_id, session.user_id);
  return principal ? { principal, sessionId: session.id, expiresAt: session.expires_at } : null;
}
