import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SOURCE_KINDS, type SourceKind } from '../../../src/integrations/domain/inbound-kinds.js';
import { api } from '../api.js';
import { GridScroll } from '../closeout/grid-scroll.js';
import { dateTime } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type {
  InboundEvent,
  IntegrationSource,
  IntegrationSourceWithSecret,
  PlaybookDetail,
} from '../types.js';

/** What each kind is, and a config to start from (docs/integrations-inbound.md). */
const KIND_WORDS: Record<SourceKind, { label: string; example: Record<string, unknown> }> = {
  hubspot: {
    label: 'HubSpot (closed-won deals, v3 signature)',
    example: { playbook: 'security-integrator' },
  },
  salesforce: {
    label: 'Salesforce (Outbound Message)',
    example: { playbook: 'security-integrator', organization_id: '00D000000000001AAA' },
  },
  pipedrive: { label: 'Pipedrive (won deals, Basic auth)', example: { playbook: 'security-integrator' } },
  clickup: { label: 'ClickUp (task status → milestone)', example: { milestones: { complete: 'Installed' } } },
  procore: {
    label: 'Procore (project events → milestone)',
    example: { milestones: { 'Projects.update': 'Site updated' } },
  },
  mailgun: { label: 'Mailgun (inbound e-mail after closeout)', example: {} },
  sendgrid: { label: 'SendGrid Inbound Parse (e-mail after closeout)', example: {} },
};

const OUTCOME_COLOR: Record<InboundEvent['outcome'], string> = {
  created: 'green',
  recorded: 'blue',
  refused: 'red',
};

/**
 * The organisation's inbound integrations (admins): each source with where its sender posts, its
 * mapping, its secret (shown once, when made or replaced), and the latest events it sent with why
 * any was refused.
 */
export function IntegrationSources() {
  const client = useQueryClient();
  const sources = useQuery({
    queryKey: ['integration-sources'],
    queryFn: () => api<{ items: IntegrationSource[] }>('GET', '/integration-sources'),
  });
  const [shown, setShown] = useState<{ name: string; secret: string } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['integration-sources'] });
  const onSecret = async (made: IntegrationSourceWithSecret) => {
    if (made.secret) setShown({ name: made.source.name, secret: made.secret });
    await refresh();
  };
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        Systems that tell Baton about won deals and project status. Each posts to its own address and proves
        itself with its secret; every event it sends is listed below, with why any was refused.
      </Text>
      <ErrorNote error={sources.error} />
      {shown ? (
        <Alert
          color="green"
          title={`Copy the secret of ${shown.name} now: it is shown only once`}
          withCloseButton
          closeButtonLabel="Hide the secret"
          onClose={() => setShown(null)}
        >
          <Code block>{shown.secret}</Code>
        </Alert>
      ) : null}
      {sources.data && sources.data.items.length === 0 ? (
        <EmptyState title="No integrations yet">
          Add the CRM or project tool that should call Baton.
        </EmptyState>
      ) : null}
      {(sources.data?.items ?? []).map((s) => (
        <SourceCard key={s.id} source={s} onSecret={onSecret} onChange={refresh} />
      ))}
      <AddSource onMade={onSecret} />
    </Stack>
  );
}

