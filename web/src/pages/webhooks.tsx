import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import { GridScroll } from '../closeout/grid-scroll.js';
import { ConfirmDialog } from '../dialogs.js';
import { dateTime } from '../format.js';
import { ErrorNote } from '../parts.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookSecret } from '../types.js';

const ALL = '*';

/** The organisation's outbound webhooks: endpoints, their secrets (shown once), the delivery log. */
export function Webhooks() {
  const client = useQueryClient();
  const endpoints = useQuery({
    queryKey: ['webhook-endpoints'],
    queryFn: () => api<{ items: WebhookEndpoint[] }>('GET', '/webhook-endpoints'),
  });
  const types = useQuery({
    queryKey: ['webhook-event-types'],
    queryFn: () => api<{ items: string[] }>('GET', '/webhook-event-types'),
  });
  const typeOptions = [
    { value: ALL, label: 'Every event' },
    ...(types.data?.items ?? []).map((t) => ({ value: t, label: t })),
  ];
  const [shown, setShown] = useState<{ secret: string; url: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<WebhookEndpoint | null>(null);
  const [removing, setRemoving] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['webhook-endpoints'] });
  const refreshLog = () => client.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  const secretShown = async (made: WebhookSecret) => {
    setShown({ secret: made.secret, url: made.endpoint.url });
    await refresh();
  };
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpoint) =>
      api<WebhookEndpoint>('PATCH', `/webhook-endpoints/${e.id}`, { enabled: !e.enabled }),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: (id: string) => api<WebhookSecret>('POST', `/webhook-endpoints/${id}/secrets`),
    onSuccess: secretShown,
  });
  const test = useMutation({
    mutationFn: (id: string) => api<WebhookDelivery>('POST', `/webhook-endpoints/${id}/test`),
    onSuccess: async (_, id) => {
      setSelected(id);
      await refreshLog();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api('DELETE', `/webhook-endpoints/${id}`),
    onSuccess: async (_, id) => {
      if (selected === id) setSelected(null);
      await refresh();
    },
  });
  const items = endpoints.data?.items ?? [];
  const current = items.find((e) => e.id === selected) ?? null;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Baton posts each event your endpoints ask for, signed the Standard Webhooks way (webhook-id,
        webhook-timestamp, webhook-signature), and retries failures for about a day.
      </Text>
      <ErrorNote error={endpoints.error ?? toggle.error ?? rotate.error ?? test.error ?? remove.error} />
      <ConfirmDialog
        opened={removing !== null}
        title="Remove this webhook endpoint?"
        confirmLabel="Remove endpoint"
        cancelLabel="Keep it"
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => setRemoving(null)}
      >
        Its secrets and delivery log go with it; nothing more is sent to {removing?.url}.
      </ConfirmDialog>
      <ConfirmDialog
        opened={rotating !== null}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        color="blue.8"
        onConfirm={() => rotating && rotate.mutate(rotating.id)}
        onClose={() => setRotating(null)}
      >
        A new secret is made and shown once. The current one keeps signing for 24 hours beside it, so the
        receiver can change over.
      </ConfirmDialog>
      {shown ? (
        <Alert
          color="green"
          title="Copy this signing secret now: it is shown only once"
          withCloseButton
          closeButtonLabel="Hide the secret"
          onClose={() => setShown(null)}
        >
          <Text size="sm">For {shown.url}</Text>
          <Code block data-testid="webhook-secret">
            {shown.secret}
          </Code>
        </Alert>
      ) : null}
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Table miw={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Endpoint</Table.Th>
              <Table.Th scope="col">Events</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((e) => {
              const name = e.description || e.url;
              return (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {e.description || 'No description'}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {e.url}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {e.event_types.includes(ALL) ? 'Every event' : e.event_types.join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {e.enabled ? (
                      <Badge color="green" variant="light">
                        Enabled
                      </Badge>
                    ) : (
                      <Stack gap={2}>
                        <Badge color="gray" variant="light">
                          Disabled
                        </Badge>
                        {e.disabled_reason ? <Text size="xs">{e.disabled_reason}</Text> : null}
                      </Stack>
                    )}
                    {e.previous_secret_expires_at ? (
                      <Text size="xs" c="dimmed">
                        Previous secret signs until {dateTime(e.previous_secret_expires_at)}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      <RowAction
                        label="Deliveries"
                        of={name}
                        variant={selected === e.id ? 'filled' : 'light'}
                        pressed={selected === e.id}
                        onClick={() => setSelected(selected === e.id ? null : e.id)}
                      />
                      <RowAction label="Edit events" of={name} onClick={() => setEditing(e)} />
                      <RowAction
                        label="Send test"
                        of={name}
                        joiner="to"
                        disabled={!e.enabled}
                        loading={test.isPending && test.variables === e.id}
                        onClick={() => test.mutate(e.id)}
                      />
                      <RowAction label="Rotate secret" of={name} onClick={() => setRotating(e)} />
                      <RowAction
                        label={e.enabled ? 'Disable' : 'Enable'}
                        of={name}
                        joiner=""
                        variant="outline"
                        onClick={() => toggle.mutate(e)}
                      />
                      <RowAction
                        label="Remove"
                        of={name}
                        joiner=""
                        variant="outline"
                        color="red"
                        onClick={() => setRemoving(e)}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {items.length === 0 && endpoints.isSuccess ? (
          <Text size="sm" c="dimmed" p="sm">
            No endpoints yet: add one below.
          </Text>
        ) : null}
      </Paper>
      <AddEndpoint typeOptions={typeOptions} onAdded={secretShown} />
      {editing ? (
        <EditEvents
          endpoint={editing}
          typeOptions={typeOptions}
          onClose={() => setEditing(null)}
          onSaved={refresh}
        />
      ) : null}
      {current ? <DeliveryLog endpoint={current} /> : null}
    </Stack>
  );
}

/** A small button of an endpoint's row, named with the endpoint (`Send test to Project tool`). */
function RowAction(props: {
  label: string;
  of: string;
  joiner?: string;
  variant?: 'light' | 'filled' | 'outline';
  color?: string;
  pressed?: boolean;
  disabled?: boolean;
  loading?: boolean;
  onClick: () => void;
}) {
  const joiner = props.joiner ?? 'of';
  return (
    <Button
      size="compact-xs"
      variant={props.variant ?? 'light'}
      {...(props.color ? { color: props.color } : {})}
      aria-label={[props.label, joiner, props.of].filter(Boolean).join(' ')}
      {...(props.pressed !== undefined ? { 'aria-pressed': props.pressed } : {})}
      disabled={props.disabled}
      loading={props.loading}
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  );
}

function AddEndpoint(props: {
  typeOptions: { value: string; label: string }[];
  onAdded: (made: WebhookSecret) => Promise<void>;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState<string[]>([ALL]);
  const create = useMutation({
    mutationFn: () =>
      api<WebhookSecret>('POST', '/webhook-endpoints', { url, description, event_types: eventTypes }),
    onSuccess: async (made) => {
      setUrl('');
      setDescription('');
      setEventTypes([ALL]);
      await props.onAdded(made);
    },
  });
  const fieldError = (path: string) =>
    create.error instanceof ApiError
      ? create.error.errors
          .filter((e) => e.path === path || e.path.startsWith(`${path}/`))
          .map((e) => e.message)
          .join('; ') || undefined
      : undefined;
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            Add an endpoint
          </Title>
          <TextInput
            label="URL"
            description="Where Baton posts the events (https)"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={fieldError('/url')}
          />
          <TextInput
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={fieldError('/description')}
          />
          <MultiSelect
            label="Events"
            data={props.typeOptions}
            value={eventTypes}
            onChange={setEventTypes}
            searchable
            error={fieldError('/event_types')}
          />
          <Group>
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!url.trim() || eventTypes.length === 0}
            >
              Add endpoint
            </Button>
          </Group>
          {create.error && !(create.error instanceof ApiError && create.error.errors.length) ? (
            <ErrorNote error={create.error} />
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

function EditEvents(props: {
  endpoint: WebhookEndpoint;
  typeOptions: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [eventTypes, setEventTypes] = useState<string[]>(props.endpoint.event_types);
  const save = useMutation({
    mutationFn: () =>
      api<WebhookEndpoint>('PATCH', `/webhook-endpoints/${props.endpoint.id}`, { event_types: eventTypes }),
    onSuccess: async () => {
      await props.onSaved();
      props.onClose();
    },
  });
  return (
    <Modal opened onClose={props.onClose} title="Events this endpoint receives" centered>
      <Stack>
        <MultiSelect
          label="Events"
          data={props.typeOptions}
          value={eventTypes}
          onChange={setEventTypes}
          searchable
          error={
            save.error instanceof ApiError
              ? save.error.errors.map((e) => e.message).join('; ') || undefined
              : undefined
          }
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button loading={save.isPending} disabled={eventTypes.length === 0} onClick={() => save.mutate()}>
            Save events
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const STATE_COLOR: Record<WebhookDelivery['state'], string> = {
  pending: 'blue',
  delivered: 'green',
  dead: 'red',
};

function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const client = useQueryClient();
  const log = useQuery({
    queryKey: ['webhook-deliveries', endpoint.id],
    queryFn: () =>
      api<{ items: WebhookDelivery[]; total: number }>('GET', `/webhook-endpoints/${endpoint.id}/deliveries`),
    refetchInterval: 5000,
  });
  const replay = useMutation({
    mutationFn: (id: string) =>
      api<WebhookDelivery>('POST', `/webhook-endpoints/${endpoint.id}/deliveries/${id}/replay`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['webhook-deliveries', endpoint.id] }),
  });
  const items = log.data?.items ?? [];
  return (
    <Stack gap="sm" aria-live="polite">
      <Title order={2} size="h4">
        Deliveries to {endpoint.description || endpoint.url}
      </Title>
      <ErrorNote error={log.error ?? replay.error} />
      {items.length === 0 && log.isSuccess ? (
        <Text size="sm" c="dimmed">
          Nothing sent yet.
        </Text>
      ) : null}
      {items.map((d) => (
        <Paper key={d.id} withBorder p="sm">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap="xs" wrap="wrap">
              <Badge color={STATE_COLOR[d.state]} variant="light">
                {d.state}
              </Badge>
              <Text size="sm" fw={500}>
                {d.event_type}
              </Text>
              <Code style={{ wordBreak: 'break-all' }}>{d.message_id}</Code>
            </Group>
            <Button
              size="compact-xs"
              variant="light"
              aria-label={`Replay ${d.event_type} ${d.message_id}`}
              disabled={!endpoint.enabled}
              loading={replay.isPending && replay.variables === d.id}
              onClick={() => replay.mutate(d.id)}
            >
              Replay
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            Created {dateTime(d.created_at)}
            {d.next_attempt_at && d.state === 'pending'
              ? ` · next attempt ${dateTime(d.next_attempt_at)}`
              : ''}
          </Text>
          {d.attempt_log.length ? (
            <GridScroll label={`Attempts of ${d.event_type} ${d.message_id}`} minWidth={520}>
              <Table mt="xs" fz="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Attempt</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Took</Table.Th>
                    <Table.Th scope="col">Answer</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.attempt_log.map((a) => (
                    <Table.Tr key={a.id}>
                      <Table.Td>{dateTime(a.attempted_at)}</Table.Td>
                      <Table.Td>{a.status ?? 'none'}</Table.Td>
                      <Table.Td>{a.duration_ms.toLocaleString()} ms</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>
                        {a.error
                          ? `${a.error}${a.response_excerpt ? `: ${a.response_excerpt}` : ''}`
                          : a.response_excerpt}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </GridScroll>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}
