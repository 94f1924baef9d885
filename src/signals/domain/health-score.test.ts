import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandOf,
  bucketOf,
  combine,
  DEFAULT_HEALTH_RULES,
  HEALTH_COMPONENTS,
  type HealthRules,
  openEscalations,
  rulesProblems,
  type ScoredSignal,
  scoreHealth,
} from './health-score.js';

const now = new Date('2026-03-31T00:00:00.000Z');
const at = (iso: string) => Date.parse(iso);
const signal = (
  kind: ScoredSignal['kind'],
  iso: string,
  extra: Partial<ScoredSignal> = {},
): ScoredSignal => ({
  kind,
  at: at(iso),
  value: null,
  feature: null,
  csat: null,
  ...extra,
});
const rules: HealthRules = {
  ...DEFAULT_HEALTH_RULES,
  features: ['Routes', 'Reports', 'Billing', 'Alerts'],
};

/**
 * The worked example of docs/metrics.md, "Health": a 30-day window ending 2026-03-31T00:00Z, so
 * the current window is [03-01, 03-31) and the previous one [01-30, 03-01).
 */
const example: ScoredSignal[] = [
  // Usage: 40 + 40 before, 50 + 1 (no value) + 9 now → 100 × 60 ÷ 80 = 75.
  signal('usage', '2026-02-01T10:00:00Z', { value: 40, feature: 'Billing' }),
  signal('usage', '2026-02-20T10:00:00Z', { value: 40 }),
  signal('usage', '2026-03-02T10:00:00Z', { value: 50, feature: 'routes' }),
  signal('usage', '2026-03-10T10:00:00Z'),
  signal('usage', '2026-03-30T23:59:59Z', { value: 9 }),
  // Support: ratings 4, 5, 2 now (mean 11/3) → 100 × (11/3 − 1) ÷ 4 = 66.7; the 1 before is outside.
  signal('support', '2026-03-03T10:00:00Z', { csat: 4 }),
  signal('support', '2026-03-04T10:00:00Z', { csat: 5 }),
  signal('support', '2026-03-05T10:00:00Z', { csat: 2 }),
  signal('support', '2026-02-25T10:00:00Z', { csat: 1 }),
  signal('support', '2026-03-06T10:00:00Z'),
  // Adoption: Routes (usage) and Reports (adoption) of 4 named → 50; Billing was before the window.
  signal('adoption', '2026-03-07T10:00:00Z', { feature: ' REPORTS ' }),
  signal('adoption', '2026-03-08T10:00:00Z', { feature: 'Unnamed' }),
  // Escalations: two opened, one resolved → 1 open → 100 − 25 = 75; the one after `now` does not count.
  signal('escalation', '2026-01-01T10:00:00Z', { value: 1 }),
  signal('escalation', '2026-02-10T10:00:00Z'),
  signal('escalation', '2026-03-05T10:00:00Z', { value: 0 }),
  signal('escalation', '2026-04-02T10:00:00Z', { value: 1 }),
];

