import { appendAudit } from '../../audit/append-audit.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { UNMATCHABLE_HASH, verifyPassword } from '../domain/password.js';
import type { Principal } from '../domain/roles.js';
import { csrfTokenFor, generateSessionToken, SESSION_TTL_MS } from '../domain/session-token.js';
import { loadPrincipal } from './load-principal.js';

/** Failed sign-ins are counted over this window… */
export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
/** …and refused beyond this many for one e-mail address… */
export const MAX_FAILURES_PER_EMAIL = 5;
/** …or this many from one client address. */
export const MAX_FAILURES_PER_CLIENT = 20;

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
 * Signs a user in with e-mail and password and opens a session. Failed attempts are stored, so the
 * rate limit holds across server processes sharing the database.
 */
export async function signIn(deps: Deps, input: SignInInput): Promise<SignedIn> {
  const db = deps.store.db;
  const email = input.email.trim().toLowerCase();
  const now = deps.clock.now();
  await refuseWhenRateLimited(deps, email, input.client, now);

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

  if (matches.length === 0) {
    await db
      .insertInto('sign_in_attempts')
      .values({ id: newId(), email, client: input.client.slice(0, 100), at: now.toISOString() })
      .execute();
    throw new AppError('unauthenticated', 'The e-mail address or the password is wrong.');
  }
  if (matches.length > 1) {
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
    await trx.deleteFrom('sign_in_attempts').where('email', '=', email).execute();
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

async function refuseWhenRateLimited(deps: Deps, email: string, client: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS).toISOString();
  const count = (column: 'email' | 'client', value: string) =>
    deps.store.db
      .selectFrom('sign_in_attempts')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('at').as('oldest')])
      .where(column, '=', value)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
  const [byEmail, byClient] = await Promise.all([
    count('email', email),
    count('client', client.slice(0, 100)),
  ]);
  const limited =
    Number(byEmail.n) >= MAX_FAILURES_PER_EMAIL
      ? byEmail
      : Number(byClient.n) >= MAX_FAILURES_PER_CLIENT
        ? byClient
        : null;
  if (!limited) return;
  const oldest = new Date(String(limited.oldest)).getTime();
  const retryAfter = Math.max(1, Math.ceil((oldest + ATTEMPT_WINDOW_MS - now.getTime()) / 1000));
  throw new AppError(
    'too_many_requests',
    `Too many failed sign-ins. Try again in ${Math.ceil(retryAfter / 60)} minute${retryAfter > 60 ? 's' : ''}.`,
    [],
    { retry_after: retryAfter },
  );
}
