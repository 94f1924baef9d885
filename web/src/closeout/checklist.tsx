import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  Progress,
  Select,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import { dateTime } from '../format.js';
import { ErrorNote } from '../parts.js';
import type { CloseoutStatus, User } from '../types.js';

/** What each checklist item is called on the screen. */
const LABELS: Record<CloseoutStatus['items'][number]['key'], string> = {
  no_open_punch_items: 'No open punch items',
  as_built_drawings: 'As-built drawings uploaded',
  operators_trained: 'Operators trained on every product',
  service_lead_introduced: 'Service lead introduced',
  internal_debrief_held: 'Internal debrief held',
  client_signed_off: 'Client signed off',
};

/**
 * The closeout checklist: progress, each item met or not and why, the products no operator was
 * trained on, the service lead's introduction, and the Close out button (for callers who may).
 */
export function ChecklistSection({ engagementId, canEdit }: { engagementId: string; canEdit: boolean }) {
  const client = useQueryClient();
  const key = ['closeout', engagementId];
  const status = useQuery({
    queryKey: key,
    queryFn: () => api<CloseoutStatus>('GET', `/engagements/${engagementId}/closeout`),
  });
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ items: User[] }>('GET', '/users'),
    select: (d) => d.items.filter((u) => !u.disabled).map((u) => ({ value: u.id, label: u.name || u.email })),
    enabled: canEdit,
  });
  const [lead, setLead] = useState<string | null>(null);
  const introduce = useMutation({
    mutationFn: () =>
      api<CloseoutStatus>('PUT', `/engagements/${engagementId}/service-lead`, { user_id: lead ?? '' }),
    onSuccess: (next) => client.setQueryData(key, next),
  });
  const close = useMutation({
    mutationFn: () => api<CloseoutStatus>('POST', `/engagements/${engagementId}/closeout`),
    onSuccess: (next) => client.setQueryData(key, next),
    onError: () => client.invalidateQueries({ queryKey: key }),
  });
  const s = status.data;
  const met = s?.items.filter((i) => i.met).length ?? 0;
  const total = s?.items.length ?? 0;
  const refusal = close.error instanceof ApiError && close.error.status === 422 ? close.error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="checklist-title">
      <Title order={2} size="h4" id="checklist-title" mb="xs">
        Closeout checklist
      </Title>
      <ErrorNote error={status.error ?? introduce.error} />
      {s ? (
        <Stack gap="sm">
          {s.playbook ? (
            <>
              <Text size="sm">
                {met} of {total} met{total ? '' : ': the playbook names no checklist'} ({s.playbook.key})
              </Text>
              {total ? (
                <Progress
                  value={(met / total) * 100}
                  color={met === total ? 'green' : 'blue'}
                  aria-label={`Closeout checklist: ${met} of ${total} met`}
                />
              ) : null}
            </>
          ) : (
            <Text size="sm" c="dimmed">
              No handoff yet: the checklist comes with the playbook of the engagement's handoffs.
            </Text>
          )}
          <List spacing="xs" listStyleType="none" aria-label="Checklist items">
            {s.items.map((i) => (
              <List.Item
                key={i.key}
                icon={
                  <ThemeIcon color={i.met ? 'green' : 'orange'} size={20} radius="xl" aria-hidden>
                    {i.met ? '✓' : '!'}
                  </ThemeIcon>
                }
              >
                <Text fw={600} size="sm">
                  {LABELS[i.key]} ({i.met ? 'met' : 'not met'})
                </Text>
                <Text size="sm" c="dimmed">
                  {i.why}
                </Text>
              </List.Item>
            ))}
          </List>
          {s.orphan_products.length ? (
            <Alert color="orange" title="Products no operator was trained on">
              <List size="sm" data-testid="orphan-products">
                {s.orphan_products.map((p) => (
                  <List.Item key={p}>{p}</List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          <Text size="sm">
            Service lead:{' '}
            {s.service_lead
              ? `${s.service_lead.name}, introduced ${dateTime(s.service_lead.introduced_at)}`
              : 'not introduced yet'}
          </Text>
          {canEdit && !s.closed_out_at ? (
            <Group align="end" wrap="wrap">
              <Select
                label="Service lead"
                data={users.data ?? []}
                value={lead}
                onChange={setLead}
                searchable
                w={260}
              />
              <Button
                variant="default"
                onClick={() => introduce.mutate()}
                disabled={!lead}
                loading={introduce.isPending}
              >
                Record introduction
              </Button>
            </Group>
          ) : null}
          {s.closed_out_at ? (
            <Alert color="green" role="status" title="Closed out">
              Closed out {dateTime(s.closed_out_at)}.
            </Alert>
          ) : canEdit ? (
            <Group>
              <Button color="green" onClick={() => close.mutate()} loading={close.isPending}>
                Close out
              </Button>
              {!s.ready ? (
                <Text size="sm" c="dimmed">
                  Closing out is refused until every item is met.
                </Text>
              ) : null}
            </Group>
          ) : null}
          {refusal ? (
            <Alert color="red" role="alert" title={refusal.message}>
              <List size="sm">
                {refusal.errors.map((e) => (
                  <List.Item key={e.path}>{e.message}</List.Item>
                ))}
              </List>
            </Alert>
          ) : (
            <ErrorNote error={close.error} />
          )}
        </Stack>
      ) : null}
    </Paper>
  );
}
