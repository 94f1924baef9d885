import { releaseAttempt, reserveAttempt } from '../identity/attempt-limiter.js';
import type { Deps } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';

/**
 * Runs a client's portal request under the attempt limiter (docs/decisions/0002-identity-count-
 * attempts-before-checking.md): every request is counted against the client's address before its
 * token is looked up, and a request whose link opened is released, so only links that open
 * nothing count. Guessing a 256-bit token is hopeless anyway; the limit keeps a scanner from
 * turning the portal into a load test and makes it show in the attempts table.
 */
export async function withinPortalAttempts<T>(
  deps: Deps,
  client: string,
  work: () => Promise<T>,
): Promise<T> {
  const reservation = await reserveAttempt(
    deps,
    { subject: `portal:${client.slice(0, 90)}`, client },
    'portal links that open nothing',
  );
  try {
    const result = await work();
    await releaseAttempt(deps.store.db, reservation, deps.clock.now());
    return result;
  } catch (error) {
    // The link opened, but the request was refused for what it said: not a guess, so released.
    if (!(error instanceof AppError && error.code === 'not_found'))
      await releaseAttempt(deps.store.db, reservation, deps.clock.now());
    throw error;
  }
}
