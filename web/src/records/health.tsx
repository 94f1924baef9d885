import { LineChart } from '@mantine/charts';
import {
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { GridScroll } from '../closeout/grid-scroll.js';
import { shortDay } from '../format.js';
import { ErrorNote } from '../parts.js';
import { useSession } from '../session.js';
import type { AccountHealth, HealthSettings } from '../types.js';

type Band = NonNullable<AccountHealth['band']>;
type Component = AccountHealth['components'][number]['component'];

export const BAND_LABEL: Record<Band, string> = { healthy: 'Healthy', watch: 'Watch', at_risk: 'At risk' };
export const BAND_COLOR: Record<Band, string> = { healthy: 'green', watch: 'yellow', at_risk: 'red' };
const COMPONENT_LABEL: Record<Component, string> = {
  usage: 'Usage',
  support: 'Support satisfaction',
  adoption: 'Adoption',
  escalations: 'Open escalations',
};

/** A score as the organisation's locale writes it, to one decimal at most. */
function scoreText(score: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(score);
}

export function BandBadge({ band }: { band: Band }) {
  return (
    <Badge color={BAND_COLOR[band]} variant="filled" data-testid="health-band">
      {BAND_LABEL[band]}
    </Badge>
  );
}

/**
 * The account's health: its score now with its band, each component with its weight and what it
 * was computed from (a component without data is left out of the score, and says so), and the
 * daily scores as a line.
 */
export function HealthCard({ accountId }: { accountId: string }) {
  const { organisation } = useSession();
  const locale = organisation.locale;
  const health = useQuery({
    queryKey: ['health', accountId],
    queryFn: () => api<AccountHealth>('GET', `/accounts/${accountId}/health?limit=90`),
  });
  const h = health.data;
  const history = [...(h?.items ?? [])]
    .reverse()
    .map((r) => ({ day: shortDay(r.scored_on), score: r.score }));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="health-title">
      <Group justify="space-between" align="center" mb="xs">
        <Title order={2} size="h4" id="health-title">
          Health
        </Title>
        {h && h.score !== null && h.band ? (
          <Group gap="xs" align="center">
            <Text
              fw={700}
              size="xl"
              data-testid="health-score"
              aria-label={`Score ${scoreText(h.score, locale)} of 100`}
            >
              {scoreText(h.score, locale)}
            </Text>
            <BandBadge band={h.band} />
          </Group>
        ) : null}
      </Group>
      <ErrorNote error={health.error} />
      {!h ? (
        health.error ? null : (
          <Text c="dimmed" size="sm">
            Loading the health score…
          </Text>
        )
      ) : (
        <Stack gap="sm">
          {h.score === null ? (
            <Text size="sm" c="dimmed">
              No score yet: no signal about this account says anything the score counts.
            </Text>
          ) : null}
          <GridScroll label="Health components, scrollable" minWidth={560}>
            <Table verticalSpacing="xs" aria-label="Health components">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Component</Table.Th>
                  <Table.Th scope="col">Weight</Table.Th>
                  <Table.Th scope="col">Score</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {h.components.map((c) => (
                  <Table.Tr key={c.component}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {COMPONENT_LABEL[c.component]}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{scoreText(c.weight, locale)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {c.score === null ? 'No data, left out' : scoreText(c.score, locale)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.detail}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </GridScroll>
          {history.length > 1 ? (
            <figure style={{ margin: 0 }}>
              <figcaption>
                <Text size="sm" fw={600}>
                  Daily score, last {history.length} days scored
                </Text>
              </figcaption>
              <LineChart
                h={180}
                data={history}
                dataKey="day"
                series={[{ name: 'score', label: 'Score', color: 'baton.6' }]}
                yAxisProps={{ domain: [0, 100] }}
                curveType="linear"
                withDots={history.length < 40}
                valueFormatter={(v) => scoreText(v, locale)}
              />
            </figure>
          ) : (
            <Text size="sm" c="dimmed">
              {history.length === 1
                ? `Scored once, on ${history[0]!.day}; the daily line starts with the next score.`
                : 'The daily scores start with the next daily run.'}
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}

const WEIGHTS: { key: Component; label: string }[] = [
  { key: 'usage', label: 'Usage weight' },
  { key: 'support', label: 'Support satisfaction weight' },
  { key: 'adoption', label: 'Adoption weight' },
  { key: 'escalations', label: 'Open escalations weight' },
];

/**
 * How health is scored (admins): the window, a weight per component, the named features whose
 * adoption counts, and the lowest score of each band. The server names each problem by its field.
 */
export function HealthSettingsForm() {
  const client = useQueryClient();
  const saved = useQuery({
    queryKey: ['health-settings'],
    queryFn: () => api<HealthSettings>('GET', '/health-settings'),
  });
  const [draft, setDraft] = useState<HealthSettings | null>(null);
  useEffect(() => {
    if (saved.data && !draft) setDraft(saved.data);
  }, [saved.data, draft]);
  const save = useMutation({
    mutationFn: (body: HealthSettings) => api<HealthSettings>('PUT', '/health-settings', body),
    onSuccess: async (next) => {
      setDraft(next);
      notifications.show({
        color: 'green',
        message: 'Health settings saved; the accounts are being scored again.',
      });
      await client.invalidateQueries({ queryKey: ['health-settings'] });
      await client.invalidateQueries({ queryKey: ['health'] });
    },
  });
  if (saved.error) return <ErrorNote error={saved.error} />;
  if (!draft) return <Text c="dimmed">Loading the health settings…</Text>;
  const err = save.error instanceof ApiError ? save.error : null;
  const at = (path: string) =>
    err?.errors.find((e) => e.path === path || e.path.startsWith(`${path}/`))?.message;
  const num = (v: string | number, fallback: number) => (typeof v === 'number' ? v : fallback);
  const change = (next: HealthSettings) => {
    setDraft(next);
    save.reset();
  };
  return (
    <Paper withBorder p="md" maw={760}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <Stack>
          <Text size="sm">
            An account’s health is the weighted mean of the components it has data for, each scored 0–100 from
            its signals in the window.
          </Text>
          <NumberInput
            label="Window (days)"
            description="Usage compares this window with the one before it"
            min={1}
            max={365}
            allowDecimal={false}
            value={draft.window_days}
            onChange={(v) => change({ ...draft, window_days: num(v, draft.window_days) })}
            error={at('/window_days')}
            maw={220}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {WEIGHTS.map((w) => (
              <NumberInput
                key={w.key}
                label={w.label}
                min={0}
                max={1000}
                value={draft.weights[w.key]}
                onChange={(v) =>
                  change({ ...draft, weights: { ...draft.weights, [w.key]: num(v, draft.weights[w.key]) } })
                }
                error={err?.forPath(`/weights/${w.key}`)}
              />
            ))}
          </SimpleGrid>
          {err?.forPath('/weights') ? (
            <Text size="sm" c="red.8" role="alert">
              {err.forPath('/weights')}
            </Text>
          ) : null}
          <TagsInput
            label="Named features"
            description="Adoption is the share of these used in the window; press Enter after each"
            value={draft.features}
            onChange={(features) => change({ ...draft, features })}
            error={at('/features')}
            clearable
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Healthy from"
              min={0}
              max={100}
              value={draft.bands.healthy}
              onChange={(v) =>
                change({ ...draft, bands: { ...draft.bands, healthy: num(v, draft.bands.healthy) } })
              }
              error={err?.forPath('/bands/healthy')}
            />
            <NumberInput
              label="Watch from"
              description="Below this: at risk"
              min={0}
              max={100}
              value={draft.bands.watch}
              onChange={(v) =>
                change({ ...draft, bands: { ...draft.bands, watch: num(v, draft.bands.watch) } })
              }
              error={err?.forPath('/bands/watch')}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save health settings
            </Button>
          </Group>
          {save.error && !err?.errors.length ? <ErrorNote error={save.error} /> : null}
        </Stack>
      </form>
    </Paper>
  );
}
