import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Modal,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { transitionFromDefinition } from '../../../src/playbooks/domain/definition-mapping.js';
import type { PacketIssue } from '../../../src/playbooks/domain/packet-validator.js';
import { userDirectory } from '../../../src/playbooks/domain/user-directory.js';
import { ApiError, api } from '../api.js';
import { EngagementScope } from '../closeout/files.js';
import { ConfirmDialog } from '../dialogs.js';
import { dateTime } from '../format.js';
import { blockedBy, offered } from '../handoff/actions.js';
import { CheckpointsPanel } from '../handoff/checkpoints.js';
import { InboundNotes } from '../handoff/inbound-notes.js';
import { fieldsToFixText, PacketEditor, type SaveStatus } from '../handoff/packet-editor.js';
import { PacketView } from '../handoff/packet-view.js';
import { AskForm, QuestionsPanel } from '../handoff/questions.js';
import { RecordsPanel } from '../handoff/records.js';
import { RevisionsPanel } from '../handoff/revisions.js';
import { SummaryPanel } from '../handoff/summary.js';
import { ErrorNote, StateBadge } from '../parts.js';
import { can, useSession } from '../session.js';
import { HANDOFF_KEYS, usePageShortcuts } from '../shortcuts.js';
import type { Handoff, PlaybookDetail, Question, TransitionDefinition, User } from '../types.js';

/**
 * The pinned playbook as this page uses it: the definition the API serves, and each transition in
 * the compiled form the packet editor and validator share with the server. As a query's `select`,
 * it runs once per answer, so the compiled transitions keep their identity between renders.
 */
function withCompiledTransitions(detail: PlaybookDetail) {
  const compiled = new Map(detail.definition.transitions.map((t) => [t.key, transitionFromDefinition(t)]));
  return { definition: detail.definition, compiled };
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ items: User[] }>('GET', '/users'),
    staleTime: 60_000,
  });
}

