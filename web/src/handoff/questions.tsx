import { Badge, Button, Group, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import { dateTime } from '../format.js';
import { ErrorNote } from '../parts.js';
import type { Handoff, Question, TransitionDef } from '../types.js';

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
      client.invalidateQueries({ queryKey: ['handoffs'] }),
    ]);
}

/** One question, its answer, and (for the sender) the answer box while it is open. */
export function QuestionItem({
  q,
  canAnswer,
  names,
}: {
  q: Question;
  canAnswer: boolean;
  names: Map<string, string>;
}) {
  const [answer, setAnswer] = useState('');
  const invalidate = useInvalidateHandoff(q.handoff_id);
  const send = useMutation({
    mutationFn: () => api<Question>('POST', `/questions/${q.id}/answer`, { answer }),
    onSuccess: async () => {
      setAnswer('');
      await invalidate();
    },
  });
  return (
    <Paper withBorder p="xs" bg={q.state === 'open' ? 'orange.0' : 'gray.0'}>
      <Group gap="xs" mb={2}>
        <Badge size="sm" color={q.state === 'open' ? 'orange' : 'green'} variant="light">
          {q.state === 'open' ? 'Open question' : 'Answered'}
        </Badge>
        <Text size="xs" c="dimmed">
          {names.get(q.asked_by) ?? 'Receiver'} · {dateTime(q.asked_at)} · revision {q.revision}
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
              error={send.error instanceof ApiError ? send.error.forPath('/answer') : undefined}
            />
            {send.error && !(send.error instanceof ApiError && send.error.forPath('/answer')) ? (
              <ErrorNote error={send.error} title="The answer was not sent" />
            ) : null}
            <Button
              type="submit"
              size="xs"
              w="fit-content"
              disabled={!answer.trim()}
              loading={send.isPending}
            >
              Send answer
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
}) {
  const { handoff, transition, questions, canAsk, canAnswer, names } = props;
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
            <QuestionItem q={q} canAnswer={canAnswer} names={names} />
          </div>
        ))
      )}
    </Stack>
  );
}
