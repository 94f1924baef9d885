import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/*
 * How an e-mail provider proves a request is its own (docs/design-integrations.md):
 * - Mailgun signs every forward: `signature` = hex HMAC-SHA256 of `timestamp` + `token` with the
 *   webhook signing key. The body is not covered, so a token is good for one message only (the
 *   caller keeps its hash) and a timestamp older than the source's `max_age_seconds` is refused.
 * - SendGrid's Inbound Parse posts to the URL it is given, which carries HTTP Basic credentials
 *   (`https://user:secret@host/api/v1/inbound/inquiry/{source}`): the password is the source's secret.
 */

export interface SignatureProblem {
  path: string;
  reason: string;
}

export type Verdict = { ok: true; tokenSha256: string | null } | { ok: false; problem: SignatureProblem };

/** A day: Mailgun retries a failed forward for hours with the same signature. */
export const DEFAULT_MAILGUN_MAX_AGE_SECONDS = 86_400;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks a Mailgun forward's `timestamp`, `token` and `signature` against the signing key. */
export function verifyMailgun(
  fields: ReadonlyMap<string, string>,
  signingKey: string,
  now: Date,
  maxAgeSeconds = DEFAULT_MAILGUN_MAX_AGE_SECONDS,
): Verdict {
  const timestamp = fields.get('timestamp') ?? '';
  const token = fields.get('token') ?? '';
  const signature = (fields.get('signature') ?? '').toLowerCase();
  if (!timestamp || !token || !signature)
    return {
      ok: false,
      problem: { path: '/signature', reason: 'timestamp, token and signature are required' },
    };
  const expected = createHmac('sha256', signingKey).update(`${timestamp}${token}`).digest('hex');
  if (!sameText(signature, expected))
    return {
      ok: false,
      problem: { path: '/signature', reason: "does not verify with the source's signing key" },
    };
  const seconds = Number(timestamp);
  const age = now.getTime() / 1000 - seconds;
  if (!Number.isFinite(seconds) || age > maxAgeSeconds || age < -300)
    return {
      ok: false,
      problem: { path: '/timestamp', reason: `is more than ${maxAgeSeconds} seconds away from now` },
    };
  return { ok: true, tokenSha256: createHash('sha256').update(token).digest('hex') };
}

/** Checks HTTP Basic credentials: the password must be the secret (and the user, if one is set). */
export function verifyBasic(authorization: string | undefined, secret: string, user?: string): Verdict {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match)
    return {
      ok: false,
      problem: { path: '/headers/authorization', reason: 'Basic credentials are required' },
    };
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const givenUser = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  const passwordOk = sameText(password, secret);
  const userOk = user === undefined || sameText(givenUser, user);
  if (!passwordOk || !userOk)
    return { ok: false, problem: { path: '/headers/authorization', reason: 'the credentials do not match' } };
  return { ok: true, tokenSha256: null };
}
