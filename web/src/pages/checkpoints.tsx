import { Anchor, Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.js';
import { dateTime } from '../format.js';
import { standing } from '../handoff/checkpoints.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type { Checkpoint } from '../types.js';

/**
 * My checkpoints across every handoff: the pending ones owned by me or, where no one is named,
 * by my teams, overdue first and then by due time (the server's order), each linked to its
 * handoff, where it is completed, waived or paused.
 */
export function MyCheckpointsPage() {
  const list = useQuery({
    queryKey: ['checkpoints', 'mine'],
    queryFn: () =>
      api<{ items: Checkpoint[]; total: number }>(
        'GET',
        '/checkpoints?owner=me&state=open&state=overdue&limit=200',
      ),
  });
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <div>
        <Title order={1} size="h2">
          My checkpoints
        </Title>
        <Text c="dimmed" size="sm">
          Meetings, calls, reviews and tasks you or your teams owe, the most urgent first.
        </Text>
      </div>
      <ErrorNote error={list.error} />
      {!list.data ? (
        <Text c="dimmed">Loading your checkpoints…</Text>
      ) : items.length === 0 ? (
        <EmptyState title="Nothing is due from you">
          Checkpoints open as handoffs are submitted and accepted.
        </EmptyState>
      ) : (
        <Paper withBorder>
          <div className="table-scroll">
            <Table aria-label="My checkpoints" verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Checkpoint</Table.Th>
                  <Table.Th scope="col">Due</Table.Th>
                  <Table.Th scope="col">Owner</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => {
                  const s = standing(c);
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/handoffs/${c.handoff_id}`} fw={600} size="sm">
                          {c.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{dateTime(c.due_at)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{c.owner.team.name}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={s.color} variant="light">
                          {s.label}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </div>
        </Paper>
      )}
    </Stack>
  );
}
