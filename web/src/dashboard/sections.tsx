import { BarChart, LineChart } from '@mantine/charts';
import { List, Paper, SimpleGrid, Text } from '@mantine/core';
import { durationText, hoursText, monthLabel, numberText, percentText } from '../format.js';
import type { Dashboard, DashboardTotals, TrendPoint } from '../types.js';
import { ChartCard, type Column } from './chart-card.js';
import type { Cell } from './csv.js';
import { CYCLE_LABEL, CYCLE_SHORT, clip, FUNNEL_LABEL, QUALITY_LABEL } from './labels.js';

const count = (v: Cell) => (typeof v === 'number' ? numberText(v, 0) : '—');
const rate = (v: Cell) => (typeof v === 'number' ? percentText(v) : '—');
const hours = (v: Cell) => (typeof v === 'number' ? hoursText(v) : '—');
const decimal = (v: Cell) => (typeof v === 'number' ? numberText(v, 1) : '—');
const month = (v: Cell) => (typeof v === 'string' ? monthLabel(v) : '—');

/** The charts draw without animation: a picture or a screenshot never catches one half drawn. */
const still = { isAnimationActive: false } as const;

/** "12 · 9 · 4": the first few of a chart's figures, for its one-line spoken summary. */
function summaryOf(pairs: readonly [string, string][]): string {
  const shown = pairs.slice(0, 6).map(([label, value]) => `${label} ${value}`);
  return pairs.length > 6 ? `${shown.join(', ')} and ${pairs.length - 6} more` : shown.join(', ');
}

