import { Badge, Button, Checkbox, Group, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import { dateTime } from '../format.js';
import { ErrorNote } from '../parts.js';
import type { FieldDef, Handoff, Question, TransitionDef } from '../types.js';
import { FieldInput } from './field-input.js';

export function fieldPath(section: string, field: string): string {
  return `/packet/${section}/${field}`;
}

/** The label of the field a question is about, or "the whole packet". */
export function questionTarget(transition: TransitionDef, path: string | null): string {
  if (!path) return 'the whole packet';
  const [, , s, f] = path.split('/');
  const section = transition.sections.find((x) => x.key === s);
  return section?.fields.find((x) => x.key === f)?.label ?? path;
}

function useInvalidateHandoff(handoffId: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['handoff', handoffId] }),
      client.invalidateQueries({ queryKey: ['questions', handoffId] }),
      client.invalidateQueries({ queryKey: ['revisions', handoffId] }),
      client.invalidateQueries({ queryKey: ['handoffs'] }),
    ]);
}

/** What the sender may correct while answering: the field asked about and its current value. */
export interface Amendable {
  field: FieldDef;
  value: unknown;
  /** The revision the correction would make. */
  revision: number;
  users: { value: string; label: string; teams: string[] }[];
}

/**
 * The field a question is about, when the server offers the caller the `amend` action on the
 * handoff (only while it waits for review) and the question names one field.
 */
export function amendableOf(
  handoff: Handoff,
  transition: TransitionDef,
  path: string | null,
  users: Amendable['users'],
): Amendable | undefined {
  if (!handoff.actions.amend.allowed || !path) return undefined;
  const [, , s, f] = path.split('/');
  const field = transition.sections.find((x) => x.key === s)?.fields.find((x) => x.key === f);
  if (!field || !s || !f) return undefined;
  return { field, value: handoff.packet[s]?.[f], revision: handoff.revision + 1, users };
}

/**
 * One question, its answer, and (for the sender) the answer box while it is open: with
 * `amendable`, the answer may also correct the field the question is about.
 */
export function QuestionItem({
  q,
  canAnswer,
  names,
  amendable,
}: {
  q: Question;
  canAnswer: boolean;
  names: Map<string, string>;
  amendable?: Amendable | undefined;
}) {
  const [answer, setAnswer] = useState('');
  const [correcting, setCorrecting] = useState(false);
  const [value, setValue] = useState<unknown>(amendable?.value);
  const invalidate = useInvalidateHandoff(q.handoff_id);
  const send = useMutation({
    mutationFn: () =>
      api<Question>('POST', `/questions/${q.id}/answer`, {
        answer,
        ...(correcting && amendable ? { amend: { value: value ?? null } } : {}),
      }),
    onSuccess: async () => {
      setAnswer('');
      setCorrecting(false);
      await invalidate();
    },
  });
  const valueError =
    send.error instanceof ApiError
      ? send.error.errors
          .filter((e) => e.path === '/amend/value' || e.path.startsWith('/amend/value/'))
          .map((e) => e.message)
          .join('; ') || undefined
      : undefined;
  const answerError = send.error instanceof ApiError ? send.error.forPath('/answer') : undefined;
  return (
    <Paper withBorder p="xs" bg={q.state === 'open' ? 'orange.0' : 'gray.0'}>
      <Group gap="xs" mb={2}>
        <Badge size="sm" color={q.state === 'open' ? 'orange' : 'green'} variant="light">
          {q.state === 'open' ? 'Open question' : 'Answered'}
        </Badge>
        <Text size="xs" c="dimmed">
          {names.get(q.asked_by) ??
            (q.asked_by.startsWith('contact:') ? 'The client, through the portal' : 'Receiver')}{' '}
          · {dateTime(q.asked_at)} · revision {q.revision}
        </Text>
      </Group>
      <Text size="sm" className="pre-wrap">
        {q.body}
      </Text>
      {q.answer ? (
        <Text size="sm" mt={6} className="pre-wrap">
          <Text span fw={600}>
            Answer{q.answered_by ? ` from ${names.get(q.answered_by) ?? 'sender'}` : ''}:
          </Text>{' '}
          {q.answer}
        </Text>
      ) : null}
      {q.amended_revision ? (
        <Text size="xs" c="dimmed" mt={4}>
          The answer corrected the field: revision {q.amended_revision}.
        </Text>
      ) : null}
      {q.state === 'open' && canAnswer ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            send.mutate();
          }}
        >
          <Stack gap={6} mt={6}>
            <Textarea
              label="Your answer"
              autosize
              minRows={2}
              value={answer}
              onChange={(e) => setAnswer(e.currentTarget.value)}
              error={answerError}
            />
            {amendable ? (
              <Checkbox
                label={`Also correct "${amendable.field.label}" (makes revision ${amendable.revision})`}
                checked={correcting}
                onChange={(e) => {
                  setCorrecting(e.currentTarget.checked);
                  setValue(amendable.value);
                }}
              />
            ) : null}
            {amendable && correcting ? (
              <FieldInput
                field={amendable.field}
                value={value}
                onChange={setValue}
                id={`amend-${q.id}`}
                label={`${amendable.field.label} (corrected)`}
                error={valueError}
                users={amendable.users}
              />
            ) : null}
            {send.error && !answerError && !valueError ? (
              <ErrorNote error={send.error} title="The answer was not sent" />
            ) : null}
            <Button
              type="submit"
              size="xs"
              w="fit-content"
              disabled={!answer.trim()}
              loading={send.isPending}
            >
              {correcting ? 'Send answer and correction' : 'Send answer'}
            </Button>
          </Stack>
        </form>
      ) : null}
    </Paper>
  );
}

