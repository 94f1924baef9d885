import {
  Autocomplete,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError, api } from '../api.js';
import { NoteDialog } from '../dialogs.js';
import { shortDay } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type {
  Contact,
  Debrief,
  EngagementDetail,
  InventoryItem,
  Page,
  PunchItem,
  TrainingRecord,
  User,
  Warranty,
} from '../types.js';
import { GridScroll } from './grid-scroll.js';

interface Props {
  engagementId: string;
  canEdit: boolean;
}

/** The closeout's records: warranties and support contracts, the punch list, training, the debrief. */
export function RecordsSections(props: Props) {
  return (
    <Stack gap="lg">
      <Warranties {...props} />
      <PunchList {...props} />
      <Training {...props} />
      <Debriefs {...props} />
    </Stack>
  );
}

/** A list of the engagement's records of one kind, and the refresh the closeout checklist follows. */
function useRecords<T>(kind: string, engagementId: string) {
  const client = useQueryClient();
  const query = useQuery({
    queryKey: [kind, engagementId],
    queryFn: () => api<Page<T>>('GET', `/engagements/${engagementId}/${kind}`),
  });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: [kind, engagementId] });
    await client.invalidateQueries({ queryKey: ['closeout', engagementId] });
  };
  return { query, refresh };
}

/** The organisation's active users, to name an owner or a trainer. */
function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ items: User[] }>('GET', '/users'),
    select: (d) => d.items.filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name || u.email })),
  });
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-title`}>
      <Title order={2} size="h4" id={`${id}-title`} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** The field's message, if the server named it. */
export const fieldError = (error: unknown, path: string) =>
  error instanceof ApiError ? error.forPath(path) : undefined;

function Warranties({ engagementId, canEdit }: Props) {
  const { query, refresh } = useRecords<Warranty>('warranties', engagementId);
  const empty = { kind: 'warranty', provider: '', reference: '', starts_on: '', expires_on: '', covers: '' };
  const [form, setForm] = useState(empty);
  const [remind, setRemind] = useState<number | string>(30);
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/warranties`, {
        kind: form.kind,
        provider: form.provider,
        expires_on: form.expires_on,
        reference: form.reference || null,
        starts_on: form.starts_on || null,
        covers: form.covers || null,
        remind_days_before: Number(remind) || 30,
      }),
    onSuccess: async () => {
      setForm(empty);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/warranties/${id}`),
    onSuccess: refresh,
  });
  const set = (k: keyof typeof empty) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });
  return (
    <Section id="warranties" title="Warranties and support contracts">
      <ErrorNote error={query.error ?? remove.error} />
      {query.data?.items.length ? (
        <GridScroll minWidth={720} label="Warranties and support contracts (scrolls sideways)">
          <Table aria-label="Warranties and support contracts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Provider</Table.Th>
                <Table.Th scope="col">Reference</Table.Th>
                <Table.Th scope="col">Covers</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">Reminder due</Table.Th>
                {canEdit ? <Table.Th scope="col">Remove</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>{w.kind === 'warranty' ? 'Warranty' : 'Support contract'}</Table.Td>
                  <Table.Td>{w.provider}</Table.Td>
                  <Table.Td>{w.reference}</Table.Td>
                  <Table.Td>{w.covers}</Table.Td>
                  <Table.Td>{shortDay(w.expires_on)}</Table.Td>
                  <Table.Td>{shortDay(w.reminder_due_on)}</Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(w.id)}>
                        Remove<VisuallyHidden component="span"> {w.provider}</VisuallyHidden>
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </GridScroll>
      ) : (
        <EmptyState title="No warranty recorded">
          Record each warranty and support contract: a checkpoint reminds the team before it expires.
        </EmptyState>
      )}
      {canEdit ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <Select
              label="Kind"
              data={[
                { value: 'warranty', label: 'Warranty' },
                { value: 'support_contract', label: 'Support contract' },
              ]}
              value={form.kind}
              onChange={(v) => setForm({ ...form, kind: v ?? 'warranty' })}
              allowDeselect={false}
            />
            <TextInput
              label="Provider"
              required
              value={form.provider}
              onChange={set('provider')}
              error={fieldError(add.error, '/provider')}
            />
            <TextInput label="Reference" value={form.reference} onChange={set('reference')} />
            <TextInput
              label="Starts on"
              placeholder="YYYY-MM-DD"
              value={form.starts_on}
              onChange={set('starts_on')}
              error={fieldError(add.error, '/starts_on')}
            />
            <TextInput
              label="Expires on"
              placeholder="YYYY-MM-DD"
              required
              value={form.expires_on}
              onChange={set('expires_on')}
              error={fieldError(add.error, '/expires_on')}
            />
            <NumberInput label="Remind days before" min={1} max={365} value={remind} onChange={setRemind} />
          </SimpleGrid>
          <TextInput label="Covers" mt="xs" value={form.covers} onChange={set('covers')} />
          <Group mt="sm">
            <Button type="submit" loading={add.isPending}>
              Record warranty
            </Button>
          </Group>
        </form>
      ) : null}
    </Section>
  );
}

const STATE_COLOR: Record<PunchItem['state'], string> = { open: 'orange', done: 'green', waived: 'gray' };

function PunchList({ engagementId, canEdit }: Props) {
  const { query, refresh } = useRecords<PunchItem>('punch-items', engagementId);
  const users = useUsers();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState<string | null>(null);
  const [due, setDue] = useState('');
  const [waiving, setWaiving] = useState<PunchItem | null>(null);
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/punch-items`, {
        title,
        owner_id: owner ?? '',
        due_on: due || null,
      }),
    onSuccess: async () => {
      setTitle('');
      setDue('');
      await refresh();
    },
  });
  const settle = useMutation({
    mutationFn: (v: Pick<PunchItem, 'id' | 'state'> & { reason?: string }) =>
      api('PATCH', `/punch-items/${v.id}`, { state: v.state, ...(v.reason ? { reason: v.reason } : {}) }),
    onSuccess: refresh,
  });
  return (
    <Section id="punch" title="Punch list">
      <NoteDialog
        opened={waiving !== null}
        title={`Waive "${waiving?.title ?? ''}"`}
        label="Why will it not be done?"
        submitLabel="Waive"
        onSubmit={(reason) => waiving && settle.mutate({ id: waiving.id, state: 'waived', reason })}
        onClose={() => setWaiving(null)}
      />
      <ErrorNote error={query.error ?? settle.error} />
      {query.data?.items.length ? (
        <GridScroll minWidth={640} label="Punch list (scrolls sideways)">
          <Table aria-label="Punch list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Item</Table.Th>
                <Table.Th scope="col">Owner</Table.Th>
                <Table.Th scope="col">Due</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                {canEdit ? <Table.Th scope="col">Actions</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.title}</Table.Td>
                  <Table.Td>{p.owner.name}</Table.Td>
                  <Table.Td>{p.due_on ? shortDay(p.due_on) : ''}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOR[p.state]} variant="light">
                      {p.state}
                    </Badge>
                    {p.reason ? (
                      <Text size="xs" c="dimmed">
                        {p.reason}
                      </Text>
                    ) : null}
                  </Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      {p.state === 'open' ? (
                        <Group gap={4} wrap="nowrap">
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() => settle.mutate({ id: p.id, state: 'done' })}
                          >
                            Done<VisuallyHidden component="span">: {p.title}</VisuallyHidden>
                          </Button>
                          <Button size="xs" variant="subtle" onClick={() => setWaiving(p)}>
                            Waive<VisuallyHidden component="span">: {p.title}</VisuallyHidden>
                          </Button>
                        </Group>
                      ) : (
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => settle.mutate({ id: p.id, state: 'open' })}
                        >
                          Reopen<VisuallyHidden component="span">: {p.title}</VisuallyHidden>
                        </Button>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </GridScroll>
      ) : (
        <EmptyState title="Nothing on the punch list">
          Work still to finish before closeout is listed here.
        </EmptyState>
      )}
      {canEdit ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <TextInput
              label="Item"
              required
              value={title}
              onChange={(e) => setTitle(e.currentTarget.value)}
              error={fieldError(add.error, '/title')}
            />
            <Select
              label="Owner"
              required
              data={users.data ?? []}
              value={owner}
              onChange={setOwner}
              allowDeselect={false}
              searchable
              error={fieldError(add.error, '/owner_id')}
            />
            <TextInput
              label="Due on"
              placeholder="YYYY-MM-DD"
              value={due}
              onChange={(e) => setDue(e.currentTarget.value)}
              error={fieldError(add.error, '/due_on')}
            />
          </SimpleGrid>
          <Button type="submit" mt="sm" loading={add.isPending}>
            Add to the punch list
          </Button>
        </form>
      ) : null}
    </Section>
  );
}