function SourceCard({
  source,
  onSecret,
  onChange,
}: {
  source: IntegrationSource;
  onSecret: (made: IntegrationSourceWithSecret) => Promise<void>;
  onChange: () => Promise<void>;
}) {
  const client = useQueryClient();
  const events = useQuery({
    queryKey: ['integration-sources', source.id, 'events'],
    queryFn: () => api<{ items: InboundEvent[] }>('GET', `/integration-sources/${source.id}/events`),
  });
  const [given, setGiven] = useState('');
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api('PATCH', `/integration-sources/${source.id}`, { enabled }),
    onSuccess: onChange,
  });
  const rotate = useMutation({
    mutationFn: () =>
      api<IntegrationSourceWithSecret>(
        'POST',
        `/integration-sources/${source.id}/secret`,
        source.secret.origin === 'given' ? { secret: given } : {},
      ),
    onSuccess: async (made) => {
      setGiven('');
      await onSecret(made);
      await client.invalidateQueries({ queryKey: ['integration-sources', source.id, 'events'] });
    },
  });
  const address = `${window.location.origin}${source.inbound_path}`;
  const headingId = `source-${source.id}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id={headingId}>
            {source.name}{' '}
            <Badge variant="light" color="gray">
              {source.kind}
            </Badge>
          </Title>
          <Switch
            label="Enabled"
            checked={source.enabled}
            onChange={(e) => toggle.mutate(e.currentTarget.checked)}
          />
        </Group>
        <ErrorNote error={toggle.error ?? rotate.error ?? events.error} />
        <Text size="sm">
          Posts to <Code style={{ wordBreak: 'break-all' }}>{address}</Code>
        </Text>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Text size="sm">
            Secret:{' '}
            {source.secret.origin === 'none'
              ? 'none (the sender proves itself by its organisation id)'
              : source.secret.masked
                ? `${source.secret.masked} (set ${source.secret.updated_at ? dateTime(source.secret.updated_at) : ''})`
                : 'not set'}
          </Text>
          {source.secret.origin === 'given' ? (
            <PasswordInput
              label={`New secret from ${source.kind}`}
              value={given}
              onChange={(e) => setGiven(e.currentTarget.value)}
              size="xs"
            />
          ) : null}
          {source.secret.origin !== 'none' ? (
            <Button
              size="compact-sm"
              variant="outline"
              loading={rotate.isPending}
              disabled={source.secret.origin === 'given' && given.length < 8}
              onClick={() => rotate.mutate()}
            >
              {source.secret.origin === 'generated' ? 'Make a new secret' : 'Replace the secret'}
            </Button>
          ) : null}
        </Group>
        <Mapping source={source} />
        <Title order={3} size="h5">
          Latest events
        </Title>
        {events.data && events.data.items.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing received yet.
          </Text>
        ) : (
          <GridScroll label={`Latest events of ${source.name}`} minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Received</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                  <Table.Th scope="col">Event</Table.Th>
                  <Table.Th scope="col">Why, or what was left out</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(events.data?.items ?? []).map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{dateTime(e.received_at)}</Table.Td>
                    <Table.Td>
                      <Badge color={OUTCOME_COLOR[e.outcome]} variant="light">
                        {e.outcome}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{e.summary}</Text>
                      {e.external_id ? (
                        <Text size="xs" c="dimmed">
                          id {e.external_id}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      {e.problems.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      ) : (
                        <List size="sm">
                          {e.problems.slice(0, 8).map((p) => (
                            <List.Item key={`${p.path}${p.message}`}>
                              <Code>{p.path}</Code> {p.message}
                            </List.Item>
                          ))}
                          {e.problems.length > 8 ? (
                            <List.Item>and {e.problems.length - 8} more</List.Item>
                          ) : null}
                        </List>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </GridScroll>
        )}
      </Stack>
    </Paper>
  );
}

/** Where the source's values go: the playbook's inbound mapping (CRMs) or the status map (tools). */
function Mapping({ source }: { source: IntegrationSource }) {
  const playbookKey = typeof source.config.playbook === 'string' ? source.config.playbook : null;
  const playbook = useQuery({
    queryKey: ['playbooks', playbookKey],
    queryFn: () => api<PlaybookDetail>('GET', `/playbooks/${playbookKey}`),
    enabled: playbookKey !== null,
  });
  const rows: [string, string][] =
    source.purpose === 'inquiry'
      ? [
          [
            "an e-mail to an engagement's implementation lead, after closeout",
            "a task for the service owner, and the playbook's after_closeout reply",
          ],
        ]
      : source.purpose === 'status'
        ? Object.entries((source.config.milestones ?? {}) as Record<string, string>).map(([status, m]) => [
            `status “${status}”`,
            `milestone “${m}”`,
          ])
        : (playbook.data?.definition.inbound?.fields ?? []).map((f) => [
            f.maps_from.filter((m) => m.startsWith(`${source.kind}.`)).join(', ') || '(not from this source)',
            f.to,
          ]);
  const inbound = playbook.data?.definition.inbound;
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        Mapping
      </Title>
      {playbookKey ? (
        <Text size="sm">
          Playbook <Code>{playbookKey}</Code>
          {inbound ? (
            <>
              , opens a draft for <Code>{inbound.transition}</Code>
            </>
          ) : playbook.data ? (
            ': it has no inbound mapping, so deals are refused'
          ) : null}
        </Text>
      ) : null}
      {playbook.error ? <ErrorNote error={playbook.error} title="The playbook could not be read" /> : null}
      {rows.length ? (
        <GridScroll label={`Mapping of ${source.name}`} minWidth={360}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">From</Table.Th>
                <Table.Th scope="col">To</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(([from, to]) => (
                <Table.Tr key={`${from}${to}`}>
                  <Table.Td>
                    <Code>{from}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Code>{to}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </GridScroll>
      ) : null}
    </Stack>
  );
}

function AddSource({ onMade }: { onMade: (made: IntegrationSourceWithSecret) => Promise<void> }) {
  const [kind, setKind] = useState<SourceKind>('pipedrive');
  const [name, setName] = useState('');
  const [config, setConfig] = useState(JSON.stringify(KIND_WORDS.pipedrive.example, null, 2));
  const [secret, setSecret] = useState('');
  const [configError, setConfigError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: unknown) => api<IntegrationSourceWithSecret>('POST', '/integration-sources', body),
    onSuccess: async (made) => {
      setName('');
      setSecret('');
      await onMade(made);
    },
  });
  const given = SOURCE_KINDS[kind].secret === 'given';
  const submit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch {
      setConfigError('The settings are not valid JSON.');
      return;
    }
    setConfigError(null);
    create.mutate({ kind, name, config: parsed, ...(given ? { secret } : {}) });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="add-source">
      <Stack gap="sm">
        <Title order={2} size="h4" id="add-source">
          Add an integration
        </Title>
        <ErrorNote error={create.error} title="The integration was not added" />
        <Select
          label="System"
          data={(Object.keys(KIND_WORDS) as SourceKind[]).map((k) => ({
            value: k,
            label: KIND_WORDS[k].label,
          }))}
          value={kind}
          allowDeselect={false}
          onChange={(v) => {
            if (!v) return;
            setKind(v as SourceKind);
            setConfig(JSON.stringify(KIND_WORDS[v as SourceKind].example, null, 2));
          }}
        />
        <TextInput
          label="Integration name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Textarea
          label="Settings (JSON)"
          description="See docs/integrations-inbound.md for each system's settings."
          autosize
          minRows={3}
          value={config}
          error={configError}
          onChange={(e) => setConfig(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        {given ? (
          <PasswordInput
            label={`Secret ${kind} shows you`}
            required
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {SOURCE_KINDS[kind].secret === 'generated'
              ? 'Baton makes the secret: it is shown once, when added.'
              : 'This system sends no secret.'}
          </Text>
        )}
        <Group>
          <Button onClick={submit} loading={create.isPending} disabled={!name.trim()}>
            Add integration
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
