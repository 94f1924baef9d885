import {
  Center,
  Group,
  Loader,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../api.js';
import { exportName } from '../dashboard/csv.js';
import {
  CycleTimesChart,
  FunnelChart,
  HealthCharts,
  RejectionsChart,
  RetentionChart,
  ReviewGapsTable,
  SendersTable,
  TotalCards,
  TrendCharts,
} from '../dashboard/sections.js';
import { ErrorNote } from '../parts.js';
import { can, useSession } from '../session.js';
import type { Dashboard, Page, PlaybookDetail, PlaybookSummary, Team } from '../types.js';

/** The filters the page keeps in its address, so a filtered view can be shared as a link. */
const FILTERS = ['from', 'to', 'team', 'playbook'] as const;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The metrics dashboard (docs/design-metrics.md, "Routes, CLI, UI"): the totals, trends,
 * rejections, the lifecycle funnel, cycle times, review gaps, sender scorecards and, when the
 * answer has them, the health distribution and retention beside handoff quality; every figure
 * from one `GET /dashboard` for the period, team and playbook in the page's address.
 */
export function DashboardPage() {
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const query = new URLSearchParams();
  for (const key of FILTERS) {
    const value = search.get(key);
    if (value) query.set(key, value);
  }
  const allowed = can(session, 'read');
  const dashboard = useQuery({
    queryKey: ['dashboard', query.toString()],
    queryFn: () => api<Dashboard>('GET', `/dashboard${query.size ? `?${query}` : ''}`),
    placeholderData: keepPreviousData,
    enabled: allowed,
  });
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: () => api<{ items: Team[] }>('GET', '/teams'),
    enabled: allowed,
  });
  const playbooks = usePlaybookVersions(allowed);
  if (!allowed) return <ErrorNote error={new Error(`The ${session.user.role} role may not read reports.`)} />;

  const setFilter = (key: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next);
  };
  const data = dashboard.data;
  const filters = data?.filters;
  const name = (chart: string) => exportName(chart, { from: filters?.from, to: filters?.to });
  const monthError = (key: 'from' | 'to') => {
    const value = search.get(key);
    return value && !MONTH.test(value) ? 'A month, such as 2026-03' : undefined;
  };

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          Dashboard
        </Title>
        <Text c="dimmed" size="sm">
          How handoffs land: volumes, first-pass acceptance, cycle times, rejections and review gaps, for the
          months, team and playbook chosen. Every chart exports as CSV and PNG.
        </Text>
      </div>
      <Group
        component="form"
        role="search"
        aria-label="Dashboard filters"
        gap="sm"
        align="flex-end"
        onSubmit={(e) => e.preventDefault()}
        className="dashboard-filters"
      >
        {(['from', 'to'] as const).map((key) => (
          <TextInput
            key={key}
            type="month"
            label={key === 'from' ? 'From' : 'To'}
            value={search.get(key) ?? filters?.[key] ?? ''}
            onChange={(e) => setFilter(key, e.currentTarget.value)}
            error={monthError(key)}
            w={170}
          />
        ))}
        <NativeSelect
          label="Team"
          value={search.get('team') ?? ''}
          onChange={(e) => setFilter('team', e.currentTarget.value)}
          data={[
            { value: '', label: 'All teams' },
            ...(teams.data?.items ?? []).map((t) => ({ value: t.key, label: t.name })),
          ]}
          w={200}
        />
        <NativeSelect
          label="Playbook"
          value={search.get('playbook') ?? ''}
          onChange={(e) => setFilter('playbook', e.currentTarget.value)}
          data={[{ value: '', label: 'All playbooks' }, ...playbooks.options]}
          w={220}
        />
        {dashboard.isFetching && data ? <Loader size="sm" aria-label="Updating figures" mb={8} /> : null}
      </Group>
      <ErrorNote error={dashboard.error ?? teams.error ?? playbooks.error} />
      {dashboard.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the dashboard" />
        </Center>
      ) : data ? (
        <>
          <TotalCards totals={data.totals} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md" className="chart-grid">
            <TrendCharts trend={data.trend} name={name} />
            <FunnelChart funnel={data.funnel} name={name('lifecycle-funnel')} />
            <RejectionsChart rejections={data.rejections_by_reason} name={name('rejections-by-reason')} />
            {data.health ? <HealthCharts health={data.health} name={name} /> : null}
            {data.retention_by_quality ? (
              <RetentionChart retention={data.retention_by_quality} name={name('retention-by-quality')} />
            ) : null}
            <CycleTimesChart cycleTimes={data.cycle_times} name={name('cycle-times')} />
          </SimpleGrid>
          <ReviewGapsTable gaps={data.review_gaps} name={name('review-gaps')} />
          <SendersTable senders={data.senders} name={name('sender-scorecards')} />
        </>
      ) : null}
    </Stack>
  );
}

export default DashboardPage;

/**
 * The playbook filter's choices: every version of every playbook (the dashboard filters by a
 * version's id), named "Security integrator" or, when it has several, "Security integrator v2".
 */
function usePlaybookVersions(enabled: boolean) {
  const list = useQuery({
    queryKey: ['playbooks'],
    queryFn: () => api<Page<PlaybookSummary>>('GET', '/playbooks'),
    enabled,
  });
  const versions = (list.data?.items ?? []).flatMap((p) =>
    p.versions.map((v) => ({ playbook: p, version: v })),
  );
  const details = useQueries({
    queries: versions.map(({ playbook, version }) => ({
      queryKey: ['playbook', playbook.key, version],
      queryFn: () =>
        api<PlaybookDetail>('GET', `/playbooks/${encodeURIComponent(playbook.key)}?version=${version}`),
      staleTime: Number.POSITIVE_INFINITY,
    })),
  });
  const options = versions.flatMap(({ playbook, version }, i) => {
    const id = details[i]?.data?.id;
    if (!id) return [];
    return [
      { value: id, label: playbook.versions.length > 1 ? `${playbook.name} v${version}` : playbook.name },
    ];
  });
  return { options, error: list.error ?? details.find((d) => d.error)?.error ?? null };
}
