import { appendAudit } from '../../audit/append-audit.js';
import type { Actor } from '../../kernel/actor.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { type Reservation, releaseAttempt, reserveAttempt } from '../attempt-limiter.js';
import { hashPassword, passwordProblems, verifyPassword } from '../domain/password.js';
import { can, type Principal } from '../domain/roles.js';

/**
 * Stores a password hash for a user and audits it (never the password), inside the caller's
 * transaction; with `endSessions`, every session of the user ends but `keepSessionId`.
 */
export async function storePasswordInTx(
  trx: Tx,
  orgId: string,
  actor: Actor,
  now: Date,
  input: { userId: string; passwordHash: string; endSessions: boolean; keepSessionId?: string | null },
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ password_hash: input.passwordHash })
    .where('org_id', '=', orgId)
    .where('id', '=', input.userId)
    .execute();
  if (input.endSessions) {
    let end = trx
      .updateTable('sessions')
      .set({ ended_at: now.toISOString() })
      .where('org_id', '=', orgId)
      .where('user_id', '=', input.userId)
      .where('ended_at', 'is', null);
    if (input.keepSessionId) end = end.where('id', '!=', input.keepSessionId);
    await end.execute();
  }
  await appendAudit(trx, orgId, actor, now, {
    action: 'user.password_set',
    entityType: 'user',
    entityId: input.userId,
    after: { password: 'set', sessions_ended: input.endSessions },
  });
}

/** Where a password change comes from. */
export interface PasswordChangeContext {
  /** The client's network address, for the attempt limiter. */
  client: string;
  /** The browser session making the change, which stays signed in; null for an API token. */
  sessionId: string | null;
}

/**
 * Sets a user's password for the web sign-in: an admin for any user of the organisation, or a
 * user for themselves given their current password (guesses of which are limited like
 * sign-ins, see `reserveAttempt`). Every other session of the user ends: whoever knew the old
 * password is signed out; the session that made the change stays.
 */
export async function setPassword(
  deps: Deps,
  principal: Principal,
  userId: string,
  input: { password: string; current_password?: string },
  context: PasswordChangeContext,
): Promise<void> {
  const self = userId === principal.userId;
  if (!self && !can(principal, 'manage_identity')) {
    throw new AppError('forbidden', "Only an admin may set another user's password.");
  }
  const problems = passwordProblems(input.password);
  if (problems.length) throw new AppError('validation_failed', 'The password is not acceptable.', problems);
  const user = isId(userId)
    ? await deps.store.db
        .selectFrom('users')
        .select(['id', 'password_hash'])
        .where('org_id', '=', principal.orgId)
        .where('id', '=', userId)
        .executeTakeFirst()
    : undefined;
  if (!user) throw new AppError('not_found', `No user ${userId}.`);
  let attempt: Reservation | null = null;
  if (self && user.password_hash) {
    if (input.current_password === undefined) {
      throw new AppError('validation_failed', 'The current password is needed to change yours.', [
        { path: '/current_password', message: 'is required' },
      ]);
    }
    attempt = await reserveAttempt(
      deps,
      { subject: `user:${user.id}`, client: context.client },
      'wrong current passwords',
    );
    // A wrong one leaves the attempt counted, as a failure.
    if (!(await verifyPassword(input.current_password, user.password_hash))) {
      throw new AppError('validation_failed', 'The current password is wrong.', [
        { path: '/current_password', message: 'is wrong' },
      ]);
    }
  }
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  await inTransaction(deps, async (trx) => {
    if (attempt) await releaseAttempt(trx, attempt, now);
    await storePasswordInTx(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      userId: user.id,
      passwordHash,
      endSessions: true,
      keepSessionId: self ? context.sessionId : null,
    });
  });
}
