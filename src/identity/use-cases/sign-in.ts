import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { releaseAttempt, reserveAttempt } from '../attempt-limiter.js';
import { UNMATCHABLE_HASH, verifyPassword } from '../domain/password.js';
import type { Principal } from '../domain/roles.js';
import { csrfTokenFor, generateSessionToken, SESSION_TTL_MS } from '../domain/session-token.js';
import { loadPrincipal } from './load-principal.js';

export interface SignInInput {
  email: string;
  password: string;
  /** Organisation slug; needed only when the e-mail and password match users of several organisations. */
  organisation?: string;
  /** The client's network address, for the rate limit. */
  client: string;
  userAgent?: string;
}

export interface SignedIn {
  /** The session id: goes into the HTTP-only cookie and nowhere else. */
  token: string;
  csrfToken: string;
  expiresAt: string;
  principal: Principal;
}

/**
 * Signs a user in with e-mail and password and opens a session. The attempt is counted before the
 * password is checked (see `reserveAttempt`), so the limits per e-mail address and per client
 * hold however many attempts race, across every process sharing the database.
 */
export async function signIn(deps: Deps, input: SignInInput): Promise<SignedIn> {
  const db = deps.store.db;
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  const attempt = await reserveAttempt(
    deps,
    { subject: `email:${email}`, client: input.client },
    'failed sign-ins',
  );

  let q = db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['users.id', 'users.org_id', 'users.password_hash', 'organisations.slug'])
    .where('users.email', '=', email)
    .where('users.disabled_at', 'is', null);
  if (input.organisation) q = q.where('organisations.slug', '=', input.organisation.trim().toLowerCase());
  const candidates = await q.orderBy('organisations.slug').execute();
  const matches: typeof candidates = [];
  for (const c of candidates) {
    if (c.password_hash && (await verifyPassword(input.password, c.password_hash))) matches.push(c);
  }
  if (candidates.length === 0) await verifyPassword(input.password, UNMATCHABLE_HASH);

  // A wrong password leaves the attempt counted, as a failure.
  if (matches.length === 0)
    throw new AppError('unauthenticated', 'The e-mail address or the password is wrong.');
  if (matches.length > 1) {
    await releaseAttempt(db, attempt, now);
    const slugs = matches.map((m) => m.slug);
    throw new AppError(
      'validation_failed',
      'This e-mail address belongs to several organisations: choose one.',
      [{ path: '/organisation', message: `choose one of ${slugs.join(', ')}` }],
      { organisations: slugs },
    );
  }
  const user = matches[0]!;
  const { token, hash } = generateSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  return inTransaction(deps, async (trx) => {
    const principal = await loadPrincipal(trx, user.org_id, user.id);
    if (!principal) throw new AppError('unauthenticated', 'The e-mail address or the password is wrong.');
    await releaseAttempt(trx, attempt, now);
    const id = newId();
    await trx
      .insertInto('sessions')
      .values({
        id,
        org_id: user.org_id,
        user_id: user.id,
        token_hash: hash,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        ended_at: null,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    await appendAudit(trx, user.org_id, { type: 'user', id: user.id }, now, {
      action: 'session.signed_in',
      entityType: 'session',
      entityId: id,
      after: { user_id: user.id, expires_at: expiresAt },
    });
    return { token, csrfToken: csrfTokenFor(token), expiresAt, principal };
  });
}
