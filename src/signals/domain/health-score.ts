/**
 * An account's health score, from its signals (docs/design-metrics.md, "Health scores"): four
 * components, each 0–100 or no data, weighted by the organisation's settings. Pure: the signals
 * and the moment are handed in.
 */

/** The parts of an account's health, in the order they are shown. */
export const HEALTH_COMPONENTS = ['usage', 'support', 'adoption', 'escalations'] as const;
export type HealthComponent = (typeof HEALTH_COMPONENTS)[number];

/** Where a score falls, best first. */
export const HEALTH_BANDS = ['healthy', 'watch', 'at_risk'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

/** How an organisation scores health. */
export interface HealthRules {
  /** Each component's weight (≥ 0, not all 0). */
  weights: Record<HealthComponent, number>;
  /** The features whose adoption counts (compared without regard to case or surrounding spaces). */
  features: readonly string[];
  /** The window the components look at, in days back from the moment of scoring. */
  windowDays: number;
  /** Lowest score that is `healthy`, and lowest that is `watch` (`watch` < `healthy`); below: `at_risk`. */
  bands: { healthy: number; watch: number };
}

export const DEFAULT_HEALTH_RULES: HealthRules = {
  weights: { usage: 40, support: 25, adoption: 20, escalations: 15 },
  features: [],
  windowDays: 30,
  bands: { healthy: 70, watch: 40 },
};

/** Each open escalation takes this much from the escalations component (4 or more: 0). */
export const POINTS_PER_OPEN_ESCALATION = 25;

/** One stored signal as the score reads it (`at` in ms since the epoch). */
export interface ScoredSignal {
  kind: 'usage' | 'support' | 'adoption' | 'escalation';
  at: number;
  value: number | null;
  feature: string | null;
  csat: number | null;
}

/** What one account's score is computed from. */
export interface HealthInput {
  /**
   * Its signals: at least every usage, support and adoption signal of the current and previous
   * windows (`[now − 2·D, now)`) and every escalation signal before `now`; others are ignored.
   */
  signals: readonly ScoredSignal[];
  /** Whether it had a usage signal before the previous window (so two silent windows score 0, not no data). */
  usedBefore: boolean;
  /** Whether it had a usage or adoption signal before the previous window (so adoption has data). */
  adoptedBefore: boolean;
}

export interface ComponentScore {
  component: HealthComponent;
  /** 0–100 to one decimal, or null when the account has no data for it (then it does not count). */
  score: number | null;
  weight: number;
  /** What it was computed from, in words. */
  detail: string;
}

export interface HealthScore {
  /** Σ weight × score ÷ Σ weight over the components with data, to one decimal; null when none counts. */
  score: number | null;
  band: HealthBand | null;
  components: ComponentScore[];
}

const DAY_MS = 86_400_000;

/** To one decimal, halves away from zero (scores are never negative). */
export const oneDecimal = (x: number): number => Math.round(x * 10 + 1e-9) / 10;

/** A usage signal's amount: its value, floored at 0; one use when it has none. */
export const usageAmount = (s: Pick<ScoredSignal, 'value'>): number =>
  s.value === null ? 1 : Math.max(0, s.value);

/** The key a feature name is compared by. */
export const featureKey = (name: string): string => name.trim().toLowerCase();

/**
 * The account's health at `now` under `rules`. With D = `windowDays`, the current window is
 * `[now − D, now)` and the previous one `[now − 2D, now − D)`:
 * - usage = min(100, 100 × U_cur ÷ U_prev), where U is the sum of usage amounts in a window;
 *   100 when U_prev = 0 < U_cur; 0 when both are 0 but it was used before; no data when it never was;
 * - support = 100 × (mean CSAT − 1) ÷ 4 over support signals with a rating in the current window;
 *   no data without one;
 * - adoption = 100 × (named features seen in usage or adoption signals of the current window) ÷
 *   (named features); no data when the organisation names none, or the account never sent a
 *   usage or adoption signal;
 * - escalations = max(0, 100 − 25 × open), open escalations counted over every escalation signal
 *   before `now` in time order: one with value > 0 or no value opens one, one with value ≤ 0
 *   resolves one if any is open; no data when it has none.
 * Health = Σ w·s ÷ Σ w over the components with data and w > 0; its band by `rules.bands`.
 *
 * @example
 * scoreHealth({ signals: [{ kind: 'support', at, value: null, feature: null, csat: 4 }], usedBefore: false, adoptedBefore: false }, DEFAULT_HEALTH_RULES, now)
 * // { score: 75, band: 'healthy', components: [...] }
 */
export function scoreHealth(input: HealthInput, rules: HealthRules, now: Date): HealthScore {
  const end = now.getTime();
  const start = end - rules.windowDays * DAY_MS;
  const previous = start - rules.windowDays * DAY_MS;
  const inCurrent = (s: ScoredSignal) => s.at >= start && s.at < end;
  const inPrevious = (s: ScoredSignal) => s.at >= previous && s.at < start;
  const days = `${rules.windowDays} day${rules.windowDays === 1 ? '' : 's'}`;

  // Usage: this window's amount against the window before.
  let usedNow = 0;
  let usedThen = 0;
  let usageSeen = input.usedBefore;
  for (const s of input.signals) {
    if (s.kind !== 'usage' || s.at >= end) continue;
    if (inCurrent(s)) usedNow += usageAmount(s);
    else if (inPrevious(s)) usedThen += usageAmount(s);
    else continue;
    usageSeen = true;
  }
  const usage = !usageSeen
    ? null
    : usedThen === 0
      ? usedNow > 0
        ? 100
        : 0
      : Math.min(100, (100 * usedNow) / usedThen);

  // Support: the mean rating of the window, 1 → 0 and 5 → 100.
  const ratings = input.signals.filter(
    (s) => s.kind === 'support' && s.csat !== null && inCurrent(s),
  ) as (ScoredSignal & { csat: number })[];
  const meanCsat = ratings.length ? ratings.reduce((sum, s) => sum + s.csat, 0) / ratings.length : null;
  const support = meanCsat === null ? null : (100 * (meanCsat - 1)) / 4;

  // Adoption: the share of the named features seen in the window.
  const named = new Set(rules.features.map(featureKey));
  const seen = new Set<string>();
  let productSeen = input.adoptedBefore;
  for (const s of input.signals) {
    if ((s.kind !== 'usage' && s.kind !== 'adoption') || s.at >= end) continue;
    if (s.at >= previous) productSeen = true;
    if (s.feature !== null && inCurrent(s)) {
      const key = featureKey(s.feature);
      if (named.has(key)) seen.add(key);
    }
  }
  const adoption = named.size === 0 || !productSeen ? null : (100 * seen.size) / named.size;

  // Escalations: how many are open now.
  const escalations = input.signals
    .filter((s) => s.kind === 'escalation' && s.at < end)
    .sort((a, b) => a.at - b.at);
  const open = openEscalations(escalations);
  const escalationScore =
    escalations.length === 0 ? null : Math.max(0, 100 - POINTS_PER_OPEN_ESCALATION * open);

  const scores: Record<HealthComponent, number | null> = {
    usage,
    support,
    adoption,
    escalations: escalationScore,
  };
  const details: Record<HealthComponent, string> = {
    usage:
      usage === null
        ? 'No usage signal yet'
        : `Usage ${round(usedNow)} in the last ${days}, ${round(usedThen)} in the ${days} before`,
    support:
      meanCsat === null
        ? `No satisfaction rating in the last ${days}`
        : `Mean satisfaction ${round(meanCsat)} of 5 from ${ratings.length} rating${ratings.length === 1 ? '' : 's'} in the last ${days}`,
    adoption:
      named.size === 0
        ? 'No named features to adopt'
        : adoption === null
          ? 'No usage or adoption signal yet'
          : `${seen.size} of ${named.size} named feature${named.size === 1 ? '' : 's'} used in the last ${days}`,
    escalations:
      escalationScore === null ? 'No escalation yet' : `${open} escalation${open === 1 ? '' : 's'} open`,
  };
  const components = HEALTH_COMPONENTS.map((component) => ({
    component,
    score: scores[component] === null ? null : oneDecimal(scores[component]),
    weight: rules.weights[component],
    detail: details[component],
  }));
  const score = combine(components);
  return { score, band: score === null ? null : bandOf(score, rules.bands), components };
}

/** Σ weight × score ÷ Σ weight over the components with data and a weight above 0; null when there are none. */
export function combine(components: readonly Pick<ComponentScore, 'score' | 'weight'>[]): number | null {
  let weighted = 0;
  let weights = 0;
  for (const c of components) {
    if (c.score === null || c.weight <= 0) continue;
    weighted += c.weight * c.score;
    weights += c.weight;
  }
  return weights === 0 ? null : oneDecimal(weighted / weights);
}

/** The band of a score: `healthy` from `bands.healthy`, `watch` from `bands.watch`, else `at_risk`. */
export function bandOf(score: number, bands: HealthRules['bands']): HealthBand {
  if (score >= bands.healthy) return 'healthy';
  if (score >= bands.watch) return 'watch';
  return 'at_risk';
}

/**
 * Open escalations after the signals, in time order: each with a value above 0 (or none) opens
 * one, each with a value of 0 or less resolves one if any is open (a resolution with none open is
 * ignored).
 */
export function openEscalations(signals: readonly Pick<ScoredSignal, 'value'>[]): number {
  let open = 0;
  for (const s of signals) {
    if (s.value === null || s.value > 0) open++;
    else if (open > 0) open--;
  }
  return open;
}

/** The 10-point bucket of a score: 0 for [0, 10) … 9 for [90, 100]. */
export function bucketOf(score: number): number {
  return Math.min(9, Math.max(0, Math.floor(score / 10)));
}

/** Where the windows start: what to read from the store for a score at `now`. */
export function scoringSpan(rules: Pick<HealthRules, 'windowDays'>, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - 2 * rules.windowDays * DAY_MS), to: now };
}

