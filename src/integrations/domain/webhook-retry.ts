/**
 * When a failed webhook delivery is tried again (decision 0012-outbound-webhooks): ten retries,
 * each at a random moment (full jitter) inside its own window of the schedule below, counted from
 * the first attempt (or the replay), so the last one falls about a day after it and many
 * receivers failing at once are not retried in lockstep. A receiver's `Retry-After` (on 429 and
 * 503) is honoured: no retry before it asks, and no later than a day.
 */
export const RETRY_WINDOWS_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000, 28_800_000,
];

/** Attempts a delivery gets in one run: the first and one per window. */
export const MAX_ATTEMPTS = RETRY_WINDOWS_MS.length + 1;

const DAY_MS = 86_400_000;

/**
 * When to try again after the `attempts`-th attempt of a run that started at `runStartedAt`
 * failed, or null when the schedule is spent (the delivery is dead). `random` in [0, 1).
 */
export function nextAttemptAt(options: {
  runStartedAt: Date;
  attempts: number;
  now: Date;
  retryAfterMs?: number | null;
  random?: number;
}): Date | null {
  const index = options.attempts - 1;
  if (index < 0 || index >= RETRY_WINDOWS_MS.length) return null;
  const windowStart = RETRY_WINDOWS_MS.slice(0, index).reduce((sum, ms) => sum + ms, 0);
  const jitter = Math.floor((options.random ?? Math.random()) * RETRY_WINDOWS_MS[index]!);
  let at = Math.max(options.runStartedAt.getTime() + windowStart + jitter, options.now.getTime());
  if (options.retryAfterMs != null && options.retryAfterMs > 0)
    at = Math.max(at, options.now.getTime() + Math.min(options.retryAfterMs, DAY_MS));
  return new Date(at);
}

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds from `now`; null if absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now: Date): number | null {
  if (!header) return null;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with the day's name (`Fri, 01 May 2026 00:05:00 GMT`).
  if (!/^[A-Za-z]{3},? /.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
