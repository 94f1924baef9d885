/** Days without a usage signal before an account is quiet, unless the organisation says otherwise. */
export const DEFAULT_QUIET_DAYS = 30;

const DAY_MS = 86_400_000;

/** What the quiet check knows of one live account. */
export interface LiveAccount {
  accountId: string;
  /** Go-live: the first closeout of any of the account's engagements (ISO 8601). */
  goLiveAt: string;
  /** The latest usage signal's `at`, or null when there is none. */
  lastUsageAt: string | null;
}

/**
 * When the account's current silence began, if it has lasted `quietDays` by `now`: the later of
 * go-live and its last usage signal (usage before go-live does not count as activity after it).
 * Null when it is not quiet. The moment names the quiet spell: a new usage signal starts a new one.
 *
 * @example
 * quietSince({ accountId: 'a', goLiveAt: '2026-01-01T00:00:00Z', lastUsageAt: null }, 30, new Date('2026-02-01'))
 * // '2026-01-01T00:00:00Z'
 */
export function quietSince(account: LiveAccount, quietDays: number, now: Date): string | null {
  const since =
    account.lastUsageAt !== null && Date.parse(account.lastUsageAt) > Date.parse(account.goLiveAt)
      ? account.lastUsageAt
      : account.goLiveAt;
  return now.getTime() - Date.parse(since) >= quietDays * DAY_MS ? since : null;
}

/** The next run of the daily signal jobs (quiet check, health scores) after `now`: 06:00 UTC the same or the next day. */
export function nextDailyRun(now: Date): Date {
  const run = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 6));
  return run.getTime() > now.getTime() ? run : new Date(run.getTime() + DAY_MS);
}
