import { Group, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.js';
import { dateTime } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';

import type { Revision, RevisionDiff } from '../types.js';

const show = (v: unknown) =>
  v === undefined
    ? '—'
    : typeof v === 'string'
      ? v
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? v.join('\n')
        : JSON.stringify(v, null, 1);

/** Every submitted revision, and a field-by-field diff between any two. */
export function RevisionsPanel({ handoffId, names }: { handoffId: string; names: Map<string, string> }) {
  const revisions = useQuery({
    queryKey: ['revisions', handoffId],
    queryFn: () => api<{ items: Revision[] }>('GET', `/handoffs/${handoffId}/revisions`),
  });
  const items = revisions.data?.items ?? [];
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const a = from ?? (items.length >= 2 ? String(items[items.length - 2]!.number) : null);
  const b = to ?? (items.length >= 2 ? String(items[items.length - 1]!.number) : null);
  const diff = useQuery({
    queryKey: ['diff', handoffId, a, b],
    queryFn: () => api<RevisionDiff>('GET', `/handoffs/${handoffId}/revisions/${a}/diff/${b}`),
    enabled: !!a && !!b,
  });
  if (revisions.error) return <ErrorNote error={revisions.error} />;
  if (!items.length)
    return (
      <EmptyState title="No revision yet">
        Each submit keeps an immutable revision of the packet here.
      </EmptyState>
    );
  const options = items.map((r) => ({ value: String(r.number), label: `Revision ${r.number}` }));
  return (
    <Stack>
      <Paper withBorder>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Revision</Table.Th>
              <Table.Th scope="col">Submitted by</Table.Th>
              <Table.Th scope="col">When</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.number}>
                <Table.Td>{r.number}</Table.Td>
                <Table.Td>{names.get(r.submitted_by) ?? r.submitted_by}</Table.Td>
                <Table.Td>{dateTime(r.submitted_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      {items.length < 2 ? (
        <Text c="dimmed">
          A diff needs two revisions: it appears after the packet is revised and submitted again.
        </Text>
      ) : (
        <Paper withBorder p="md">
          <Group mb="sm">
            <Select
              label="Compare"
              data={options}
              value={a}
              onChange={setFrom}
              w={180}
              allowDeselect={false}
            />
            <Select label="with" data={options} value={b} onChange={setTo} w={180} allowDeselect={false} />
          </Group>
          <ErrorNote error={diff.error} />
          {diff.data ? (
            diff.data.changes.length === 0 ? (
              <Text c="dimmed">The two revisions are identical.</Text>
            ) : (
              <Table withTableBorder aria-label={`Changes from revision ${a} to revision ${b}`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Field</Table.Th>
                    <Table.Th scope="col">Change</Table.Th>
                    <Table.Th scope="col">Revision {a}</Table.Th>
                    <Table.Th scope="col">Revision {b}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {diff.data.changes.map((c) => (
                    <Table.Tr key={c.path}>
                      <Table.Td fw={600}>{c.label}</Table.Td>
                      <Table.Td>{c.change}</Table.Td>
                      <Table.Td className="pre-wrap" bg="red.0">
                        {show(c.before)}
                      </Table.Td>
                      <Table.Td className="pre-wrap" bg="green.0">
                        {show(c.after)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )
          ) : null}
        </Paper>
      )}
    </Stack>
  );
}