function Training({ engagementId, canEdit }: Props) {
  const { query, refresh } = useRecords<TrainingRecord>('training', engagementId);
  const users = useUsers();
  const engagement = useQuery({
    queryKey: ['engagement', engagementId],
    queryFn: () => api<EngagementDetail>('GET', `/engagements/${engagementId}`),
    enabled: canEdit,
  });
  const accountId = engagement.data?.account_id;
  const contacts = useQuery({
    queryKey: ['contacts', accountId],
    queryFn: () =>
      api<Page<Contact>>('GET', `/contacts?account_id=${encodeURIComponent(accountId ?? '')}&limit=200`),
    enabled: canEdit && !!accountId,
  });
  const inventory = useQuery({
    queryKey: ['inventory', engagementId],
    queryFn: () => api<Page<InventoryItem>>('GET', `/engagements/${engagementId}/inventory`),
    enabled: canEdit,
  });
  const products = [...new Set((inventory.data?.items ?? []).flatMap((i) => [i.product, i.type]))];
  const [contact, setContact] = useState<string | null>(null);
  const [trainee, setTrainee] = useState('');
  const [product, setProduct] = useState('');
  const [day, setDay] = useState('');
  const [trainer, setTrainer] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/training`, {
        contact_id: contact,
        trainee_name: trainee || null,
        product,
        trained_on: day,
        trainer_id: trainer ?? '',
      }),
    onSuccess: async () => {
      setTrainee('');
      setProduct('');
      setContact(null);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/training/${id}`),
    onSuccess: refresh,
  });
  return (
    <Section id="training" title="Training">
      <ErrorNote error={query.error ?? remove.error} />
      {query.data?.items.length ? (
        <GridScroll minWidth={640} label="Training records (scrolls sideways)">
          <Table aria-label="Training records">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Operator</Table.Th>
                <Table.Th scope="col">Product or system</Table.Th>
                <Table.Th scope="col">Trained on</Table.Th>
                <Table.Th scope="col">By</Table.Th>
                {canEdit ? <Table.Th scope="col">Remove</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>{t.trainee_name}</Table.Td>
                  <Table.Td>{t.product}</Table.Td>
                  <Table.Td>{shortDay(t.trained_on)}</Table.Td>
                  <Table.Td>{t.trainer.name}</Table.Td>
                  {canEdit ? (
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(t.id)}>
                        Remove
                        <VisuallyHidden component="span">
                          : {t.trainee_name} on {t.product}
                        </VisuallyHidden>
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </GridScroll>
      ) : (
        <EmptyState title="Nobody trained yet">
          Record who among the client's operators was trained on what.
        </EmptyState>
      )}
      {canEdit ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 3 }} mt="sm">
            <Select
              label="Contact trained"
              data={(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={contact}
              onChange={setContact}
              clearable
              searchable
              error={fieldError(add.error, '/contact_id')}
            />
            <TextInput
              label="Or their name"
              value={trainee}
              onChange={(e) => setTrainee(e.currentTarget.value)}
              error={fieldError(add.error, '/trainee_name')}
            />
            <Autocomplete
              label="Product or system"
              required
              data={products}
              value={product}
              onChange={setProduct}
              error={fieldError(add.error, '/product')}
            />
            <TextInput
              label="Trained on"
              placeholder="YYYY-MM-DD"
              required
              value={day}
              onChange={(e) => setDay(e.currentTarget.value)}
              error={fieldError(add.error, '/trained_on')}
            />
            <Select
              label="Trainer"
              required
              data={users.data ?? []}
              value={trainer}
              onChange={setTrainer}
              allowDeselect={false}
              searchable
              error={fieldError(add.error, '/trainer_id')}
            />
          </SimpleGrid>
          <Button type="submit" mt="sm" loading={add.isPending}>
            Record training
          </Button>
        </form>
      ) : null}
    </Section>
  );
}

