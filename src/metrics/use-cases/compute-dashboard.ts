import type { Deps } from '../../kernel/context.js';
import { inReadSnapshot, type Store } from '../../kernel/db/dialect.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { healthDistribution } from '../../signals/public.js';
import { CYCLE_STAGES, type Dashboard, FUNNEL_STAGES } from '../dashboard-schema.js';
import type { Dimension, MetricFilters } from '../domain/metric-filters.js';
import { type MetricAsk, type MetricRow, STATEMENTS } from '../metric-statements.js';
import { resolveFilters } from '../resolve-filters.js';
import { markedMonths } from '../rollups/rollups.js';

type Db = Parameters<(typeof STATEMENTS)['funnel']>[0];

const n = (value: unknown): number => (typeof value === 'number' ? value : 0);
const orNull = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const ratio = (numerator: number, denominator: number) =>
  denominator === 0 ? null : numerator / denominator;
const sum = (rows: MetricRow[], column: string) => rows.reduce((s, r) => s + n(r[column]), 0);

/**
 * Every figure of the dashboard (GET /api/v1/dashboard, docs/design-metrics.md) for an
 * organisation and checked filters, each read by its metric's one statement (src/metrics/
 * metric-statements.ts), all in one read transaction so they agree with one another. Totals that
 * are sums (submitted, first-pass, SLA) add up the per-month rows of the same statement.
 *
 * @example const figures = await dashboardOf(store, orgId, { from: '2026-01', to: '2026-06', team: null, sender: null, playbook: null });
 */
export function dashboardOf(
  store: Pick<Store, 'db' | 'dialect'>,
  orgId: string,
  filters: MetricFilters,
): Promise<Dashboard> {
  return inReadSnapshot(store, (trx) => figures(trx, orgId, filters));
}

/**
 * The dashboard for the caller's organisation: `from`/`to` months (YYYY-MM, inclusive), `team`
 * (id or key: handoffs it sends or receives) and `playbook` (a version's id); bad filters 400,
 * naming each.
 */
export async function computeDashboard(
  deps: Pick<Deps, 'store'>,
  principal: Principal,
  query: { from?: string; to?: string; team?: string; playbook?: string },
): Promise<Dashboard> {
  requireCapability(principal, 'read', 'read the metrics');
  return inReadSnapshot(deps.store, async (trx) => {
    const filters = await resolveFilters(trx, principal.orgId, {
      from: query.from,
      to: query.to,
      team: query.team,
      playbook: query.playbook,
    });
    return figures(trx, principal.orgId, filters);
  });
}

async function figures(db: Db, orgId: string, asked: MetricFilters): Promise<Dashboard> {
  const filters: MetricFilters = { ...asked, sender: null };
  const marked = await markedMonths(db, orgId, filters);
  const ask = (by: Dimension): MetricAsk => ({ orgId, filters, by, marked });
  const firstPass = await STATEMENTS.first_pass_rate(db, ask('period'));
  const sla = await STATEMENTS.sla_compliance(db, ask('period'));
  const cycleByPeriod = await STATEMENTS.cycle_times(db, ask('period'));
  const cycles = await STATEMENTS.cycle_times(db, ask('none'));
  const rejections = await STATEMENTS.rejections_by_reason(db, ask('none'));
  const [funnel] = await STATEMENTS.funnel(db, ask('none'));
  const gaps = await STATEMENTS.review_gaps(db, ask('none'));
  const senders = await STATEMENTS.sender_scorecards(db, ask('sender'));
  const [onTime] = await STATEMENTS.on_time_completion(db, ask('none'));
  const [promises] = await STATEMENTS.promise_kept_rate(db, ask('none'));
  const [calls] = await STATEMENTS.confirmation_change_rate(db, ask('none'));
  const [rounds] = await STATEMENTS.question_rounds(db, ask('none'));
  const [survey] = await STATEMENTS.csat_nps(db, ask('none'));
  // Health is of accounts, not handoffs: the organisation's whole distribution, whatever the filters.
  const { bands, buckets } = await healthDistribution(db, orgId);
  const retention = await STATEMENTS.retention_by_quality(db, ask('none'));

  const onTimeCheckpoints = sum(sla, 'on_time');
  const periods = [...new Set([...firstPass, ...sla].map((r) => r.period as string))].sort();
  const at = (rows: MetricRow[], period: string) => rows.find((r) => r.period === period);
  return {
    filters: { from: filters.from, to: filters.to, team: filters.team, playbook: filters.playbook },
    totals: {
      drafted: n(funnel?.drafted),
      submitted: sum(firstPass, 'submitted'),
      accepted: sum(firstPass, 'accepted'),
      first_pass_rate: ratio(sum(firstPass, 'first_pass'), sum(firstPass, 'decided')),
      sla_compliance: ratio(onTimeCheckpoints, onTimeCheckpoints + sum(sla, 'late')),
      on_time_completion: orNull(onTime?.rate),
      promise_kept_rate: orNull(promises?.rate),
      confirmation_change_rate: orNull(calls?.rate),
      mean_question_rounds: orNull(rounds?.mean_rounds),
      csat: orNull(survey?.csat),
      nps: orNull(survey?.nps),
    },
    cycle_times: CYCLE_STAGES.map((stage) => {
      const row = cycles.find((r) => r.stage === stage);
      return {
        stage,
        count: n(row?.count),
        median_hours: orNull(row?.median_hours),
        p90_hours: orNull(row?.p90_hours),
      };
    }),
    trend: periods.map((period) => {
      const fp = at(firstPass, period);
      const accept = cycleByPeriod.find((r) => r.period === period && r.stage === 'submitted_to_accepted');
      return {
        period,
        submitted: n(fp?.submitted),
        accepted: n(fp?.accepted),
        first_pass_rate: orNull(fp?.rate),
        sla_compliance: orNull(at(sla, period)?.rate),
        median_accept_hours: orNull(accept?.median_hours),
      };
    }),
    rejections_by_reason: rejections.map((r) => ({ reason: String(r.reason), count: n(r.count) })),
    funnel: FUNNEL_STAGES.map((stage) => ({ stage, count: n(funnel?.[stage]) })),
    review_gaps: gaps.map((r) => ({
      playbook_id: String(r.playbook_id),
      playbook_key: String(r.playbook_key),
      field: String(r.field),
      reviews: n(r.reviews),
      gaps: n(r.gaps),
      gap_rate: n(r.gap_rate),
    })),
    senders: senders.map((r) => ({
      user_id: String(r.sender),
      name: String(r.name),
      submitted: n(r.submitted),
      first_pass_rate: orNull(r.first_pass_rate),
      questions: n(r.questions),
      gaps: n(r.gaps),
      rating: orNull(r.rating),
    })),
    health: { bands, buckets },
    retention_by_quality: retention.map((r) => ({
      quality: r.quality === 'clean' ? 'clean' : 'not_clean',
      currency: String(r.currency),
      accounts: n(r.accounts),
      nrr: orNull(r.nrr),
      grr: orNull(r.grr),
    })),
  };
}
