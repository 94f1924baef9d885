import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The name of the HTTP-only cookie that carries the session id. */
export const SESSION_COOKIE = 'baton_session';

/** The header a browser sends the CSRF token in, on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/** How long a session lasts from sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A new session id (`bts_` + 32 random bytes) and the SHA-256 that is all the database keeps. */
export function generateSessionToken(): { token: string; hash: string } {
  const token = `bts_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashSessionToken(token) };
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token of a session: an HMAC keyed by the session id, so it needs no storage, cannot be
 * derived without the HTTP-only cookie, and dies with the session.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('baton-csrf-v1').digest('base64url');
}

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
