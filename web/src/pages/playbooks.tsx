import {
  Accordion,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../api.js';
import { ErrorNote } from '../parts.js';
import { can, useSession } from '../session.js';
import type {
  ErrorDetail,
  Page,
  PlaybookDetail,
  PlaybookInstalled,
  PlaybookSummary,
  PlaybookValidation,
} from '../types.js';
import { PlaybookSuggestionsSection } from './playbook-suggestions.js';

export function PlaybooksPage() {
  const { key } = useParams();
  const list = useQuery({
    queryKey: ['playbooks'],
    queryFn: () => api<Page<PlaybookSummary>>('GET', '/playbooks'),
  });
  const session = useSession();
  return (
    <Stack>
      <Title order={1} size="h2">
        Playbooks
      </Title>
      <ErrorNote error={list.error} />
      {key ? (
        <PlaybookDetailView playbookKey={key} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {(list.data?.items ?? []).map((p) => (
            <Paper key={p.key} withBorder p="md">
              <Group justify="space-between" wrap="nowrap">
                <Anchor component={Link} to={`/playbooks/${p.key}`} fw={600}>
                  {p.name}
                </Anchor>
                <Badge variant="light">v{p.version}</Badge>
              </Group>
              <Text size="xs" c="dimmed" mb={4}>
                {p.key}
                {p.builtin ? ' · built in' : ''}
              </Text>
              {p.description ? (
                <Text size="sm" lineClamp={3}>
                  {p.description}
                </Text>
              ) : null}
              <Text size="sm" mt={6}>
                {p.transitions.map((t) => `${t.sender_team} → ${t.receiver_team}`).join(', ')}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      {can(session, 'manage_playbooks') && !key ? <UploadPlaybook /> : null}
    </Stack>
  );
}

function PlaybookDetailView({ playbookKey }: { playbookKey: string }) {
  const detail = useQuery({
    queryKey: ['playbook', playbookKey, 'latest'],
    queryFn: () => api<PlaybookDetail>('GET', `/playbooks/${playbookKey}`),
  });
  if (detail.error) return <ErrorNote error={detail.error} />;
  if (!detail.data) return <Text c="dimmed">Loading…</Text>;
  const d = detail.data.definition;
  const stageName = (key: string) => d.stages.find((stage) => stage.key === key)?.name ?? key;
  return (
    <Stack>
      <Anchor component={Link} to="/playbooks" size="sm">
        ← All playbooks
      </Anchor>
      <div>
        <Title order={2} size="h3">
          {d.name} <Badge variant="light">v{d.version}</Badge>
        </Title>
        {d.description ? <Text c="dimmed">{d.description}</Text> : null}
      </div>
      <PlaybookSuggestionsSection playbookKey={playbookKey} />
      {d.transitions.map((t) => (
        <Paper key={t.key} withBorder p="md">
          <Title order={3} size="h4">
            {t.name}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {/* One arrow only: the teams hand over; the stages are said in words, so the line does
                not read as the same move printed twice ("sales → operations · sales → delivery"). */}
            {t.sender_team} → {t.receiver_team} · moves the engagement from {stageName(t.from)} to{' '}
            {stageName(t.to)}
          </Text>
          <Accordion multiple variant="separated">
            {t.sections.map((s) => (
              <Accordion.Item key={s.key} value={s.key}>
                <Accordion.Control>{s.title}</Accordion.Control>
                <Accordion.Panel>
                  {s.help ? (
                    <Text size="sm" c="dimmed" mb={6}>
                      {s.help}
                    </Text>
                  ) : null}
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">Field</Table.Th>
                        <Table.Th scope="col">Type</Table.Th>
                        <Table.Th scope="col">Required</Table.Th>
                        <Table.Th scope="col">Help</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {s.fields.map((f) => (
                        <Table.Tr key={f.key}>
                          <Table.Td>{f.label}</Table.Td>
                          <Table.Td>{f.type.replace('_', ' ')}</Table.Td>
                          <Table.Td>
                            {f.required ? 'yes' : f.required_when ? `when ${f.required_when.field}` : 'no'}
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{f.help}</Text>
                            {f.prompt ? (
                              <Text size="sm" fs="italic">
                                {f.prompt}
                              </Text>
                            ) : null}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
          <Text fw={600} size="sm" mt="sm">
            Rejection reasons
          </Text>
          <Text size="sm">{t.rejection_reasons.map((r) => r.label).join(' · ')}</Text>
          {t.checkpoints.length ? (
            <>
              <Text fw={600} size="sm" mt="sm">
                Checkpoints
              </Text>
              <Text size="sm">
                {t.checkpoints.map((c) => `${c.name}${c.due ? ` (${c.due})` : ''}`).join(' · ')}
              </Text>
            </>
          ) : null}
        </Paper>
      ))}
    </Stack>
  );
}

function UploadPlaybook() {
  const client = useQueryClient();
  const [source, setSource] = useState('');
  const [file, setFile] = useState('playbook.yaml');
  const [result, setResult] = useState<{ ok: boolean; errors: ErrorDetail[]; message: string } | null>(null);
  const run = useMutation({
    mutationFn: async (mode: 'validate' | 'upload') => {
      try {
        if (mode === 'validate') {
          const res = await api<PlaybookValidation>('POST', '/playbooks/validate', { source, file });
          const count = res.error_count;
          const listed = count > res.errors.length ? ` (the first ${res.errors.length} are listed)` : '';
          return {
            ok: res.valid,
            errors: res.errors ?? [],
            message: res.valid
              ? 'The playbook is valid.'
              : `The playbook has ${count} error${count === 1 ? '' : 's'}${listed}.`,
          };
        }
        const res = await api<PlaybookInstalled>('POST', '/playbooks', { source, file });
        await client.invalidateQueries({ queryKey: ['playbooks'] });
        return { ok: true, errors: [], message: res.message };
      } catch (error) {
        if (error instanceof ApiError && error.errors.length)
          return { ok: false, errors: error.errors, message: error.message };
        throw error;
      }
    },
    onSuccess: setResult,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="upload-title">
      <Title order={2} size="h4" id="upload-title" mb="xs">
        Upload a playbook
      </Title>
      <Stack>
        <input
          type="file"
          accept=".yaml,.yml"
          aria-label="Choose a YAML file"
          onChange={async (e) => {
            const f = e.currentTarget.files?.[0];
            if (!f) return;
            setFile(f.name);
            setSource(await f.text());
          }}
        />
        <Textarea
          label="Playbook YAML"
          autosize
          minRows={8}
          maxRows={24}
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
        <Group>
          <Button
            variant="default"
            onClick={() => run.mutate('validate')}
            disabled={!source.trim()}
            loading={run.isPending && run.variables === 'validate'}
          >
            Validate
          </Button>
          <Button
            onClick={() => run.mutate('upload')}
            disabled={!source.trim()}
            loading={run.isPending && run.variables === 'upload'}
          >
            Install
          </Button>
        </Group>
        <ErrorNote error={run.error} />
        {result ? (
          <div role="status">
            <Text fw={600} c={result.ok ? 'green.8' : 'red.8'}>
              {result.message}
            </Text>
            {result.errors.length ? (
              <Table mt="xs" aria-label="Playbook errors">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Line</Table.Th>
                    <Table.Th scope="col">Path</Table.Th>
                    <Table.Th scope="col">Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {result.errors.map((e) => (
                    <Table.Tr key={`${e.line}:${e.column}:${e.path}:${e.message}`}>
                      <Table.Td>
                        {e.line ?? '—'}
                        {e.column ? `:${e.column}` : ''}
                      </Table.Td>
                      <Table.Td>
                        <code>{e.path}</code>
                      </Table.Td>
                      <Table.Td>{e.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
          </div>
        ) : null}
      </Stack>
    </Paper>
  );
}
