import { type Db, type Deps, inTransaction } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';

/** Password attempts are counted over this window… */
export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
/** …and refused beyond this many for one subject (an e-mail address signing in, a user's current password)… */
export const MAX_ATTEMPTS_PER_SUBJECT = 5;
/** …or this many from one client address, whatever the subject. */
export const MAX_ATTEMPTS_PER_CLIENT = 20;

/** What a password attempt is counted against. */
export interface AttemptKey {
  /** `email:<address>` for a sign-in, `user:<id>` for a user's current password. */
  subject: string;
  /** The client's network address (as the trusted proxies report it). */
  client: string;
}

/** An attempt counted before its password is checked; released if the password was right. */
export interface Reservation extends AttemptKey {
  id: string;
}

/**
 * Counts a password attempt before the password is checked, in the database, so the limits hold
 * however many requests race, in however many processes.
 *
 * The attempt is inserted and committed first; only then are the attempts of its subject and of
 * its client in the window counted, its own included. Of attempts racing for the last places,
 * the one whose count runs last sees every other's row (each was committed before its own count
 * ran, and so before this one's), so no more than the limit are ever let through to check a
 * password. An attempt over a limit is withdrawn (its password was never checked, so it is not a
 * failure) and refused with `too_many_requests`, naming `refused` ("failed sign-ins") and when to
 * retry. An attempt let through stays counted: as a failure when its password was wrong, until
 * `releaseAttempt` removes it because the password was right. A success removes its own attempt
 * only, never the failures that raced it.
 */
export async function reserveAttempt(deps: Deps, key: AttemptKey, refused: string): Promise<Reservation> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS).toISOString();
  const client = key.client.slice(0, 100);
  const id = newId();
  await inTransaction(deps, (trx) =>
    trx
      .insertInto('auth_attempts')
      .values({ id, subject: key.subject, client, at: now.toISOString() })
      .execute(),
  );
  const db = deps.store.db;
  const count = (column: 'subject' | 'client', value: string) =>
    db
      .selectFrom('auth_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', value)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
  const [bySubject, byClient] = await Promise.all([count('subject', key.subject), count('client', client)]);
  const over =
    Number(bySubject.n) > MAX_ATTEMPTS_PER_SUBJECT
      ? { column: 'subject' as const, value: key.subject, limit: MAX_ATTEMPTS_PER_SUBJECT }
      : Number(byClient.n) > MAX_ATTEMPTS_PER_CLIENT
        ? { column: 'client' as const, value: client, limit: MAX_ATTEMPTS_PER_CLIENT }
        : null;
  if (!over) return { id, subject: key.subject, client };
  await db.deleteFrom('auth_attempts').where('id', '=', id).execute();
  // A place frees up when the limit-th newest attempt left in the window leaves it.
  const freeing = await db
    .selectFrom('auth_attempts')
    .select('at')
    .where(over.column, '=', over.value)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(1)
    .offset(over.limit - 1)
    .executeTakeFirst();
  const freesAt = freeing ? Date.parse(freeing.at) + ATTEMPT_WINDOW_MS : now.getTime();
  const retryAfter = Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000));
  const minutes = Math.ceil(retryAfter / 60);
  throw new AppError(
    'too_many_requests',
    `Too many ${refused}. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`,
    [],
    { retry_after: retryAfter },
  );
}

/**
 * The password of a reserved attempt was right: the attempt no longer counts. Attempts of the same
 * subject or client older than the window go with it (they count no longer either).
 */
export async function releaseAttempt(db: Db, reservation: Reservation, now: Date): Promise<void> {
  await db.deleteFrom('auth_attempts').where('id', '=', reservation.id).execute();
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS).toISOString();
  await db
    .deleteFrom('auth_attempts')
    .where('at', '<=', since)
    .where((eb) => eb.or([eb('subject', '=', reservation.subject), eb('client', '=', reservation.client)]))
    .execute();
}