function Debriefs({ engagementId, canEdit }: Props) {
  const { query, refresh } = useRecords<Debrief>('debriefs', engagementId);
  const [heldOn, setHeldOn] = useState('');
  const [attendees, setAttendees] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/debriefs`, {
        held_on: heldOn,
        attendees,
        notes: notes || null,
      }),
    onSuccess: async () => {
      setNotes('');
      setAttendees([]);
      await refresh();
    },
  });
  return (
    <Section id="debrief" title="Internal debrief">
      <ErrorNote error={query.error} />
      {query.data?.items.length ? (
        <Stack gap="xs">
          {query.data.items.map((d) => (
            <Paper key={d.id} p="sm" bg="var(--mantine-color-gray-0)">
              <Text fw={600}>Held on {shortDay(d.held_on)}</Text>
              <Text size="sm">With {d.attendees.join(', ')}</Text>
              {d.notes ? (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {d.notes}
                </Text>
              ) : null}
            </Paper>
          ))}
        </Stack>
      ) : (
        <EmptyState title="No debrief yet">Hold the internal debrief before the closeout meeting.</EmptyState>
      )}
      {canEdit ? (
        <form
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="sm">
            <TextInput
              label="Held on"
              placeholder="YYYY-MM-DD"
              required
              value={heldOn}
              onChange={(e) => setHeldOn(e.currentTarget.value)}
              error={fieldError(add.error, '/held_on')}
            />
            <TagsInput
              label="Attendees"
              required
              value={attendees}
              onChange={setAttendees}
              error={fieldError(add.error, '/attendees')}
            />
          </SimpleGrid>
          <Textarea
            label="Notes"
            mt="xs"
            autosize
            minRows={2}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
          />
          <Button type="submit" mt="sm" loading={add.isPending}>
            Record the debrief
          </Button>
        </form>
      ) : null}
    </Section>
  );
}