describe('an account’s health, worked by hand', () => {
  it('weighs the four components', () => {
    const health = scoreHealth({ signals: example, usedBefore: false, adoptedBefore: false }, rules, now);
    expect(health.components).toEqual([
      {
        component: 'usage',
        score: 75,
        weight: 40,
        detail: 'Usage 60 in the last 30 days, 80 in the 30 days before',
      },
      {
        component: 'support',
        score: 66.7,
        weight: 25,
        detail: 'Mean satisfaction 3.7 of 5 from 3 ratings in the last 30 days',
      },
      {
        component: 'adoption',
        score: 50,
        weight: 20,
        detail: '2 of 4 named features used in the last 30 days',
      },
      { component: 'escalations', score: 75, weight: 15, detail: '1 escalation open' },
    ]);
    // (40 × 75 + 25 × 66.7 + 20 × 50 + 15 × 75) ÷ 100 = 6792.5 ÷ 100 = 67.925 → 67.9: watch.
    expect(health.score).toBe(67.9);
    expect(health.band).toBe('watch');
  });

  it('leaves out a component without data rather than scoring it 0', () => {
    const health = scoreHealth(
      { signals: example, usedBefore: false, adoptedBefore: false },
      DEFAULT_HEALTH_RULES,
      now,
    );
    expect(health.components.find((c) => c.component === 'adoption')).toMatchObject({ score: null });
    // (40 × 75 + 25 × 66.7 + 15 × 75) ÷ (40 + 25 + 15) = 5792.5 ÷ 80 = 72.40625 → 72.4: healthy.
    expect(health.score).toBe(72.4);
    expect(health.band).toBe('healthy');
  });

  it('leaves adoption out for an account that never sent a usage or adoption signal', () => {
    const rated = [signal('support', '2026-03-20T00:00:00Z', { csat: 5 })];
    const health = scoreHealth({ signals: rated, usedBefore: false, adoptedBefore: false }, rules, now);
    expect(health.components.map((c) => c.score)).toEqual([null, 100, null, null]);
    expect(health).toMatchObject({ score: 100, band: 'healthy' });
    // Used in the previous window, nothing named this one: adoption 0.
    const lapsed = [...rated, signal('adoption', '2026-02-20T00:00:00Z', { feature: 'Routes' })];
    expect(
      scoreHealth({ signals: lapsed, usedBefore: false, adoptedBefore: false }, rules, now).components[2],
    ).toMatchObject({ score: 0 });
  });

  it('scores nothing for an account with no data at all', () => {
    const health = scoreHealth({ signals: [], usedBefore: false, adoptedBefore: false }, rules, now);
    expect(health).toMatchObject({ score: null, band: null });
    expect(health.components.every((c) => c.score === null)).toBe(true);
  });

  it('scores usage 0 when an account used before has gone silent for both windows', () => {
    const health = scoreHealth(
      { signals: [], usedBefore: true, adoptedBefore: true },
      DEFAULT_HEALTH_RULES,
      now,
    );
    expect(health.components[0]).toMatchObject({ component: 'usage', score: 0 });
    expect(health).toMatchObject({ score: 0, band: 'at_risk' });
  });

  it('scores usage 100 when it begins in this window, and caps growth at 100', () => {
    const first = scoreHealth(
      {
        signals: [signal('usage', '2026-03-20T00:00:00Z', { value: 5 })],
        usedBefore: false,
        adoptedBefore: false,
      },
      DEFAULT_HEALTH_RULES,
      now,
    );
    expect(first.components[0]!.score).toBe(100);
    const grown = scoreHealth(
      {
        signals: [
          signal('usage', '2026-02-20T00:00:00Z', { value: 5 }),
          signal('usage', '2026-03-20T00:00:00Z', { value: 50 }),
        ],
        usedBefore: false,
        adoptedBefore: false,
      },
      DEFAULT_HEALTH_RULES,
      now,
    );
    expect(grown.components[0]!.score).toBe(100);
  });

  it('counts open escalations in time order; a resolution with none open is ignored', () => {
    expect(openEscalations([{ value: 0 }, { value: 1 }])).toBe(1);
    expect(openEscalations([{ value: null }, { value: 2 }, { value: -1 }, { value: 0 }, { value: 0 }])).toBe(
      0,
    );
    expect(openEscalations([1, 1, 1, 1, 1].map((value) => ({ value })))).toBe(5);
  });

  it('puts scores in bands and 10-point buckets', () => {
    expect(bandOf(70, { healthy: 70, watch: 40 })).toBe('healthy');
    expect(bandOf(69.9, { healthy: 70, watch: 40 })).toBe('watch');
    expect(bandOf(39.9, { healthy: 70, watch: 40 })).toBe('at_risk');
    expect([0, 9.9, 10, 55, 99.9, 100].map(bucketOf)).toEqual([0, 0, 1, 5, 9, 9]);
  });

  it('names every problem of unusable rules by its field', () => {
    expect(rulesProblems(DEFAULT_HEALTH_RULES)).toEqual([]);
    const problems = rulesProblems({
      windowDays: 30,
      weights: { usage: 0, support: 0, adoption: 0, escalations: 0 },
      features: ['Routes', ' routes', '  '],
      bands: { healthy: 50, watch: 50 },
    });
    expect(problems.map((p) => p.path)).toEqual(['/weights', '/features/1', '/features/2', '/bands/watch']);
    expect(
      rulesProblems({ ...DEFAULT_HEALTH_RULES, weights: { ...DEFAULT_HEALTH_RULES.weights, usage: -1 } }),
    ).toMatchObject([{ path: '/weights/usage' }]);
  });
});

const KINDS = ['usage', 'support', 'adoption', 'escalation'] as const;
const arbSignal = fc.record({
  kind: fc.constantFrom(...KINDS),
  at: fc.integer({ min: at('2025-12-01T00:00:00Z'), max: at('2026-04-30T00:00:00Z') }),
  value: fc.option(fc.double({ min: -10, max: 1000, noNaN: true }), { nil: null }),
  feature: fc.option(fc.constantFrom('Routes', 'reports', 'Billing', 'x'), { nil: null }),
  csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});
const arbWeights = fc
  .record({
    usage: fc.integer({ min: 0, max: 100 }),
    support: fc.integer({ min: 0, max: 100 }),
    adoption: fc.integer({ min: 0, max: 100 }),
    escalations: fc.integer({ min: 0, max: 100 }),
  })
  .filter((w) => Object.values(w).some((x) => x > 0));
