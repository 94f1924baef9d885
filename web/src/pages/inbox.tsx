import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { type NextStep, nextStepOf } from '../../../src/handoffs/domain/next-step.js';
import { ApiError, api } from '../api.js';
import { age, STATE_LABEL } from '../format.js';
import { EmptyState, ErrorNote, StateBadge } from '../parts.js';
import { can, inTeam, useSession } from '../session.js';
import type { Checkpoint, Engagement, Handoff, Page, PlaybookSummary } from '../types.js';

/** What, if anything, this handoff waits on the user for: the server's reading of their actions. */
export function nextStepFor(h: Handoff): NextStep | null {
  return nextStepOf(h.actions, h.open_questions);
}

const NEXT_WORDS: Record<NextStep, string> = {
  submit: 'Complete and submit',
  answer: 'Answer questions',
  review: 'Review',
  deliver: 'Deliver',
};

/** SLA status appears only where the server offers checkpoints. */
function useCheckpoints() {
  return useQuery({
    queryKey: ['checkpoints'],
    queryFn: async () => {
      try {
        // The pending ones: open, or overdue.
        return (await api<Page<Checkpoint>>('GET', '/checkpoints?state=open&state=overdue&limit=200')).items;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

function slaOf(checkpoints: Checkpoint[], handoffId: string): { label: string; color: string } | null {
  const open = checkpoints.filter((c) => c.handoff_id === handoffId);
  if (!open.length) return null;
  const next = open.sort((a, b) => a.due_at.localeCompare(b.due_at))[0]!;
  const due = new Date(next.due_at).getTime();
  if (due < Date.now()) return { label: `Overdue ${age(next.due_at)}`, color: 'red' };
  const hours = Math.round((due - Date.now()) / 3_600_000);
  return {
    label: `Due in ${hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} d`}`,
    color: hours < 8 ? 'orange' : 'gray',
  };
}

export function InboxPage() {
  const session = useSession();
  const [view, setView] = useState<'mine' | 'teams' | 'all'>('mine');
  const [state, setState] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [opened, { open, close }] = useDisclosure(false);
  // "Waiting on me" is the server's filter, decided on each handoff's actions for the caller.
  const handoffs = useQuery({
    queryKey: ['handoffs', view === 'mine' ? 'waiting-on-me' : 'all'],
    queryFn: () => api<Page<Handoff>>('GET', `/handoffs?limit=200${view === 'mine' ? '&waiting_on=me' : ''}`),
  });
  const checkpoints = useCheckpoints();

  const rows = useMemo(() => {
    const items = handoffs.data?.items ?? [];
    return items
      .filter((h) => {
        if (view === 'teams')
          return inTeam(session, h.sending_team.key) || inTeam(session, h.receiving_team.key);
        return true;
      })
      .filter((h) => !state || h.state === state)
      .filter((h) => !search.trim() || h.title.toLowerCase().includes(search.trim().toLowerCase()));
  }, [handoffs.data, view, state, search, session]);

  const showSla = Array.isArray(checkpoints.data);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Inbox
          </Title>
          <Text c="dimmed" size="sm">
            Handoffs waiting on you or your teams ({session.user.teams.join(', ') || 'no team'}).
          </Text>
        </div>
        {can(session, 'act_on_handoffs') ? <Button onClick={open}>New handoff</Button> : null}
      </Group>
      <Paper withBorder p="sm">
        <Group gap="md" align="flex-end" wrap="wrap">
          <div>
            <Text size="sm" fw={500} id="view-label" mb={4}>
              Show
            </Text>
            <SegmentedControl
              aria-labelledby="view-label"
              value={view}
              onChange={(v) => setView(v as typeof view)}
              data={[
                { value: 'mine', label: 'Waiting on me' },
                { value: 'teams', label: 'My teams' },
                { value: 'all', label: 'All' },
              ]}
            />
          </div>
          <Select
            label="State"
            placeholder="Any state"
            clearable
            value={state}
            onChange={setState}
            data={Object.entries(STATE_LABEL).map(([value, label]) => ({ value, label }))}
            w={180}
          />
          <TextInput
            label="Title contains"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={240}
          />
        </Group>
      </Paper>
      <ErrorNote error={handoffs.error} />
      {handoffs.isPending ? (
        <Text c="dimmed">Loading handoffs…</Text>
      ) : rows.length === 0 ? (
        <Paper withBorder>
          {view === 'mine' ? (
            <EmptyState title="Nothing is waiting on you">
              When your team has a packet to complete, a packet to review or a question to answer, it appears
              here. Start a new handoff, or look at all of your teams' handoffs.
            </EmptyState>
          ) : (
            <EmptyState title="No handoffs match">Clear the filters, or start a new handoff.</EmptyState>
          )}
        </Paper>
      ) : (
        <>
          {/* On a phone each handoff is a card, so state, next step and SLA stay on screen; from
            the sm breakpoint up, the table. (Both are drawn; CSS shows one.) */}
          <Stack component="ul" gap="sm" hiddenFrom="sm" className="handoff-cards" aria-label="Handoffs">
            {rows.map((h) => (
              <HandoffCard
                key={h.id}
                handoff={h}
                sla={showSla ? slaOf(checkpoints.data ?? [], h.id) : null}
                showSla={showSla}
              />
            ))}
          </Stack>
          <Paper withBorder style={{ overflowX: 'auto' }} visibleFrom="sm">
            <Table striped highlightOnHover verticalSpacing="sm" miw={720}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Handoff</Table.Th>
                  <Table.Th scope="col">Teams</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Next step</Table.Th>
                  <Table.Th scope="col">Age</Table.Th>
                  {showSla ? <Table.Th scope="col">SLA</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((h) => {
                  const next = nextStepFor(h);
                  const sla = showSla ? slaOf(checkpoints.data ?? [], h.id) : null;
                  return (
                    <Table.Tr key={h.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/handoffs/${h.id}`} fw={600}>
                          {h.title}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {h.playbook.key} · revision {h.revision}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {h.sending_team.name} → {h.receiving_team.name}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StateBadge state={h.state} />
                        <OpenQuestions count={h.open_questions} ml={6} />
                      </Table.Td>
                      <Table.Td>
                        {next ? (
                          <Text size="sm">{NEXT_WORDS[next]}</Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            Waiting on others
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" title={h.updated_at}>
                          {age(h.submitted_at && h.state === 'submitted' ? h.submitted_at : h.updated_at)}
                        </Text>
                      </Table.Td>
                      {showSla ? (
                        <Table.Td>
                          {sla ? (
                            <Badge color={sla.color} variant="light">
                              {sla.label}
                            </Badge>
                          ) : (
                            <Text size="sm" c="dimmed">
                              —
                            </Text>
                          )}
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Paper>
        </>
      )}
      <Modal opened={opened} onClose={close} title="New handoff" size="lg">
        {opened ? <NewHandoffForm onDone={close} /> : null}
      </Modal>
    </Stack>
  );
}

/** "2 open questions", when there are any. */
function OpenQuestions({ count, ml }: { count: number; ml?: number }) {
  return count > 0 ? (
    <Badge ml={ml} color="orange" variant="outline">
      {count} open question{count > 1 ? 's' : ''}
    </Badge>
  ) : null;
}

/** A handoff of the inbox on a phone: title, state, next step, SLA and teams, on one card. */
function HandoffCard({
  handoff: h,
  sla,
  showSla,
}: {
  handoff: Handoff;
  sla: { label: string; color: string } | null;
  showSla: boolean;
}) {
  const next = nextStepFor(h);
  return (
    <Paper component="li" withBorder p="sm">
      <Anchor component={Link} to={`/handoffs/${h.id}`} fw={600}>
        {h.title}
      </Anchor>
      <Group gap={6} mt={6}>
        <StateBadge state={h.state} />
        <OpenQuestions count={h.open_questions} />
        {sla ? (
          <Badge color={sla.color} variant="light">
            {sla.label}
          </Badge>
        ) : null}
      </Group>
      <Text size="sm" mt={6}>
        <Text span fw={600}>
          Next step:
        </Text>{' '}
        {next ? NEXT_WORDS[next] : 'Waiting on others'}
      </Text>
      <Text size="xs" c="dimmed">
        {h.sending_team.name} → {h.receiving_team.name} · updated{' '}
        {age(h.submitted_at && h.state === 'submitted' ? h.submitted_at : h.updated_at)} ago
        {showSla && !sla ? ' · no deadline pending' : ''}
      </Text>
    </Paper>
  );
}

/** Opens a draft handoff; from an engagement, with that engagement chosen. */
export function NewHandoffForm({ onDone, engagementId }: { onDone: () => void; engagementId?: string }) {
  const session = useSession();
  const navigate = useNavigate();
  const engagements = useQuery({
    queryKey: ['engagements'],
    queryFn: () => api<Page<Engagement>>('GET', '/engagements?limit=200'),
  });
  const playbooks = useQuery({
    queryKey: ['playbooks'],
    queryFn: () => api<Page<PlaybookSummary>>('GET', '/playbooks'),
  });
  const [engagement, setEngagement] = useState<string | null>(engagementId ?? null);
  const [playbook, setPlaybook] = useState<string | null>(null);
  const [transition, setTransition] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const chosen = playbooks.data?.items.find((p) => p.key === playbook);
  const create = useMutation({
    mutationFn: () =>
      api<Handoff>('POST', '/handoffs', {
        engagement_id: engagement,
        playbook,
        transition,
        ...(title.trim() ? { title: title.trim() } : {}),
      }),
    onSuccess: (h) => {
      onDone();
      navigate(`/handoffs/${h.id}`);
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  // A 409 names the handoff already open for this engagement and transition: offer to go to it.
  const openOne = error?.body.open_handoff as { id: string; title: string } | undefined;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Stack>
        <ErrorNote error={engagements.error ?? playbooks.error} />
        <Select
          label="Engagement"
          required
          searchable
          data={(engagements.data?.items ?? []).map((e) => ({ value: e.id, label: e.name }))}
          value={engagement}
          onChange={setEngagement}
          error={error?.forPath('/engagement_id')}
          nothingFoundMessage="No engagement: create one from its account under Accounts"
        />
        <Select
          label="Playbook"
          required
          data={(playbooks.data?.items ?? []).map((p) => ({ value: p.key, label: p.name }))}
          value={playbook}
          onChange={(v) => {
            setPlaybook(v);
            setTransition(null);
          }}
          error={error?.forPath('/playbook')}
        />
        <Select
          label="Transition"
          required
          disabled={!chosen}
          data={(chosen?.transitions ?? []).map((t) => ({
            value: t.key,
            label: `${t.name} (${t.sender_team} → ${t.receiver_team})${inTeam(session, t.sender_team) ? '' : ' — not your team'}`,
          }))}
          value={transition}
          onChange={setTransition}
          error={error?.forPath('/transition')}
        />
        <TextInput
          label="Title"
          description="Optional; named after the engagement and transition when empty."
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        {create.error ? <ErrorNote error={create.error} title="The handoff was not created" /> : null}
        {openOne ? (
          <Anchor component={Link} to={`/handoffs/${openOne.id}`} onClick={onDone}>
            Go to the open handoff “{openOne.title}”
          </Anchor>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!engagement || !playbook || !transition}>
            Create draft
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