/** The receiver's form to ask a question on one field (path) or on the whole packet. */
export function AskForm({
  handoff,
  transition,
  path,
  onDone,
}: {
  handoff: Handoff;
  transition: TransitionDef;
  path: string | null | 'choose';
  onDone?: () => void;
}) {
  const [body, setBody] = useState('');
  const [target, setTarget] = useState<string | null>(null);
  const invalidate = useInvalidateHandoff(handoff.id);
  const ask = useMutation({
    mutationFn: () =>
      api<Question>('POST', `/handoffs/${handoff.id}/questions`, {
        body,
        path: path === 'choose' ? target : path,
      }),
    onSuccess: async () => {
      setBody('');
      await invalidate();
      onDone?.();
    },
  });
  const label = path === 'choose' ? 'Question' : `Question about ${questionTarget(transition, path)}`;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        ask.mutate();
      }}
    >
      <Stack gap={6}>
        {path === 'choose' ? (
          <Select
            label="About"
            placeholder="The whole packet"
            clearable
            value={target}
            onChange={setTarget}
            data={transition.sections.map((s) => ({
              group: s.title,
              items: s.fields.map((f) => ({ value: fieldPath(s.key, f.key), label: f.label })),
            }))}
          />
        ) : null}
        <Textarea
          label={label}
          autosize
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={
            ask.error instanceof ApiError
              ? (ask.error.forPath('/body') ?? ask.error.forPath('/path'))
              : undefined
          }
        />
        {ask.error &&
        !(ask.error instanceof ApiError && (ask.error.forPath('/body') || ask.error.forPath('/path'))) ? (
          <ErrorNote error={ask.error} title="The question was not asked" />
        ) : null}
        <Group gap="xs">
          <Button type="submit" size="xs" disabled={!body.trim()} loading={ask.isPending}>
            Ask question
          </Button>
          {onDone ? (
            <Button size="xs" variant="default" onClick={onDone}>
              Cancel
            </Button>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}

/** Every question on the handoff; the receiver asks new ones, the sender answers. */
export function QuestionsPanel(props: {
  handoff: Handoff;
  transition: TransitionDef;
  questions: Question[];
  canAsk: boolean;
  canAnswer: boolean;
  names: Map<string, string>;
  users: Amendable['users'];
}) {
  const { handoff, transition, questions, canAsk, canAnswer, names, users } = props;
  return (
    <Stack>
      {canAsk ? (
        <Paper withBorder p="sm">
          <Text fw={600} mb={6}>
            Ask the sending team
          </Text>
          <AskForm handoff={handoff} transition={transition} path="choose" />
        </Paper>
      ) : null}
      {questions.length === 0 ? (
        <Text c="dimmed">
          No questions yet. The receiving team asks them in writing while the packet is submitted.
        </Text>
      ) : (
        questions.map((q) => (
          <div key={q.id}>
            <Text size="xs" fw={600} c="dimmed" mb={2}>
              About {questionTarget(transition, q.path)}
            </Text>
            <QuestionItem
              q={q}
              canAnswer={canAnswer}
              names={names}
              amendable={amendableOf(handoff, transition, q.path, users)}
            />
          </div>
        ))
      )}
    </Stack>
  );
}
