import { dateKey, wallTimeAt } from '../calendar/domain/time-zone.js';
import type { Db } from '../kernel/context.js';
import type { HealthScoresTable } from '../kernel/db/schema.js';
import {
  DEFAULT_HEALTH_RULES,
  type HealthInput,
  type HealthRules,
  type HealthScore,
  type ScoredSignal,
  scoringSpan,
} from './domain/health-score.js';
import type { HealthComponentView, HealthHistoryRow, HealthSettings } from './health-schema.js';

const DAY_MS = 86_400_000;

/** Account ids per `IN (…)` list: well under both databases' limits on bound parameters. */
const IDS_PER_LOOKUP = 500;

/** The organisation's health rules, the defaults until an admin sets them. */
export async function healthRulesOf(db: Db, orgId: string): Promise<HealthRules> {
  const row = await db
    .selectFrom('health_settings')
    .selectAll()
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!row) return DEFAULT_HEALTH_RULES;
  return {
    windowDays: Number(row.window_days),
    weights: {
      usage: Number(row.weight_usage),
      support: Number(row.weight_support),
      adoption: Number(row.weight_adoption),
      escalations: Number(row.weight_escalations),
    },
    features: JSON.parse(row.features_json) as string[],
    bands: { healthy: Number(row.healthy_min), watch: Number(row.watch_min) },
  };
}

/** The rules as the API shows them. */
export function settingsView(rules: HealthRules): HealthSettings {
  return {
    window_days: rules.windowDays,
    weights: { ...rules.weights },
    features: [...rules.features],
    bands: { ...rules.bands },
  };
}

/** The settings as the domain reads them. */
export function rulesOf(settings: HealthSettings): HealthRules {
  return {
    windowDays: settings.window_days,
    weights: { ...settings.weights },
    features: settings.features.map((f) => f.trim()),
    bands: { ...settings.bands },
  };
}

/**
 * What the scores of these accounts at `now` are computed from, by account: their usage, support
 * and adoption signals of the two windows, their escalation signals before `now`, and whether
 * each had usage (or adoption) signals before the earlier window. Accounts without any of it are absent.
 */
export async function healthInputsOf(
  db: Db,
  orgId: string,
  accountIds: readonly string[],
  rules: HealthRules,
  now: Date,
): Promise<Map<string, HealthInput>> {
  const { from, to } = scoringSpan(rules, now);
  const since = from.toISOString();
  const until = to.toISOString();
  const inputs = new Map<string, HealthInput & { signals: ScoredSignal[] }>();
  const inputOf = (accountId: string) => {
    let input = inputs.get(accountId);
    if (!input) {
      input = { signals: [], usedBefore: false, adoptedBefore: false };
      inputs.set(accountId, input);
    }
    return input;
  };
  for (let i = 0; i < accountIds.length; i += IDS_PER_LOOKUP) {
    const ids = accountIds.slice(i, i + IDS_PER_LOOKUP);
    // Support ratings and escalations, one by one (few).
    const rows = await db
      .selectFrom('signals')
      .select(['account_id', 'kind', 'at', 'value', 'feature', 'csat'])
      .where('org_id', '=', orgId)
      .where('account_id', 'in', ids)
      .where('at', '<', until)
      .where((eb) =>
        eb.or([eb.and([eb('kind', '=', 'support'), eb('at', '>=', since)]), eb('kind', '=', 'escalation')]),
      )
      .execute();
    for (const r of rows)
      inputOf(r.account_id).signals.push({
        kind: r.kind as ScoredSignal['kind'],
        at: Date.parse(r.at),
        value: r.value === null ? null : Number(r.value),
        feature: r.feature,
        csat: r.csat === null ? null : Number(r.csat),
      });
    // Usage and adoption (many), summed in SQL by kind, feature and window: the score reads only
    // each window's total amount and which features it saw, so one signal per group, at the
    // group's first moment and carrying its total amount, scores the same.
    const windowStart = new Date(now.getTime() - rules.windowDays * DAY_MS).toISOString();
    const groups = await db
      .selectFrom('signals')
      .select((eb) => [
        'account_id',
        'kind',
        'feature',
        eb.case().when('at', '>=', windowStart).then(eb.lit(1)).else(eb.lit(0)).end().as('current'),
        eb.fn.min('at').as('first_at'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when('value', 'is', null)
              .then(eb.lit(1))
              .when('value', '<', eb.lit(0))
              .then(eb.lit(0))
              .else(eb.ref('value'))
              .end(),
          )
          .as('amount'),
      ])
      .where('org_id', '=', orgId)
      .where('account_id', 'in', ids)
      .where('kind', 'in', ['usage', 'adoption'])
      .where('at', '>=', since)
      .where('at', '<', until)
      .groupBy(['account_id', 'kind', 'feature', 'current'])
      .execute();
    for (const g of groups)
      inputOf(g.account_id).signals.push({
        kind: g.kind as ScoredSignal['kind'],
        at: Date.parse(String(g.first_at)),
        value: Number(g.amount),
        feature: g.feature,
        csat: null,
      });
    const before = await db
      .selectFrom('signals')
      .select(['account_id', 'kind'])
      .distinct()
      .where('org_id', '=', orgId)
      .where('account_id', 'in', ids)
      .where('kind', 'in', ['usage', 'adoption'])
      .where('at', '<', since)
      .execute();
    for (const r of before) {
      const input = inputOf(r.account_id);
      input.adoptedBefore = true;
      if (r.kind === 'usage') input.usedBefore = true;
    }
  }
  return inputs;
}

/** The organisation's local date at `now`, `YYYY-MM-DD`. */
export async function localDateOf(db: Db, orgId: string, now: Date): Promise<string> {
  const org = await db
    .selectFrom('organisations')
    .select('time_zone')
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
  return dateKey(wallTimeAt(now, org.time_zone));
}

/** The rows of scored accounts (those with a score) for one day, ready to write. */
export function scoreRows(
  orgId: string,
  scoredOn: string,
  scores: ReadonlyMap<string, HealthScore>,
  now: Date,
): HealthScoresTable[] {
  const rows: HealthScoresTable[] = [];
  for (const [accountId, s] of scores) {
    if (s.score === null || s.band === null) continue;
    rows.push({
      org_id: orgId,
      account_id: accountId,
      scored_on: scoredOn,
      score: s.score,
      band: s.band,
      components_json: JSON.stringify(s.components),
      computed_at: now.toISOString(),
    });
  }
  return rows;
}

/** Writes a day's scores; a score already there for the account and day is replaced. */
export async function writeScores(db: Db, rows: readonly HealthScoresTable[]): Promise<void> {
  // 7 parameters a row: 100 rows a statement stays far below SQLite's limit.
  for (let i = 0; i < rows.length; i += 100)
    await db
      .insertInto('health_scores')
      .values(rows.slice(i, i + 100))
      .onConflict((oc) =>
        oc.columns(['org_id', 'account_id', 'scored_on']).doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          band: eb.ref('excluded.band'),
          components_json: eb.ref('excluded.components_json'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
      .execute();
}

/** A stored day's score as the API shows it. */
export function historyRowOf(row: HealthScoresTable): HealthHistoryRow {
  return {
    scored_on: row.scored_on,
    score: Number(row.score),
    band: row.band as HealthHistoryRow['band'],
    components: JSON.parse(row.components_json) as HealthComponentView[],
    computed_at: row.computed_at,
  };
}
