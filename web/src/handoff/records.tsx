import {
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { NoteDialog } from '../dialogs.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type {
  Contact,
  Engagement,
  SuccessLadder as Ladder,
  Page,
  PromiseRecord,
  ScopeItem,
} from '../types.js';

/** Promises, scope in/out, the success ladder and the account's contacts, edited as records. */
export function RecordsPanel({
  engagementId,
  handoffId,
  canEdit,
}: {
  engagementId: string;
  handoffId: string;
  canEdit: boolean;
}) {
  return (
    <Stack gap="lg">
      <Promises engagementId={engagementId} handoffId={handoffId} canEdit={canEdit} />
      <Scope engagementId={engagementId} handoffId={handoffId} canEdit={canEdit} />
      <SuccessLadder engagementId={engagementId} canEdit={canEdit} />
      <Contacts engagementId={engagementId} canEdit={canEdit} />
    </Stack>
  );
}

function useRecord<T>(key: string, engagementId: string, path: string) {
  return useQuery({ queryKey: [key, engagementId], queryFn: () => api<T>('GET', path) });
}

function Promises({
  engagementId,
  handoffId,
  canEdit,
}: {
  engagementId: string;
  handoffId: string;
  canEdit: boolean;
}) {
  const client = useQueryClient();
  const list = useRecord<Page<PromiseRecord>>(
    'promises',
    engagementId,
    `/engagements/${engagementId}/promises`,
  );
  const [text, setText] = useState('');
  const [madeBy, setMadeBy] = useState('');
  const [inContract, setInContract] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: ['promises', engagementId] });
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/promises`, {
        text,
        made_by: madeBy,
        in_contract: inContract,
        handoff_id: handoffId,
      }),
    onSuccess: async () => {
      setText('');
      setMadeBy('');
      setInContract(false);
      await refresh();
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: string; status: string; note?: string }) =>
      api('PATCH', `/promises/${v.id}`, { status: v.status, ...(v.note ? { status_note: v.note } : {}) }),
    onSuccess: refresh,
  });
  const [noting, setNoting] = useState<{ id: string; status: string } | null>(null);
  const err = add.error instanceof ApiError ? add.error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="promises-title">
      <NoteDialog
        opened={noting !== null}
        title={noting?.status === 'broken' ? 'Mark the promise broken' : 'Mark the promise renegotiated'}
        label="What happened?"
        submitLabel="Save"
        onSubmit={(note) => noting && update.mutate({ ...noting, note })}
        onClose={() => setNoting(null)}
      />
      <Title order={2} size="h4" id="promises-title" mb="xs">
        Promise register
      </Title>
      <ErrorNote error={list.error ?? update.error} />
      {list.data?.items.length ? (
        <Table mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Promise</Table.Th>
              <Table.Th scope="col">Made by</Table.Th>
              <Table.Th scope="col">Contract</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.text}</Table.Td>
                <Table.Td>{p.made_by}</Table.Td>
                <Table.Td>
                  {p.in_contract ? (
                    <Badge variant="light">In contract</Badge>
                  ) : (
                    <Badge color="orange" variant="light">
                      Verbal
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Status of "${p.text}"`}
                    size="xs"
                    disabled={!canEdit}
                    value={p.status}
                    allowDeselect={false}
                    data={['open', 'kept', 'broken', 'renegotiated']}
                    onChange={(status) => {
                      if (!status) return;
                      // A promise broken or renegotiated says what happened, in the dialog below.
                      if (status === 'broken' || status === 'renegotiated') setNoting({ id: p.id, status });
                      else update.mutate({ id: p.id, status });
                    }}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <EmptyState title="No promise recorded">
          Every commitment made to the client belongs here, in the contract or not.
        </EmptyState>
      )}
      {canEdit ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="What was promised"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={err?.forPath('/text')}
              style={{ flex: 2, minWidth: 220 }}
            />
            <TextInput
              label="Promised by"
              value={madeBy}
              onChange={(e) => setMadeBy(e.currentTarget.value)}
              error={err?.forPath('/made_by')}
              style={{ flex: 1, minWidth: 160 }}
            />
            <Checkbox
              label="In the contract"
              checked={inContract}
              onChange={(e) => setInContract(e.currentTarget.checked)}
              mb={8}
            />
            <Button type="submit" loading={add.isPending} disabled={!text.trim() || !madeBy.trim()}>
              Record promise
            </Button>
          </Group>
          {add.error && !err?.errors.length ? <ErrorNote error={add.error} /> : null}
        </form>
      ) : null}
    </Paper>
  );
}