/** "at_risk" → "At risk": a key in words. */
function words(key: string): string {
  const text = key.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "+42", "0", "−15": a net promoter score, signed. */
function nps(value: number | null): string {
  if (value === null) return '—';
  return `${value > 0 ? '+' : ''}${numberText(value, 0)}`;
}

const TOTALS: {
  key: keyof DashboardTotals;
  label: string;
  help: string;
  show: (v: number | null) => string;
}[] = [
  { key: 'drafted', label: 'Drafted', help: 'handoffs started', show: count },
  { key: 'submitted', label: 'Submitted', help: 'first submitted', show: count },
  { key: 'accepted', label: 'Accepted', help: 'of those submitted', show: count },
  { key: 'first_pass_rate', label: 'First-pass rate', help: 'accepted with no rejection', show: rate },
  { key: 'sla_compliance', label: 'SLA compliance', help: 'checkpoints done on time', show: rate },
  {
    key: 'on_time_completion',
    label: 'On-time completion',
    help: 'closed with no late checkpoint',
    show: rate,
  },
  { key: 'promise_kept_rate', label: 'Promises kept', help: 'of promises settled', show: rate },
  {
    key: 'confirmation_change_rate',
    label: 'Calls that changed something',
    help: 'confirmation calls',
    show: rate,
  },
  { key: 'mean_question_rounds', label: 'Question rounds', help: 'per submitted handoff', show: decimal },
  { key: 'csat', label: 'CSAT', help: 'mean satisfaction', show: decimal },
  { key: 'nps', label: 'NPS', help: 'promoters − detractors', show: nps },
];

/** The totals of the filtered view as cards, each a labelled group a reader can find by name. */
export function TotalCards({ totals }: { totals: DashboardTotals }) {
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, md: 4, lg: 6 }} spacing="sm">
      {TOTALS.map((t) => (
        <Paper key={t.key} withBorder p="sm" radius="md" role="group" aria-label={t.label}>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" lh={1.3}>
            {t.label}
          </Text>
          <Text fz={26} fw={700} lh={1.3} data-testid={`total-${t.key}`}>
            {t.show(totals[t.key])}
          </Text>
          <Text size="xs" c="dimmed">
            {t.help}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

const TREND_COLUMNS: Column[] = [
  { key: 'period', label: 'Month', show: month },
  { key: 'submitted', label: 'Submitted', show: count },
  { key: 'accepted', label: 'Accepted', show: count },
  { key: 'first_pass_rate', label: 'First-pass rate', show: rate },
  { key: 'sla_compliance', label: 'SLA compliance', show: rate },
  { key: 'median_accept_hours', label: 'Median time to accept', show: hours },
];

/** Handoffs submitted and accepted per month, and the month's first-pass rate and SLA compliance. */
export function TrendCharts({ trend, name }: { trend: Dashboard['trend']; name: (chart: string) => string }) {
  const charts = [
    {
      chart: 'handoffs-per-month',
      title: 'Handoffs per month',
      description: 'Submitted for the first time, and accepted, by the month of submission.',
      spoken: (t: TrendPoint) => `${t.submitted} submitted, ${t.accepted} accepted`,
      series: [
        { name: 'submitted', label: 'Submitted', color: 'baton.6' },
        { name: 'accepted', label: 'Accepted', color: 'teal.7' },
      ],
      format: (v: number) => numberText(v, 0),
    },
    {
      chart: 'rates-per-month',
      title: 'First pass and SLA per month',
      description: 'Accepted without a rejection, and checkpoints done by their due time.',
      spoken: (t: TrendPoint) =>
        `first pass ${percentText(t.first_pass_rate)}, SLA ${percentText(t.sla_compliance)}`,
      series: [
        { name: 'first_pass_rate', label: 'First-pass rate', color: 'grape.7' },
        { name: 'sla_compliance', label: 'SLA compliance', color: 'orange.8' },
      ],
      format: (v: number) => percentText(v),
      yAxisProps: { domain: [0, 1], width: 52 },
    },
  ];
  const rows = trend.map((t) => [
    t.period,
    t.submitted,
    t.accepted,
    t.first_pass_rate,
    t.sla_compliance,
    t.median_accept_hours,
  ]);
  const data = trend.map((t) => ({ ...t, month: monthLabel(t.period) }));
  return charts.map((c) => (
    <ChartCard
      key={c.chart}
      name={name(c.chart)}
      title={c.title}
      description={c.description}
      summary={summaryOf(trend.map((t) => [monthLabel(t.period), c.spoken(t)]))}
      columns={TREND_COLUMNS}
      rows={rows}
      empty="No handoff was submitted in these months. Widen the period or clear a filter."
    >
      <LineChart
        h={260}
        data={data}
        dataKey="month"
        series={c.series}
        withLegend
        connectNulls
        accessibilityLayer={false}
        {...(c.yAxisProps ? { yAxisProps: c.yAxisProps } : {})}
        valueFormatter={c.format}
        lineProps={still}
        lineChartProps={{ margin: { right: 24, left: 4 } }}
      />
    </ChartCard>
  ));
}

/** Why handoffs were sent back, most frequent first, as horizontal bars. */
export function RejectionsChart({
  rejections,
  name,
}: {
  rejections: Dashboard['rejections_by_reason'];
  name: string;
}) {
  return (
    <ChartCard
      name={name}
      title="Rejections by reason"
      description="Why receivers sent handoffs back, most frequent first."
      summary={summaryOf(rejections.map((r) => [r.reason, numberText(r.count, 0)]))}
      columns={[
        { key: 'reason', label: 'Reason' },
        { key: 'count', label: 'Rejections', show: count },
      ]}
      rows={rejections.map((r) => [r.reason, r.count])}
      empty="No handoff was rejected in these months."
    >
      <BarChart
        h={Math.max(160, rejections.length * 40 + 40)}
        data={rejections.map((r) => ({ ...r, label: clip(r.reason, 26) }))}
        dataKey="label"
        orientation="vertical"
        barChartProps={{ margin: { right: 36 } }}
        series={[{ name: 'count', label: 'Rejections', color: 'red.7' }]}
        accessibilityLayer={false}
        yAxisProps={{ width: 170 }}
        valueFormatter={(v) => numberText(v, 0)}
        withBarValueLabel
        barProps={still}
        maxBarWidth={28}
      />
    </ChartCard>
  );
}

/** The lifecycle funnel as horizontal bars, with what was lost between each step and the next. */
export function FunnelChart({ funnel, name }: { funnel: Dashboard['funnel']; name: string }) {
  const steps = funnel.map((f, i) => {
    const before = i > 0 ? funnel[i - 1]!.count : null;
    const drop = before === null ? null : before - f.count;
    return { ...f, label: FUNNEL_LABEL[f.stage], drop, dropRate: before ? (drop ?? 0) / before : null };
  });
  const shown = funnel.some((f) => f.count > 0) ? steps : [];
  return (
    <ChartCard
      name={name}
      title="Lifecycle funnel"
      description="Handoffs drafted in these months, and how far they have come."
      summary={summaryOf(steps.map((s) => [s.label, numberText(s.count, 0)]))}
      columns={[
        {
          key: 'stage',
          label: 'Step',
          show: (v) => FUNNEL_LABEL[v as keyof typeof FUNNEL_LABEL] ?? String(v),
        },
        { key: 'count', label: 'Handoffs', show: count },
        { key: 'drop', label: 'Lost since the step before', show: count },
        { key: 'drop_rate', label: 'Share lost', show: rate },
      ]}
      rows={shown.map((s) => [s.stage, s.count, s.drop, s.dropRate])}
      empty="No handoff was drafted in these months."
      footer={
        <List size="sm" spacing={2} listStyleType="none" aria-label="Lost between steps">
          {shown.slice(1).map((s, i) => (
            <List.Item key={s.stage}>
              <Text span size="sm" c="dimmed">
                {steps[i]!.label} → {s.label}:{' '}
              </Text>
              <Text span size="sm" fw={600}>
                {s.drop ? `−${numberText(s.drop, 0)}` : '0'}
                {s.dropRate ? ` (${percentText(s.dropRate)})` : ''}
              </Text>
            </List.Item>
          ))}
        </List>
      }
    >
      <BarChart
        h={230}
        data={shown}
        dataKey="label"
        orientation="vertical"
        barChartProps={{ margin: { right: 36 } }}
        series={[{ name: 'count', label: 'Handoffs', color: 'baton.6' }]}
        accessibilityLayer={false}
        yAxisProps={{ width: 90 }}
        valueFormatter={(v) => numberText(v, 0)}
        withBarValueLabel
        barProps={still}
        maxBarWidth={30}
      />
    </ChartCard>
  );
}

/** The median and 90th percentile of each stage's time, in hours or days. */
export function CycleTimesChart({
  cycleTimes,
  name,
}: {
  cycleTimes: Dashboard['cycle_times'];
  name: string;
}) {
  const shown = cycleTimes.some((c) => c.count > 0) ? cycleTimes : [];
  // The axis counts days once a stage's 90th percentile passes two days, hours until then.
  const unit = Math.max(0, ...shown.map((c) => c.p90_hours ?? 0)) >= 48 ? 'day' : 'hour';
  const per = unit === 'day' ? 24 : 1;
  const inUnit = (v: number | null) => (v === null ? null : v / per);
  return (
    <ChartCard
      name={name}
      title="Cycle times"
      description="How long each stage took, from the contract signed to submitted, accepted and kicked off: the median handoff, and nine in ten."
      summary={summaryOf(
        shown.map((c) => [
          CYCLE_LABEL[c.stage],
          `median ${hoursText(c.median_hours)}, 90th percentile ${hoursText(c.p90_hours)}`,
        ]),
      )}
      columns={[
        {
          key: 'stage',
          label: 'Stage',
          show: (v) => CYCLE_LABEL[v as keyof typeof CYCLE_LABEL] ?? String(v),
        },
        { key: 'count', label: 'Handoffs', show: count },
        { key: 'median_hours', label: 'Median', show: hours },
        { key: 'p90_hours', label: '90th percentile', show: hours },
      ]}
      rows={shown.map((c) => [c.stage, c.count, c.median_hours, c.p90_hours])}
      empty="No handoff finished a stage in these months."
    >
      <BarChart
        h={260}
        data={shown.map((c) => ({
          label: CYCLE_SHORT[c.stage],
          median: inUnit(c.median_hours),
          p90: inUnit(c.p90_hours),
        }))}
        dataKey="label"
        series={[
          { name: 'median', label: 'Median', color: 'baton.6' },
          { name: 'p90', label: '90th percentile', color: 'baton.3' },
        ]}
        withLegend
        accessibilityLayer={false}
        yAxisProps={{ width: 72 }}
        xAxisProps={{ interval: 0 }}
        valueFormatter={(v) => durationText(v, unit)}
        barProps={still}
        maxBarWidth={36}
      />
    </ChartCard>
  );
}

/** Which packet fields the 72-hour reviews most often found wrong, worst first. */
export function ReviewGapsTable({ gaps, name }: { gaps: Dashboard['review_gaps']; name: string }) {
  return (
    <ChartCard
      name={name}
      title="Review gaps by field"
      description="Fields whose 72-hour review found the client's experience differed, worst first: the ones the playbook should sharpen."
      columns={[
        { key: 'field', label: 'Field' },
        { key: 'gap_rate', label: 'Gap rate', show: rate },
        { key: 'gaps', label: 'Gaps', show: count },
        { key: 'reviews', label: 'Reviews', show: count },
        {
          key: 'playbook_key',
          label: 'Playbook',
          href: (v) => `/playbooks/${encodeURIComponent(String(v))}`,
        },
      ]}
      rows={gaps.map((g) => [g.field, g.gap_rate, g.gaps, g.reviews, g.playbook_key])}
      footer={
        <Text size="sm" c="dimmed">
          A playbook's page suggests how to sharpen these fields, and an admin can draft its next version from
          a suggestion there.
        </Text>
      }
      empty="No follow-up review compared a field in these months."
      tableOnly
    />
  );
}

/** Each sender's record: first-pass rate, questions, gaps found later and the receivers' rating. */
export function SendersTable({ senders, name }: { senders: Dashboard['senders']; name: string }) {
  return (
    <ChartCard
      name={name}
      title="Sender scorecards"
      description="Who sends handoffs, and how they land: questions raised, gaps found later, the receivers' 30-day rating."
      columns={[
        { key: 'name', label: 'Sender' },
        { key: 'submitted', label: 'Submitted', show: count },
        { key: 'first_pass_rate', label: 'First pass', show: rate },
        { key: 'questions', label: 'Questions', show: count },
        { key: 'gaps', label: 'Gaps later', show: count },
        { key: 'rating', label: '30-day rating', show: decimal },
      ]}
      rows={senders.map((s) => [s.name, s.submitted, s.first_pass_rate, s.questions, s.gaps, s.rating])}
      empty="No handoff was submitted in these months."
      tableOnly
    />
  );
}

/** Accounts by health band and by score, when the health scores are part of the answer. */
export function HealthCharts({
  health,
  name,
}: {
  health: NonNullable<Dashboard['health']>;
  name: (chart: string) => string;
}) {
  const buckets = health.buckets.map((b) => ({
    ...b,
    label: `${numberText(b.from, 0)}–${numberText(b.to, 0)}`,
  }));
  const anyScored = health.bands.some((b) => b.count > 0);
  return (
    <>
      <ChartCard
        name={name('health-by-band')}
        title="Account health by band"
        description="Accounts by the band of their latest health score."
        summary={summaryOf(health.bands.map((b) => [words(b.band), numberText(b.count, 0)]))}
        columns={[
          { key: 'band', label: 'Band', show: (v) => words(String(v)) },
          { key: 'count', label: 'Accounts', show: count },
        ]}
        rows={anyScored ? health.bands.map((b) => [b.band, b.count]) : []}
        empty="No account has a health score yet."
      >
        <BarChart
          h={220}
          data={health.bands.map((b) => ({ ...b, label: words(b.band) }))}
          dataKey="label"
          series={[{ name: 'count', label: 'Accounts', color: 'teal.7' }]}
          accessibilityLayer={false}
          yAxisProps={{ allowDecimals: false }}
          barChartProps={{ margin: { top: 18 } }}
          valueFormatter={(v) => numberText(v, 0)}
          withBarValueLabel
          barProps={still}
          maxBarWidth={48}
        />
      </ChartCard>
      <ChartCard
        name={name('health-scores')}
        title="Account health scores"
        description="Accounts by their latest score, in buckets of the 0–100 scale."
        summary={summaryOf(buckets.map((b) => [b.label, numberText(b.count, 0)]))}
        columns={[
          { key: 'from', label: 'From score', show: decimal },
          { key: 'to', label: 'To score', show: decimal },
          { key: 'count', label: 'Accounts', show: count },
        ]}
        rows={buckets.some((b) => b.count > 0) ? buckets.map((b) => [b.from, b.to, b.count]) : []}
        empty="No account has a health score yet."
      >
        <BarChart
          h={220}
          data={buckets}
          dataKey="label"
          series={[{ name: 'count', label: 'Accounts', color: 'teal.5' }]}
          accessibilityLayer={false}
          yAxisProps={{ allowDecimals: false }}
          valueFormatter={(v) => numberText(v, 0)}
          barProps={still}
        />
      </ChartCard>
    </>
  );
}

/** Net and gross revenue retention of accounts with clean handoffs beside the others, per currency. */
export function RetentionChart({
  retention,
  name,
}: {
  retention: NonNullable<Dashboard['retention_by_quality']>;
  name: string;
}) {
  const data = retention.map((r) => ({
    ...r,
    label: `${QUALITY_LABEL[r.quality]} (${r.currency})`,
  }));
  return (
    <ChartCard
      name={name}
      title="Retention beside handoff quality"
      description="Do accounts whose handoffs were clean retain better? Net and gross revenue retention, never summed across currencies."
      summary={summaryOf(data.map((d) => [d.label, `NRR ${percentText(d.nrr)}, GRR ${percentText(d.grr)}`]))}
      columns={[
        {
          key: 'quality',
          label: 'Handoffs',
          show: (v) => QUALITY_LABEL[v as keyof typeof QUALITY_LABEL] ?? String(v),
        },
        { key: 'currency', label: 'Currency' },
        { key: 'accounts', label: 'Accounts', show: count },
        { key: 'nrr', label: 'Net retention', show: rate },
        { key: 'grr', label: 'Gross retention', show: rate },
      ]}
      rows={retention.map((r) => [r.quality, r.currency, r.accounts, r.nrr, r.grr])}
      empty="No recurring revenue is recorded for these months."
    >
      <BarChart
        h={240}
        data={data}
        dataKey="label"
        series={[
          { name: 'nrr', label: 'Net retention', color: 'baton.6' },
          { name: 'grr', label: 'Gross retention', color: 'gray.6' },
        ]}
        withLegend
        accessibilityLayer={false}
        yAxisProps={{ width: 52 }}
        valueFormatter={(v) => percentText(v)}
        barProps={still}
        maxBarWidth={40}
      />
    </ChartCard>
  );
}