export function HandoffPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const client = useQueryClient();
  const handoff = useQuery({
    queryKey: ['handoff', id],
    queryFn: () => api<Handoff>('GET', `/handoffs/${id}`),
  });
  const h = handoff.data;
  const playbook = useQuery({
    queryKey: ['playbook', h?.playbook.key, h?.playbook.version],
    queryFn: () => api<PlaybookDetail>('GET', `/playbooks/${h!.playbook.key}?version=${h!.playbook.version}`),
    enabled: !!h,
    staleTime: Number.POSITIVE_INFINITY,
    select: withCompiledTransitions,
  });
  const questions = useQuery({
    queryKey: ['questions', id],
    queryFn: () => api<{ items: Question[] }>('GET', `/handoffs/${id}/questions`),
  });
  const users = useUsers();
  const names = useMemo(() => new Map((users.data?.items ?? []).map((u) => [u.id, u.name])), [users.data]);
  // A user field may only name an active user (of the field's team, if it names one): the same
  // directory the server judges readiness with.
  const active = useMemo(() => (users.data?.items ?? []).filter((u) => !u.disabled), [users.data]);
  const userOptions = useMemo(
    () => active.map((u) => ({ value: u.email, label: `${u.name} <${u.email}>`, teams: u.teams })),
    [active],
  );
  const directory = useMemo(() => userDirectory(active), [active]);
  const [status, setStatus] = useState<SaveStatus>({ kind: 'saved' });
  const [issues, setIssues] = useState<PacketIssue[]>([]);
  const onStatus = useCallback((s: SaveStatus, i: PacketIssue[]) => {
    setStatus(s);
    setIssues(i);
  }, []);
  const [rejectOpen, reject] = useDisclosure(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [accepting, setAccepting] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [asking, setAsking] = useState(false);
  const [tab, setTab] = useState<string | null>('packet');
  // The reviewer's keys, each offered only while the API allows its action (and submit only while
  // the packet is ready and saved); each opens the dialog its button opens or would confirm with.
  const a = h?.actions;
  usePageShortcuts(
    a
      ? [
          ...(a.accept.allowed ? [{ ...HANDOFF_KEYS.accept, run: () => setAccepting(true) }] : []),
          ...(a.reject.allowed ? [{ ...HANDOFF_KEYS.reject, run: reject.open }] : []),
          ...(a.ask.allowed ? [{ ...HANDOFF_KEYS.ask, run: () => setAsking(true) }] : []),
          ...(a.edit.allowed ? [{ ...HANDOFF_KEYS.edit, run: () => editFirstField(setTab) }] : []),
          ...(offered(a.submit) && !submitBlockedBy(a, issues, status)
            ? [{ ...HANDOFF_KEYS.submit, run: () => setSubmitting(true) }]
            : []),
          ...(a.withdraw.allowed ? [{ ...HANDOFF_KEYS.withdraw, run: () => setWithdrawing(true) }] : []),
        ]
      : [],
  );

  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['handoff', id] }),
      client.invalidateQueries({ queryKey: ['questions', id] }),
      client.invalidateQueries({ queryKey: ['revisions', id] }),
      client.invalidateQueries({ queryKey: ['handoffs'] }),
    ]);
  const act = useMutation({
    mutationFn: (action: 'submit' | 'accept' | 'withdraw' | 'start-delivery' | 'close') =>
      api<Handoff>('POST', `/handoffs/${id}/${action}`),
    onSuccess: async (updated, action) => {
      client.setQueryData(['handoff', id], updated);
      await refresh();
      const words = {
        submit: 'Submitted',
        accept: 'Accepted',
        withdraw: 'Withdrawn',
        'start-delivery': 'Delivery started',
        close: 'Closed',
      };
      notifications.show({ color: 'green', message: `${words[action]}: ${updated.title}` });
    },
  });

  if (handoff.error) return <ErrorNote error={handoff.error} />;
  if (!h || !playbook.data || !users.data)
    return playbook.error || users.error ? (
      <ErrorNote error={playbook.error ?? users.error} />
    ) : (
      <Text c="dimmed">Loading the handoff…</Text>
    );
  const definition = playbook.data.definition.transitions.find((t) => t.key === h.transition);
  const transition = playbook.data.compiled.get(h.transition);
  if (!definition || !transition)
    return <ErrorNote error={new Error(`The playbook has no transition ${h.transition}.`)} />;

  // What the caller may do is the API's answer (`actions`), decided by the lifecycle the server
  // holds every request to; the page only lays it out.
  const { actions } = h;
  const editable = actions.edit.allowed;
  const qs = questions.data?.items ?? [];
  const openQuestions = h.open_questions;

  const submitBlocked = submitBlockedBy(actions, issues, status);
  const reasons = [
    offered(actions.submit) ? submitBlocked : null,
    offered(actions.accept) ? blockedBy(actions.accept) : null,
    offered(actions.close) ? blockedBy(actions.close) : null,
  ].filter((r): r is string => r !== null);
  const closeIssues = actions.close.allowed ? [] : (actions.close.issues ?? []);

  // The packet's file fields list and link the engagement's files.
  const page = (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Group gap="xs">
            <Title order={1} size="h2">
              {h.title}
            </Title>
            <StateBadge state={h.state} />
            {openQuestions ? (
              <Badge color="orange" variant="outline">
                {openQuestions} open question{openQuestions > 1 ? 's' : ''}
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {/* A default title starts with the transition's name: not said again beneath it. */}
            {h.title.startsWith(definition.name) ? '' : `${definition.name} · `}
            {h.sending_team.name} → {h.receiving_team.name} · {playbook.data.definition.name} v
            {h.playbook.version} · revision {h.revision} ·{' '}
            <Anchor component={Link} to={`/engagements/${h.engagement_id}`} size="sm" underline="always">
              Engagement timeline
            </Anchor>
          </Text>
        </div>
        <Group gap="xs" justify="flex-end">
          {offered(actions.submit) ? (
            <Button
              onClick={() => act.mutate('submit')}
              aria-keyshortcuts={HANDOFF_KEYS.submit.key}
              disabled={!!submitBlocked}
              loading={act.isPending && act.variables === 'submit'}
              aria-describedby="action-reason"
            >
              Submit packet
            </Button>
          ) : null}
          {offered(actions.accept) ? (
            <Button
              // Dark enough for white text at 4.5:1 (Mantine's green shades stay under it).
              color="#1f7a33"
              onClick={() => act.mutate('accept')}
              aria-keyshortcuts={HANDOFF_KEYS.accept.key}
              disabled={!actions.accept.allowed}
              loading={act.isPending && act.variables === 'accept'}
              aria-describedby="action-reason"
            >
              Accept
            </Button>
          ) : null}
          {actions.reject.allowed ? (
            <Button
              color="red.8"
              variant="outline"
              onClick={reject.open}
              aria-keyshortcuts={HANDOFF_KEYS.reject.key}
            >
              Reject…
            </Button>
          ) : null}
          {actions.start_delivery.allowed ? (
            <Button
              onClick={() => act.mutate('start-delivery')}
              loading={act.isPending && act.variables === 'start-delivery'}
            >
              Start delivery
            </Button>
          ) : null}
          {offered(actions.close) ? (
            <Button
              onClick={() => act.mutate('close')}
              disabled={!actions.close.allowed}
              loading={act.isPending && act.variables === 'close'}
              aria-describedby="action-reason"
            >
              Close
            </Button>
          ) : null}
          {actions.withdraw.allowed ? (
            <Button variant="subtle" color="gray" onClick={() => setWithdrawing(true)}>
              Withdraw
            </Button>
          ) : null}
          <ConfirmDialog
            opened={withdrawing}
            title="Withdraw this handoff?"
            confirmLabel="Withdraw handoff"
            cancelLabel="Keep it"
            onConfirm={() => act.mutate('withdraw')}
            onClose={() => setWithdrawing(false)}
          >
            A withdrawn handoff cannot be submitted again; open a new one if the work comes back.
          </ConfirmDialog>
          <ConfirmDialog
            opened={accepting}
            title="Accept this packet?"
            confirmLabel="Accept packet"
            color="#1f7a33"
            onConfirm={() => act.mutate('accept')}
            onClose={() => setAccepting(false)}
          >
            Your team takes the handoff as written: its promises and scope become the team's to deliver.
          </ConfirmDialog>
          <ConfirmDialog
            opened={submitting}
            title="Submit this packet?"
            confirmLabel="Submit packet"
            color="baton"
            onConfirm={() => act.mutate('submit')}
            onClose={() => setSubmitting(false)}
          >
            The receiving team is asked to review it; you can still answer their questions.
          </ConfirmDialog>
        </Group>
      </Group>
      {reasons.length ? (
        <Stack id="action-reason" gap={4}>
          {reasons.map((reason) => (
            <Text key={reason} size="sm" c="dimmed">
              {reason}
            </Text>
          ))}
          {closeIssues.length ? (
            <List size="sm" c="dimmed" withPadding aria-label="What the close waits for">
              {closeIssues.map((issue) => (
                <List.Item key={issue.path}>{issue.message}</List.Item>
              ))}
            </List>
          ) : null}
        </Stack>
      ) : null}
      {act.error ? <ErrorNote error={act.error} title="That did not go through" /> : null}
      {h.state === 'draft' ? <InboundNotes handoffId={h.id} /> : null}
      {h.decision ? (
        <Alert
          color={h.decision.outcome === 'accepted' ? 'green' : 'red'}
          title={
            h.decision.outcome === 'accepted'
              ? 'Accepted'
              : `Rejected: ${h.decision.reason_label ?? h.decision.reason_code}`
          }
        >
          {h.decision.explanation ? (
            <Text className="pre-wrap" size="sm">
              {h.decision.explanation}
            </Text>
          ) : null}
          <Text size="xs" c="dimmed">
            {names.get(h.decision.by) ?? 'Receiving team'} · {dateTime(h.decision.at)}
            {h.decision.outcome === 'rejected' && editable
              ? ' · Revise the packet below and submit it again.'
              : ''}
          </Text>
        </Alert>
      ) : null}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="packet">Packet</Tabs.Tab>
          <Tabs.Tab value="questions">Questions{qs.length ? ` (${openQuestions} open)` : ''}</Tabs.Tab>
          <Tabs.Tab value="checkpoints">Checkpoints</Tabs.Tab>
          <Tabs.Tab value="revisions">Revisions</Tabs.Tab>
          <Tabs.Tab value="records">Records</Tabs.Tab>
          <Tabs.Tab value="summary">Summary sheet</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="packet" pt="md">
          {editable ? (
            <PacketEditor
              key={`${h.id}:${h.revision}:${h.state}`}
              handoff={h}
              transition={transition}
              questions={qs}
              names={names}
              users={userOptions}
              directory={directory}
              onStatus={onStatus}
              submitError={act.error}
            />
          ) : (
            <PacketView
              handoff={h}
              transition={transition}
              questions={qs}
              canAsk={actions.ask.allowed}
              canAnswer={actions.answer.allowed}
              names={names}
              users={userOptions}
            />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="questions" pt="md">
          <ErrorNote error={questions.error} />
          <QuestionsPanel
            handoff={h}
            transition={transition}
            questions={qs}
            canAsk={actions.ask.allowed}
            canAnswer={actions.answer.allowed}
            names={names}
            users={userOptions}
          />
        </Tabs.Panel>
        <Tabs.Panel value="checkpoints" pt="md">
          <CheckpointsPanel handoff={h} canAct={can(session, 'act_on_handoffs')} />
        </Tabs.Panel>
        <Tabs.Panel value="revisions" pt="md">
          <RevisionsPanel
            handoffId={h.id}
            engagementId={h.engagement_id}
            names={names}
            transition={transition}
            questions={qs}
          />
        </Tabs.Panel>
        <Tabs.Panel value="records" pt="md">
          <RecordsPanel
            engagementId={h.engagement_id}
            handoffId={h.id}
            canEdit={can(session, 'write_records')}
          />
        </Tabs.Panel>
        <Tabs.Panel value="summary" pt="md">
          <SummaryPanel handoffId={h.id} title={h.title} />
        </Tabs.Panel>
      </Tabs>
      <Modal opened={asking} onClose={() => setAsking(false)} title="Ask the sending team">
        <AskForm handoff={h} transition={transition} path="choose" onDone={() => setAsking(false)} />
      </Modal>
      <Modal opened={rejectOpen} onClose={reject.close} title="Reject the packet">
        <RejectForm
          handoff={h}
          reasons={definition.rejection_reasons}
          onDone={async () => {
            reject.close();
            await refresh();
          }}
        />
      </Modal>
    </Stack>
  );
  return <EngagementScope.Provider value={h.engagement_id}>{page}</EngagementScope.Provider>;
}

/** Why the packet cannot be submitted now: the API's reason, or not ready or not saved yet; null when it can. */
function submitBlockedBy(
  actions: Handoff['actions'],
  issues: PacketIssue[],
  status: SaveStatus,
): string | null {
  // Submit also waits for the packet to be ready, as the shared validator judges it, and saved.
  return (
    blockedBy(actions.submit) ??
    (issues.length > 0
      ? `Not ready: ${fieldsToFixText(issues)} — see Readiness.`
      : status.kind === 'saving' || status.kind === 'dirty'
        ? 'Saving your last edits…'
        : status.kind === 'failed'
          ? 'Your last edits are not saved yet.'
          : null)
  );
}

/** Shows the packet's tab and puts the cursor in its first field (the `e` key). */
function editFirstField(setTab: (tab: string) => void): void {
  setTab('packet');
  // After the tab's panel is drawn.
  requestAnimationFrame(() =>
    document
      .querySelector<HTMLElement>(
        '[role="tabpanel"] input:not([type="hidden"]):not([disabled]), [role="tabpanel"] textarea:not([disabled])',
      )
      ?.focus(),
  );
}

function RejectForm({
  handoff,
  reasons,
  onDone,
}: {
  handoff: Handoff;
  reasons: TransitionDefinition['rejection_reasons'];
  onDone: () => void;
}) {
  const [reason, setReason] = useState<string | null>(null);
  const [explanation, setExplanation] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api<Handoff>('POST', `/handoffs/${handoff.id}/reject`, { reason_code: reason, explanation }),
    onSuccess: onDone,
  });
  const err = send.error instanceof ApiError ? send.error : null;
  const chosen = reasons.find((r) => r.code === reason);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate();
      }}
    >
      <Stack>
        <Select
          label="Reason"
          required
          data={reasons.map((r) => ({ value: r.code, label: r.label }))}
          value={reason}
          onChange={setReason}
          description={chosen?.description}
          error={err?.forPath('/reason_code')}
        />
        <Textarea
          label="Explanation"
          required
          autosize
          minRows={3}
          value={explanation}
          onChange={(e) => setExplanation(e.currentTarget.value)}
          description="Say what the sending team must change."
          error={err?.forPath('/explanation')}
        />
        {send.error && !err?.errors.some((x) => x.path === '/reason_code' || x.path === '/explanation') ? (
          <ErrorNote error={send.error} title="Not rejected" />
        ) : null}
        <Group justify="flex-end">
          <Button
            type="submit"
            color="red.8"
            disabled={!reason || !explanation.trim()}
            loading={send.isPending}
          >
            Reject packet
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