const arbRules = fc.record({
  weights: arbWeights,
  features: fc.subarray(['Routes', 'Reports', 'Billing', 'Alerts']),
  windowDays: fc.integer({ min: 1, max: 60 }),
  bands: fc
    .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ healthy: Math.max(a, b), watch: Math.min(a, b) })),
});
const arbInput = fc
  .record({
    signals: fc.array(arbSignal, { maxLength: 40 }),
    usedBefore: fc.boolean(),
    adopted: fc.boolean(),
  })
  .map(({ adopted, ...input }) => ({ ...input, adoptedBefore: input.usedBefore || adopted }));

describe('health scores, for any signals and rules', () => {
  it('lie in 0–100, in the band their thresholds say, and are the weighted mean of the components shown', () => {
    fc.assert(
      fc.property(arbInput, arbRules, (input, r) => {
        const h = scoreHealth(input, r, now);
        expect(h.components.map((c) => c.component)).toEqual([...HEALTH_COMPONENTS]);
        for (const c of h.components) if (c.score !== null) expect(c.score).toBeGreaterThanOrEqual(0);
        for (const c of h.components) if (c.score !== null) expect(c.score).toBeLessThanOrEqual(100);
        expect(h.score).toBe(combine(h.components));
        if (h.score === null) expect(h.band).toBeNull();
        else {
          expect(h.score).toBeGreaterThanOrEqual(0);
          expect(h.score).toBeLessThanOrEqual(100);
          expect(h.band).toBe(bandOf(h.score, r.bands));
        }
      }),
    );
  });

  it('do not change when every weight is scaled, nor when a component without data is weighted', () => {
    fc.assert(
      fc.property(arbInput, arbRules, fc.integer({ min: 2, max: 9 }), (input, r, k) => {
        const h = scoreHealth(input, r, now);
        const scaled = Object.fromEntries(
          HEALTH_COMPONENTS.map((c) => [c, r.weights[c] * k]),
        ) as HealthRules['weights'];
        expect(scoreHealth(input, { ...r, weights: scaled }, now).score).toBe(h.score);
        const empty = h.components.filter((c) => c.score === null).map((c) => c.component);
        const reweighted = { ...r.weights };
        for (const c of empty) reweighted[c] = 77;
        expect(scoreHealth(input, { ...r, weights: reweighted }, now).score).toBe(h.score);
      }),
    );
  });

  it('ignore signals from `now` on, and never rise with another open escalation', () => {
    fc.assert(
      fc.property(arbInput, arbRules, fc.array(arbSignal, { maxLength: 5 }), (input, r, later) => {
        const h = scoreHealth(input, r, now);
        const future = later.map((s) => ({ ...s, at: now.getTime() + Math.abs(s.at % 1e9) }));
        expect(scoreHealth({ ...input, signals: [...input.signals, ...future] }, r, now)).toEqual(h);
        const escalated = scoreHealth(
          {
            ...input,
            signals: [...input.signals, { ...signal('escalation', '2026-03-30T00:00:00Z'), value: 1 }],
          },
          r,
          now,
        );
        const before = h.components[3]!.score;
        expect(escalated.components[3]!.score).toBeLessThanOrEqual(before ?? 100);
      }),
    );
  });
});

describe('usage and adoption summed by kind, feature and window (as the store reads them)', () => {
  it('score as the signals one by one do', () => {
    fc.assert(
      fc.property(arbInput, arbRules, (input, r) => {
        const end = now.getTime();
        const start = end - r.windowDays * 86_400_000;
        const previous = start - r.windowDays * 86_400_000;
        const kept = input.signals.filter(
          (s) => (s.kind !== 'usage' && s.kind !== 'adoption') || (s.at >= previous && s.at < end),
        );
        const groups = new Map<string, ScoredSignal>();
        const others: ScoredSignal[] = [];
        for (const s of kept) {
          if (s.kind !== 'usage' && s.kind !== 'adoption') {
            others.push(s);
            continue;
          }
          const key = `${s.kind}|${s.feature}|${s.at >= start}`;
          const amount = s.value === null ? 1 : Math.max(0, s.value);
          const g = groups.get(key);
          if (!g) groups.set(key, { ...s, value: amount, csat: null });
          else groups.set(key, { ...g, at: Math.min(g.at, s.at), value: g.value! + amount });
        }
        const summed = { ...input, signals: [...others, ...groups.values()] };
        const raw = scoreHealth({ ...input, signals: kept }, r, now);
        const grouped = scoreHealth(summed, r, now);
        expect(grouped.band).toBe(raw.band);
        expect(grouped.score).toBe(raw.score);
      }),
    );
  });
});
