import { Badge, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.js';
import { GridScroll } from '../closeout/grid-scroll.js';
import { dateTime } from '../format.js';
import { ErrorNote } from '../parts.js';
import type { Inquiry } from '../types.js';
import { useUsers } from './handoff.js';

const OUTCOMES: { value: Inquiry['outcome']; label: string; color: string }[] = [
  { value: 'routed', label: 'Routed', color: 'green' },
  { value: 'unmatched', label: 'Not routed', color: 'yellow' },
  { value: 'refused', label: 'Refused', color: 'red' },
];

/**
 * The e-mails inbound-parse sources forwarded (docs/design-integrations.md, "Inquiries after
 * closeout"), newest first: to whom each was routed and whether the client got the reply, or why
 * it was not routed, or why it was refused. Admins only, as the server answers.
 */
export function Inquiries() {
  const [outcome, setOutcome] = useState<string | null>(null);
  const inquiries = useQuery({
    queryKey: ['inquiries', outcome],
    queryFn: () =>
      api<{ items: Inquiry[]; total: number }>(
        'GET',
        `/inquiries?limit=100${outcome ? `&outcome=${outcome}` : ''}`,
      ),
  });
  const users = useUsers();
  const names = new Map((users.data?.items ?? []).map((u) => [u.id, u.name]));
  const items = inquiries.data?.items ?? [];
  return (
    <Stack>
      <Text size="sm">
        E-mails to an implementation lead after closeout become tasks for the service owner, as each
        engagement's playbook says. Here is every one received, and why any was not routed.
      </Text>
      <ErrorNote error={inquiries.error} />
      <Select
        label="Show"
        placeholder="Every inquiry"
        data={OUTCOMES.map(({ value, label }) => ({ value, label }))}
        value={outcome}
        onChange={setOutcome}
        clearable
        w={220}
      />
      {inquiries.isSuccess && items.length === 0 ? (
        <Text c="dimmed">No inquiries{outcome ? ' of this kind' : ''} yet.</Text>
      ) : (
        <Paper withBorder>
          <GridScroll label="Inquiries (scrolls sideways)" minWidth={760}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Received</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">Subject</Table.Th>
                  <Table.Th scope="col">Outcome</Table.Th>
                  <Table.Th scope="col">Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((i) => {
                  const shown = OUTCOMES.find((o) => o.value === i.outcome);
                  const assignee = i.assignee_user_id ? (names.get(i.assignee_user_id) ?? 'a user') : null;
                  return (
                    <Table.Tr key={i.id}>
                      <Table.Td>{dateTime(i.received_at)}</Table.Td>
                      <Table.Td>{i.sender_email ?? '—'}</Table.Td>
                      <Table.Td>{i.subject || '—'}</Table.Td>
                      <Table.Td>
                        <Badge color={shown?.color} variant="light">
                          {shown?.label ?? i.outcome}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{i.why}</Text>
                        {assignee ? (
                          <Text size="sm" c="dimmed">
                            Task for {assignee}
                            {i.replied_to
                              ? `; reply sent to ${i.replied_to}`
                              : i.reply_skipped
                                ? `; ${i.reply_skipped}`
                                : ''}
                          </Text>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </GridScroll>
        </Paper>
      )}
    </Stack>
  );
}
