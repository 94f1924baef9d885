import {
  Anchor,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api.js';
import { CloseoutTab } from '../closeout/closeout-tab.js';
import { actionWords, dateTime, dayKey, dayLabel, timeOfDay } from '../format.js';
import { EmptyState, ErrorNote, StateBadge } from '../parts.js';
import { mayOpenHandoffs } from '../records/permissions.js';
import { useSession } from '../session.js';
import { storyOf } from '../story.js';
import type { EngagementTimeline } from '../types.js';
import { useUsers } from './handoff.js';
import { NewHandoffForm } from './inbox.js';

/**
 * One engagement: its journey (every handoff and every audit event) and its closeout package, one
 * tab each; the tab is in the address (`?tab=closeout`), so a link can open either.
 */
export function TimelinePage() {
  const { id = '' } = useParams();
  const data = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => api<EngagementTimeline>('GET', `/engagements/${id}/timeline`),
  });
  const users = useUsers();
  const session = useSession();
  const [opening, { open, close }] = useDisclosure(false);
  const names = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u.name])), [users.data]);
  const [view, setView] = useState<'story' | 'audit'>('story');
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'closeout' ? 'closeout' : 'journey';
  if (data.error) return <ErrorNote error={data.error} />;
  if (!data.data) return <Text c="dimmed">Loading the timeline…</Text>;
  const { engagement, handoffs, events } = data.data;
  const titles = new Map(handoffs.map((h) => [h.id, h.title]));
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            {engagement.name}
          </Title>
          <Text c="dimmed" size="sm">
            <Anchor component={Link} to={`/accounts/${engagement.account.id}`} inherit underline="always">
              {engagement.account.name}
            </Anchor>
            {engagement.stage ? ` · stage: ${engagement.stage}` : ''} · {handoffs.length} handoff
            {handoffs.length === 1 ? '' : 's'}, {events.length} events
          </Text>
        </div>
        {mayOpenHandoffs(session) ? <Button onClick={open}>New handoff</Button> : null}
      </Group>
      <Modal opened={opening} onClose={close} title="New handoff" size="lg">
        {opening ? <NewHandoffForm engagementId={engagement.id} onDone={close} /> : null}
      </Modal>
      <Tabs
        value={tab}
        onChange={(v) => setSearch(v === 'closeout' ? { tab: 'closeout' } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="journey">Journey</Tabs.Tab>
          <Tabs.Tab value="closeout">Closeout</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="journey" pt="md">
          <Stack>
            <Title order={2} size="h4">
              Handoffs across the journey
            </Title>
            {handoffs.length === 0 ? (
              <EmptyState title="No handoff yet">Start one with "New handoff".</EmptyState>
            ) : (
              <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
                {handoffs.map((h) => (
                  <Paper key={h.id} withBorder p="sm">
                    <Group justify="space-between" wrap="nowrap">
                      <Anchor component={Link} to={`/handoffs/${h.id}`} fw={600}>
                        {h.title}
                      </Anchor>
                      <StateBadge state={h.state} />
                    </Group>
                    <Text size="sm" c="dimmed">
                      {h.sending_team.name} → {h.receiving_team.name} · revision {h.revision}
                    </Text>
                  </Paper>
                ))}
              </SimpleGrid>
            )}
            <Group justify="space-between" align="flex-end">
              <Title order={2} size="h4">
                {view === 'story' ? 'What happened' : 'Audit log'}
              </Title>
              <SegmentedControl
                aria-label="How to show the events"
                value={view}
                onChange={(v) => setView(v as 'story' | 'audit')}
                data={[
                  { value: 'story', label: 'Story' },
                  { value: 'audit', label: 'Audit log' },
                ]}
              />
            </Group>
            <Paper withBorder p="md">
              {events.length === 0 ? (
                <Text c="dimmed">No event recorded.</Text>
              ) : view === 'story' ? (
                <Stack gap="md">
                  {storyOf(events, {
                    nameOf: (id) => names.get(id),
                    titleOf: (id) => titles.get(id),
                    dayOf: (iso) => dayKey(iso),
                  }).map((day) => (
                    <section key={day.day} aria-label={dayLabel(day.day)}>
                      <Text fw={700} size="sm" mb={4}>
                        {dayLabel(day.day)}
                      </Text>
                      <Stack gap={4}>
                        {day.lines.map((line) => (
                          <Group key={line.seqs[0]} gap="sm" wrap="nowrap" align="baseline">
                            <Text size="xs" c="dimmed" miw={44}>
                              {timeOfDay(line.at)}
                            </Text>
                            <Text size="sm">{line.text}</Text>
                          </Group>
                        ))}
                      </Stack>
                    </section>
                  ))}
                </Stack>
              ) : (
                <Timeline bulletSize={14} lineWidth={2} active={events.length}>
                  {events.map((e) => {
                    const about = titles.get(e.entity.id);
                    return (
                      <Timeline.Item key={e.seq} title={actionWords(e.action)}>
                        <Text size="sm">
                          {e.actor.type === 'system' ? 'Baton' : (names.get(e.actor.id ?? '') ?? 'A user')}
                          {about ? ` · ${about}` : ` · ${e.entity.type}`}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {dateTime(e.at)} · entry {e.seq}
                        </Text>
                      </Timeline.Item>
                    );
                  })}
                </Timeline>
              )}
            </Paper>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="closeout" pt="md">
          <CloseoutTab engagementId={engagement.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
