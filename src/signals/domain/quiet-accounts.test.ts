import { describe, expect, it } from 'vitest';
import { nextDailyRun, quietSince } from './quiet-accounts.js';

describe('when an account is quiet', () => {
  const live = { accountId: 'a', goLiveAt: '2026-01-01T00:00:00.000Z' };

  it('counts the silence from go-live when no usage came after it', () => {
    expect(quietSince({ ...live, lastUsageAt: null }, 30, new Date('2026-01-30T23:59:59.000Z'))).toBeNull();
    expect(quietSince({ ...live, lastUsageAt: null }, 30, new Date('2026-01-31T00:00:00.000Z'))).toBe(
      live.goLiveAt,
    );
    // Usage during onboarding is not activity after go-live.
    expect(
      quietSince(
        { ...live, lastUsageAt: '2025-12-20T00:00:00.000Z' },
        30,
        new Date('2026-01-31T00:00:00.000Z'),
      ),
    ).toBe(live.goLiveAt);
  });

  it('counts it from the last usage signal after go-live', () => {
    const used = { ...live, lastUsageAt: '2026-02-10T12:00:00.000Z' };
    expect(quietSince(used, 14, new Date('2026-02-24T11:59:59.000Z'))).toBeNull();
    expect(quietSince(used, 14, new Date('2026-02-24T12:00:00.000Z'))).toBe(used.lastUsageAt);
  });
});

describe('the daily check', () => {
  it('runs at the next 06:00 UTC', () => {
    expect(nextDailyRun(new Date('2026-03-02T05:59:59.000Z')).toISOString()).toBe('2026-03-02T06:00:00.000Z');
    expect(nextDailyRun(new Date('2026-03-02T06:00:00.000Z')).toISOString()).toBe('2026-03-03T06:00:00.000Z');
    expect(nextDailyRun(new Date('2026-12-31T23:00:00.000Z')).toISOString()).toBe('2027-01-01T06:00:00.000Z');
  });
});
