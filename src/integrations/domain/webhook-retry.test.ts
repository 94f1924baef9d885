import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptAt, parseRetryAfter, RETRY_WINDOWS_MS } from './webhook-retry.js';

const start = new Date('2026-05-01T00:00:00.000Z');
const hours = (ms: number) => ms / 3_600_000;

describe('the webhook retry schedule', () => {
  it('spans about a day in eleven attempts', () => {
    expect(MAX_ATTEMPTS).toBe(11);
    const total = RETRY_WINDOWS_MS.reduce((a, b) => a + b, 0);
    expect(hours(total)).toBeGreaterThan(23);
    expect(hours(total)).toBeLessThanOrEqual(24);
  });

  it('puts each retry inside its own window, at the jitter given', () => {
    let windowStart = 0;
    RETRY_WINDOWS_MS.forEach((width, i) => {
      const attempts = i + 1;
      const earliest = nextAttemptAt({ runStartedAt: start, attempts, now: start, random: 0 })!;
      const latest = nextAttemptAt({ runStartedAt: start, attempts, now: start, random: 0.999_999 })!;
      expect(earliest.getTime() - start.getTime()).toBe(windowStart);
      expect(latest.getTime() - start.getTime()).toBeLessThan(windowStart + width);
      windowStart += width;
    });
    expect(
      nextAttemptAt({ runStartedAt: start, attempts: MAX_ATTEMPTS, now: start, random: 0.5 }),
    ).toBeNull();
  });

  it('never schedules in the past, and honours Retry-After up to a day', () => {
    const late = new Date(start.getTime() + 3_600_000);
    expect(nextAttemptAt({ runStartedAt: start, attempts: 1, now: late, random: 0 })).toEqual(late);
    const asked = nextAttemptAt({
      runStartedAt: start,
      attempts: 1,
      now: start,
      random: 0,
      retryAfterMs: 120_000,
    })!;
    expect(asked.getTime() - start.getTime()).toBe(120_000);
    const greedy = nextAttemptAt({
      runStartedAt: start,
      attempts: 1,
      now: start,
      random: 0,
      retryAfterMs: 30 * 86_400_000,
    })!;
    expect(greedy.getTime() - start.getTime()).toBe(86_400_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', start)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', start)).toBe(0);
    expect(parseRetryAfter('Fri, 01 May 2026 00:05:00 GMT', start)).toBe(300_000);
    expect(parseRetryAfter('Thu, 30 Apr 2026 00:00:00 GMT', start)).toBe(0);
    expect(parseRetryAfter('soon', start)).toBeNull();
    expect(parseRetryAfter(undefined, start)).toBeNull();
    expect(parseRetryAfter('-5', start)).toBeNull();
  });
});