function Scope({
  engagementId,
  handoffId,
  canEdit,
}: {
  engagementId: string;
  handoffId: string;
  canEdit: boolean;
}) {
  const client = useQueryClient();
  const list = useRecord<Page<ScopeItem>>('scope', engagementId, `/engagements/${engagementId}/scope-items`);
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<string>('in');
  const refresh = () => client.invalidateQueries({ queryKey: ['scope', engagementId] });
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/scope-items`, { kind, description, handoff_id: handoffId }),
    onSuccess: async () => {
      setDescription('');
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/scope-items/${id}`),
    onSuccess: refresh,
  });
  const items = list.data?.items ?? [];
  const column = (k: 'in' | 'out', title: string) => (
    <div>
      <Text fw={600} size="sm" mb={4}>
        {title}
      </Text>
      {items.filter((i) => i.kind === k).length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing listed.
        </Text>
      ) : (
        <Stack gap={4}>
          {items
            .filter((i) => i.kind === k)
            .map((i) => (
              <Group key={i.id} justify="space-between" wrap="nowrap">
                <Text size="sm">{i.description}</Text>
                {canEdit ? (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(i.id)}
                    aria-label={`Remove "${i.description}"`}
                  >
                    Remove
                  </Button>
                ) : null}
              </Group>
            ))}
        </Stack>
      )}
    </div>
  );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="scope-title">
      <Title order={2} size="h4" id="scope-title" mb="xs">
        Scope
      </Title>
      <ErrorNote error={list.error ?? remove.error} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="sm">
        {column('in', 'In scope')}
        {column('out', 'Explicitly out of scope')}
      </SimpleGrid>
      {canEdit ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Kind"
              data={[
                { value: 'in', label: 'In scope' },
                { value: 'out', label: 'Out of scope' },
              ]}
              value={kind}
              onChange={(v) => setKind(v ?? 'in')}
              allowDeselect={false}
              w={150}
            />
            <TextInput
              label="Scope item"
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 220 }}
              error={add.error instanceof ApiError ? add.error.forPath('/description') : undefined}
            />
            <Button type="submit" disabled={!description.trim()} loading={add.isPending}>
              Add scope item
            </Button>
          </Group>
          {add.error && !(add.error instanceof ApiError && add.error.forPath('/description')) ? (
            <ErrorNote error={add.error} />
          ) : null}
        </form>
      ) : null}
    </Paper>
  );
}

/** The rungs: every field of the ladder but whose it is and when it changed. */
type Rung = Exclude<keyof Ladder, 'engagement_id' | 'handoff_id' | 'updated_at'>;

const RUNGS: [Rung, string][] = [
  ['goal', "Goal, in the client's words"],
  ['metric', 'Success metric'],
  ['ultimate_objective', 'Ultimate objective'],
  ['earliest_signal', 'Earliest signal of progress'],
  ['minimum_outcome', 'Minimum acceptable outcome'],
  ['early_win', 'Early win (first month)'],
];

