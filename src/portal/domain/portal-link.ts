import { createHash, randomBytes } from 'node:crypto';

/** What a magic link lets its contact do (docs/design-closeout.md, client portal). */
export const PORTAL_PURPOSES = ['confirm', 'signoff', 'survey'] as const;
export type PortalPurpose = (typeof PORTAL_PURPOSES)[number];

export function isPortalPurpose(value: string): value is PortalPurpose {
  return (PORTAL_PURPOSES as readonly string[]).includes(value);
}

/**
 * Whether a purpose's link works once: a sign-off and a survey answer are made once; a
 * confirmation may be sent again (a client who remembers one more difference) until it expires.
 */
export const SINGLE_USE: Record<PortalPurpose, boolean> = { confirm: false, signoff: true, survey: true };

/** A link lives this many days unless the team says otherwise… */
export const DEFAULT_LINK_DAYS = 14;
/** …and never longer than this many, unless the server is configured otherwise (`BATON_PORTAL_LINK_MAX_DAYS`). */
export const DEFAULT_MAX_LINK_DAYS = 30;
/** The survey's one reminder goes this many days after the survey, if it is still unanswered. */
export const SURVEY_REMINDER_DAYS = 3;

/**
 * A new link token: 256 random bits, base64url (43 characters), and its SHA-256 (hex), which is
 * all the database keeps. The token leaves the server only in the team's answer and the mail.
 *
 * @example
 *   const { token, sha256 } = newLinkToken(); // token.length === 43, sha256.length === 64
 */
export function newLinkToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: tokenSha256(token) };
}

/** The SHA-256 of a token as stored (hex); a link is looked up by it, never by the token. */
export function tokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether text has the shape of a token (so a malformed one costs no lookup). */
export function isTokenShaped(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}

/** The state of a link as the team sees it. */
export type LinkState = 'active' | 'used' | 'revoked' | 'expired';

/** What decides a link's state. */
export interface LinkFacts {
  single_use: number | boolean;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

/**
 * The link's state at `now`: revoked wins, then used (a single-use link once used), then expired.
 *
 * @example
 *   linkState({ single_use: 1, expires_at: '2026-12-15T00:00:00Z', used_at: null, revoked_at: null }, now) // 'active'
 */
export function linkState(link: LinkFacts, now: Date): LinkState {
  if (link.revoked_at !== null) return 'revoked';
  if (Number(link.single_use) === 1 && link.used_at !== null) return 'used';
  if (Date.parse(link.expires_at) <= now.getTime()) return 'expired';
  return 'active';
}

/** When a link made at `now` to last `days` expires. */
export function expiryOf(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}
