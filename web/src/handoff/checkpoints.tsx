import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.js';
import { NoteDialog } from '../dialogs.js';
import { age, dateTime, span } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type { Checkpoint, Handoff } from '../types.js';

const PENDING = new Set(['open', 'overdue']);

/** How a checkpoint stands, in words: "due in 5 h", "3 d late", "done", "waived", "paused". */
export function standing(c: Checkpoint, now = Date.now()): { label: string; color: string } {
  if (c.state === 'done') return { label: 'Done', color: 'green' };
  if (c.state === 'waived') return { label: 'Waived', color: 'gray' };
  if (c.paused) return { label: 'Paused', color: 'yellow' };
  const due = new Date(c.due_at).getTime();
  if (due < now) return { label: `${age(c.due_at, now)} late`, color: 'red' };
  return { label: `Due in ${span(due - now)}`, color: 'blue' };
}

/**
 * The checkpoints of one handoff (the meeting, the acceptance SLA, kickoff, the confirmation call,
 * the 72-hour review, the 30-day check…): each with its due time, owner, state and how late, and
 * what the caller may do with it: complete it with its outcome, waive it with a reason, pause and
 * resume its clock, and download its calendar invitation.
 */
export function CheckpointsPanel({ handoff, canAct }: { handoff: Handoff; canAct: boolean }) {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['checkpoints', handoff.id],
    queryFn: () =>
      api<{ items: Checkpoint[] }>(
        'GET',
        `/checkpoints?handoff_id=${encodeURIComponent(handoff.id)}&limit=200`,
      ),
  });
  const [completing, setCompleting] = useState<Checkpoint | null>(null);
  const [asking, setAsking] = useState<{ checkpoint: Checkpoint; action: 'waive' | 'pause' } | null>(null);
  // What the dialog asked last: its words stay while it fades out.
  const [lastAsked, setLastAsked] = useState(asking);
  if (asking && asking !== lastAsked) setLastAsked(asking);
  const shown = asking ?? lastAsked;
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['checkpoints'] }),
      client.invalidateQueries({ queryKey: ['handoff', handoff.id] }),
    ]);
  const act = useMutation({
    mutationFn: (v: { id: string; action: 'waive' | 'pause' | 'resume'; reason?: string }) =>
      api('POST', `/checkpoints/${v.id}/${v.action}`, v.reason ? { reason: v.reason } : {}),
    onSuccess: refresh,
  });
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <Text c="dimmed">Loading the checkpoints…</Text>;
  const items = list.data.items;
  if (items.length === 0)
    return (
      <EmptyState title="No checkpoint yet">
        The playbook's checkpoints open as the handoff moves: submitting, accepting, starting delivery.
      </EmptyState>
    );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="checkpoints-title">
      <Title order={2} size="h4" id="checkpoints-title" mb="xs">
        Checkpoints
      </Title>
      <ErrorNote error={act.error} />
      <div className="table-scroll">
        <Table aria-label="Checkpoints of this handoff" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Checkpoint</Table.Th>
              <Table.Th scope="col">Due</Table.Th>
              <Table.Th scope="col">Owner</Table.Th>
              <Table.Th scope="col">State</Table.Th>
              {canAct ? <Table.Th scope="col">Actions</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => {
              const s = standing(c);
              const pending = PENDING.has(c.state);
              return (
                <Table.Tr key={c.id} data-checkpoint={c.key}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {c.name}
                    </Text>
                    {c.description ? (
                      <Text size="xs" c="dimmed">
                        {c.description}
                      </Text>
                    ) : null}
                    {c.waive_reason ? <Text size="xs">Waived: {c.waive_reason}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{dateTime(c.due_at)}</Text>
                    <Text size="xs" c="dimmed">
                      {c.due}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.owner.team.name}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={s.color} variant="light">
                      {s.label}
                    </Badge>
                  </Table.Td>
                  {canAct ? (
                    <Table.Td>
                      <Group gap={4} wrap="wrap">
                        {pending && !c.paused ? (
                          <Button size="compact-xs" onClick={() => setCompleting(c)}>
                            Complete…
                          </Button>
                        ) : null}
                        {pending ? (
                          <Button
                            size="compact-xs"
                            variant="default"
                            onClick={() => setAsking({ checkpoint: c, action: 'waive' })}
                          >
                            Waive…
                          </Button>
                        ) : null}
                        {pending && !c.paused ? (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => setAsking({ checkpoint: c, action: 'pause' })}
                          >
                            Pause clock…
                          </Button>
                        ) : null}
                        {pending && c.paused ? (
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => act.mutate({ id: c.id, action: 'resume' })}
                          >
                            Resume clock
                          </Button>
                        ) : null}
                        {c.schedule ? (
                          <Anchor size="xs" href={`/api/v1/checkpoints/${c.id}/invitation.ics`} download>
                            Invitation (.ics)
                          </Anchor>
                        ) : null}
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
      <NoteDialog
        opened={asking !== null}
        title={
          shown?.action === 'waive'
            ? `Waive "${shown.checkpoint.name}"`
            : `Pause the clock of "${shown?.checkpoint.name ?? ''}"`
        }
        label={shown?.action === 'waive' ? 'Why is it not needed?' : 'What are you waiting for?'}
        submitLabel={shown?.action === 'waive' ? 'Waive checkpoint' : 'Pause clock'}
        onSubmit={(reason) =>
          asking && act.mutate({ id: asking.checkpoint.id, action: asking.action, reason })
        }
        onClose={() => setAsking(null)}
      />
      {completing ? (
        <CompleteDialog
          checkpoint={completing}
          handoff={handoff}
          onClose={() => setCompleting(null)}
          onDone={refresh}
        />
      ) : null}
    </Paper>
  );
}

/** A packet value as text, for the review's "what was communicated" column. */
function communicated(handoff: Handoff, field: string): string {
  const [section, key] = field.split('.');
  const v = handoff.packet[section ?? '']?.[key ?? ''];
  if (v === undefined || v === null || v === '') return 'Not in the packet';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('; ');
  return JSON.stringify(v);
}

/** The outcome form of a checkpoint, by its kind, as the server checks it. */
function CompleteDialog(props: {
  checkpoint: Checkpoint;
  handoff: Handoff;
  onClose: () => void;
  onDone: () => Promise<unknown>;
}) {
  const c = props.checkpoint;
  const [notes, setNotes] = useState('');
  const [heldAt, setHeldAt] = useState(() => {
    const d = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 16);
  });
  const [attendees, setAttendees] = useState<Record<string, string>>({});
  const [answers, setAnswers] = useState<Record<string, { answer: string; changed: boolean; note: string }>>(
    {},
  );
  const [comparisons, setComparisons] = useState<
    Record<string, { experienced: string; gap: boolean; category: string | null }>
  >({});
  const [rating, setRating] = useState('5');
  const outcome = (): Record<string, unknown> => {
    const withNotes = notes.trim() ? { notes: notes.trim() } : {};
    switch (c.kind) {
      case 'meeting':
        return {
          held_at: new Date(heldAt).toISOString(),
          attendees: c.required_attendees.map((role) => ({ role, name: attendees[role] ?? '' })),
          ...withNotes,
        };
      case 'confirmation_call': {
        const list = c.script.map((q) => ({
          key: q.key,
          answer: answers[q.key]?.answer ?? '',
          changed: answers[q.key]?.changed ?? false,
          ...(answers[q.key]?.note ? { note: answers[q.key]!.note } : {}),
        }));
        return { answers: list, changed: list.some((a) => a.changed), ...withNotes };
      }
      case 'follow_up_review':
        return {
          comparisons: c.compare.map((field) => ({
            field,
            experienced: comparisons[field]?.experienced ?? '',
            gap: comparisons[field]?.gap ?? false,
            ...(comparisons[field]?.category ? { category: comparisons[field]!.category } : {}),
          })),
          ...withNotes,
        };
      case 'satisfaction_check':
        return { rating: Number(rating), ...(notes.trim() ? { comment: notes.trim() } : {}) };
      default:
        return withNotes;
    }
  };
  const complete = useMutation({
    mutationFn: () => api('POST', `/checkpoints/${c.id}/complete`, { outcome: outcome() }),
    onSuccess: async () => {
      await props.onDone();
      props.onClose();
    },
  });
  return (
    <Modal opened onClose={props.onClose} title={`Complete "${c.name}"`} size="lg" centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          complete.mutate();
        }}
      >
        <Stack>
          {c.kind === 'meeting' ? (
            <>
              <TextInput
                type="datetime-local"
                label="Held at"
                required
                value={heldAt}
                onChange={(e) => setHeldAt(e.currentTarget.value)}
              />
              {c.required_attendees.map((role) => (
                <TextInput
                  key={role}
                  label={`Who attended as ${role.replace('_', ' ')}`}
                  required
                  value={attendees[role] ?? ''}
                  onChange={(e) => setAttendees({ ...attendees, [role]: e.currentTarget.value })}
                />
              ))}
            </>
          ) : null}
          {c.kind === 'confirmation_call'
            ? c.script.map((q) => {
                const a = answers[q.key] ?? { answer: '', changed: false, note: '' };
                const set = (patch: Partial<typeof a>) =>
                  setAnswers({ ...answers, [q.key]: { ...a, ...patch } });
                return (
                  <Paper key={q.key} withBorder p="sm">
                    <Textarea
                      label={q.question}
                      description="What the customer said"
                      required
                      autosize
                      value={a.answer}
                      onChange={(e) => set({ answer: e.currentTarget.value })}
                    />
                    <Checkbox
                      mt="xs"
                      label="Something changed since the handoff"
                      checked={a.changed}
                      onChange={(e) => set({ changed: e.currentTarget.checked })}
                    />
                    {a.changed ? (
                      <TextInput
                        mt="xs"
                        label={`What changed (${q.question})`}
                        required
                        value={a.note}
                        onChange={(e) => set({ note: e.currentTarget.value })}
                      />
                    ) : null}
                  </Paper>
                );
              })
            : null}
          {c.kind === 'follow_up_review'
            ? c.compare.map((field) => {
                const v = comparisons[field] ?? { experienced: '', gap: false, category: null };
                const set = (patch: Partial<typeof v>) =>
                  setComparisons({ ...comparisons, [field]: { ...v, ...patch } });
                return (
                  <Paper key={field} withBorder p="sm">
                    <Text size="sm" fw={600}>
                      {field}
                    </Text>
                    <Text size="sm" c="dimmed">
                      Communicated: {communicated(props.handoff, field)}
                    </Text>
                    <Textarea
                      mt="xs"
                      label={`Experienced (${field})`}
                      required
                      autosize
                      value={v.experienced}
                      onChange={(e) => set({ experienced: e.currentTarget.value })}
                    />
                    <Checkbox
                      mt="xs"
                      label={`A gap between what was communicated and experienced (${field})`}
                      checked={v.gap}
                      onChange={(e) => set({ gap: e.currentTarget.checked })}
                    />
                    {v.gap ? (
                      <Select
                        mt="xs"
                        label={`Gap category (${field})`}
                        required
                        data={c.gap_categories}
                        value={v.category}
                        onChange={(category) => set({ category })}
                      />
                    ) : null}
                  </Paper>
                );
              })
            : null}
          {c.kind === 'satisfaction_check' ? (
            <div>
              <Text size="sm" fw={500} id={`rating-${c.id}`}>
                Rating
              </Text>
              <SegmentedControl
                aria-labelledby={`rating-${c.id}`}
                value={rating}
                onChange={setRating}
                data={['1', '2', '3', '4', '5']}
              />
            </div>
          ) : null}
          <Textarea
            label={c.kind === 'satisfaction_check' ? 'Comment' : 'Notes'}
            autosize
            minRows={2}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
          />
          <ErrorNote error={complete.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={complete.isPending}>
              Record outcome
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