function SuccessLadder({ engagementId, canEdit }: { engagementId: string; canEdit: boolean }) {
  const client = useQueryClient();
  const ladder = useRecord<Ladder>('ladder', engagementId, `/engagements/${engagementId}/success-ladder`);
  const [values, setValues] = useState<Record<string, string>>({});
  useEffect(() => {
    if (ladder.data) setValues(Object.fromEntries(RUNGS.map(([k]) => [k, ladder.data[k] ?? ''])));
  }, [ladder.data]);
  const save = useMutation({
    mutationFn: () =>
      api(
        'PUT',
        `/engagements/${engagementId}/success-ladder`,
        Object.fromEntries(RUNGS.map(([k]) => [k, values[k]?.trim() ? values[k] : null])),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['ladder', engagementId] }),
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="ladder-title">
      <Title order={2} size="h4" id="ladder-title" mb="xs">
        Success ladder
      </Title>
      <ErrorNote error={ladder.error} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {RUNGS.map(([k, label]) => (
            <Textarea
              key={k}
              label={label}
              autosize
              minRows={1}
              readOnly={!canEdit}
              value={values[k] ?? ''}
              onChange={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
              error={err?.forPath(`/${k}`)}
            />
          ))}
        </SimpleGrid>
        {canEdit ? (
          <Group mt="sm">
            <Button type="submit" loading={save.isPending}>
              Save ladder
            </Button>
            {save.isSuccess ? (
              <Text size="sm" c="green.8">
                Saved
              </Text>
            ) : null}
          </Group>
        ) : null}
        {save.error && !err?.errors.length ? <ErrorNote error={save.error} /> : null}
      </form>
    </Paper>
  );
}

function Contacts({ engagementId, canEdit }: { engagementId: string; canEdit: boolean }) {
  const client = useQueryClient();
  const engagement = useRecord<Engagement>('engagement', engagementId, `/engagements/${engagementId}`);
  const accountId = engagement.data?.account_id;
  const list = useQuery({
    queryKey: ['contacts', accountId],
    queryFn: () => api<Page<Contact>>('GET', `/contacts?account_id=${accountId}&limit=200`),
    enabled: !!accountId,
  });
  const [form, setForm] = useState({ name: '', email: '', title: '', role: 'buyer' });
  const add = useMutation({
    mutationFn: () =>
      api('POST', '/contacts', {
        account_id: accountId,
        name: form.name,
        role: form.role,
        ...(form.email ? { email: form.email } : {}),
        ...(form.title ? { title: form.title } : {}),
      }),
    onSuccess: async () => {
      setForm({ name: '', email: '', title: '', role: 'buyer' });
      await client.invalidateQueries({ queryKey: ['contacts', accountId] });
    },
  });
  const err = add.error instanceof ApiError ? add.error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="contacts-title">
      <Title order={2} size="h4" id="contacts-title" mb="xs">
        People at the client
      </Title>
      <ErrorNote error={engagement.error ?? list.error} />
      {list.data?.items.length ? (
        <Table mb="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Title</Table.Th>
              <Table.Th scope="col">E-mail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td>{c.role.replace('_', ' ')}</Table.Td>
                <Table.Td>{c.title ?? '—'}</Table.Td>
                <Table.Td>{c.email ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <EmptyState title="No contact yet">Name the buyer, the champion and the decision makers.</EmptyState>
      )}
      {canEdit && accountId ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Contact name"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={err?.forPath('/name')}
            />
            <Select
              label="Contact role"
              value={form.role}
              allowDeselect={false}
              onChange={(v) => setForm({ ...form, role: v ?? 'buyer' })}
              data={['buyer', 'champion', 'decision_maker', 'operator', 'sponsor', 'other'].map((r) => ({
                value: r,
                label: r.replace('_', ' '),
              }))}
              w={170}
            />
            <TextInput
              label="Job title"
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
              error={err?.forPath('/title')}
            />
            <TextInput
              label="Contact e-mail"
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
              error={err?.forPath('/email')}
            />
            <Button type="submit" disabled={!form.name.trim()} loading={add.isPending}>
              Add contact
            </Button>
          </Group>
          {add.error && !err?.errors.length ? <ErrorNote error={add.error} /> : null}
        </form>
      ) : null}
    </Paper>
  );
}
