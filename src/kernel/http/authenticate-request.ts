import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../identity/domain/roles.js';
import { CSRF_HEADER, csrfMatches, SESSION_COOKIE } from '../../identity/domain/session-token.js';
import { authenticateSession } from '../../identity/use-cases/authenticate-session.js';
import { authenticateToken } from '../../identity/use-cases/authenticate-token.js';
import type { Deps } from '../context.js';
import { AppError } from '../errors.js';
import { readCookie } from './cookies.js';

/** The browser session behind a request authenticated by cookie. */
export interface RequestSession {
  token: string;
  id: string;
  expiresAt: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a request a browser sent on behalf of another site: `Sec-Fetch-Site: cross-site`, or an
 * `Origin` that is not this server's: the public URL's origin when one is configured (a proxy in
 * front may rewrite `Host`), otherwise one whose host is the request's (`Host`, or the
 * `X-Forwarded-Host` of a trusted proxy). Requests without either header (curl, the CLI) pass.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') {
    throw new AppError('forbidden', 'Cross-site requests are refused.');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let from: URL | null = null;
  try {
    from = origin === 'null' ? null : new URL(origin);
  } catch {
    from = null;
  }
  const publicUrl = request.server.publicUrl;
  const ours = from && (publicUrl ? from.origin === new URL(publicUrl).origin : from.host === request.host);
  if (!ours) throw new AppError('forbidden', 'Requests from another origin are refused.');
}

/**
 * Who is calling: a bearer token (exactly as before; it wins when present) or the session cookie.
 * A cookie-authenticated request that changes state must come from this site and carry the
 * session's CSRF token in `X-CSRF-Token`.
 */
export async function authenticateRequest(
  deps: Deps,
  request: FastifyRequest,
): Promise<{ principal: Principal; session: RequestSession | null }> {
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
