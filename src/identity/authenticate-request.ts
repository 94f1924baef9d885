import type { FastifyRequest } from 'fastify';
import type { Deps } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import type { Authenticated } from '../kernel/http/build-app.js';
import { readCookie } from '../kernel/http/cookies.js';
import { refuseCrossSite } from '../kernel/http/cross-site.js';
import { CSRF_HEADER, csrfMatches, SESSION_COOKIE } from './domain/session-token.js';
import { authenticateSession } from './use-cases/authenticate-session.js';
import { authenticateToken } from './use-cases/authenticate-token.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who is calling: a bearer token (exactly as before; it wins when present) or the session cookie.
 * A cookie-authenticated request that changes state must come from this site and carry the
 * session's CSRF token in `X-CSRF-Token`. The composition root hands it to the HTTP assembly:
 * `buildApp({ deps, routes, authenticate: authenticateRequest })`.
 */
export async function authenticateRequest(deps: Deps, request: FastifyRequest): Promise<Authenticated> {
  const header = request.headers.authorization;
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (header !== undefined || cookie === undefined) {
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match)
      throw new AppError('unauthenticated', 'Send an API token as "Authorization: Bearer <token>".');
    const principal = await authenticateToken(deps, match[1]!);
    if (!principal) throw new AppError('unauthenticated', 'The token is unknown or has been revoked.');
    return { principal, session: null };
  }
  const found = await authenticateSession(deps, cookie);
  if (!found) throw new AppError('unauthenticated', 'The session has ended or expired: sign in again.');
  if (!SAFE_METHODS.has(request.method)) {
    refuseCrossSite(request);
    const presented = request.headers[CSRF_HEADER];
    if (!csrfMatches(cookie, typeof presented === 'string' ? presented : undefined)) {
      throw new AppError('forbidden', 'The CSRF token is missing or wrong: reload the page and try again.');
    }
  }
  return {
    principal: found.principal,
    session: { token: cookie, id: found.sessionId, expiresAt: found.expiresAt },
  };
}