/**
 * Why these rules cannot be used, each problem by its field (JSON pointer): a negative or
 * non-finite weight, every weight 0, a feature named twice, thresholds out of order.
 */
export function rulesProblems(rules: HealthRules): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const c of HEALTH_COMPONENTS) {
    const w = rules.weights[c];
    if (!Number.isFinite(w) || w < 0)
      problems.push({ path: `/weights/${c}`, message: 'A weight is a number of 0 or more.' });
  }
  if (HEALTH_COMPONENTS.every((c) => rules.weights[c] === 0))
    problems.push({ path: '/weights', message: 'At least one weight must be above 0.' });
  const keys = new Map<string, number>();
  rules.features.forEach((f, i) => {
    const key = featureKey(f);
    if (key === '') problems.push({ path: `/features/${i}`, message: 'A feature needs a name.' });
    else if (keys.has(key))
      problems.push({
        path: `/features/${i}`,
        message: `"${f.trim()}" is named already (feature ${keys.get(key)! + 1}).`,
      });
    else keys.set(key, i);
  });
  if (!(rules.bands.watch < rules.bands.healthy))
    problems.push({
      path: '/bands/watch',
      message: `The lowest "watch" score (${rules.bands.watch}) must be below the lowest "healthy" score (${rules.bands.healthy}).`,
    });
  return problems;
}

const round = (x: number): string => String(oneDecimal(x));
