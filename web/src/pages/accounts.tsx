import {
  Anchor,
  Button,
  Group,
  Menu,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { AccountForm } from '../records/account-form.js';
import { countOf, dayOf } from '../records/dates.js';
import { ImportDialog } from '../records/import-dialog.js';
import { mayWriteRecords } from '../records/permissions.js';
import { useSession } from '../session.js';
import type { Account, Page } from '../types.js';

/** The organisation's client accounts, by name; where accounts are created. */
export function AccountsPage() {
  const session = useSession();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [opened, { open, close }] = useDisclosure(false);
  const [importing, importDialog] = useDisclosure(false);
  const accounts = useQuery({
    queryKey: ['accounts', q],
    queryFn: () => api<Page<Account>>('GET', `/accounts?limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`),
  });
  const mayWrite = mayWriteRecords(session);
  const items = accounts.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Accounts
          </Title>
          <Text c="dimmed" size="sm">
            The client organisations your engagements are for, with their people.
          </Text>
        </div>
        <Group gap="xs">
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default">Export CSV</Button>
            </Menu.Target>
            <Menu.Dropdown>
              {(['accounts', 'contacts', 'engagements'] as const).map((kind) => (
                <Menu.Item key={kind} component="a" href={`/api/v1/${kind}.csv`} download>
                  {kind[0]!.toUpperCase() + kind.slice(1)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          {mayWrite ? (
            <Button variant="default" onClick={importDialog.open}>
              Import CSV
            </Button>
          ) : null}
          {mayWrite ? <Button onClick={open}>New account</Button> : null}
        </Group>
      </Group>
      <TextInput
        label="Name contains"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={320}
      />
      <ErrorNote error={accounts.error} />
      {accounts.isPending ? (
        <Text c="dimmed">Loading accounts…</Text>
      ) : items.length === 0 ? (
        <Paper withBorder>
          <EmptyState title={q ? 'No account matches' : 'No account yet'}>
            {q
              ? 'Try another part of the name.'
              : mayWrite
                ? 'Create the first with “New account”, then add its contacts and engagements.'
                : 'Accounts appear here once someone records one.'}
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Account</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/accounts/${a.id}`} fw={600}>
                      {a.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{dayOf(a.created_at, session)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {accounts.data && accounts.data.total > items.length ? (
            <Text size="sm" c="dimmed" p="sm">
              Showing {items.length} of {countOf(accounts.data.total, 'account', 'accounts')}: narrow the
              search to find the others.
            </Text>
          ) : null}
        </Paper>
      )}
      {mayWrite ? <ImportDialog opened={importing} onClose={importDialog.close} /> : null}
      <Modal opened={opened} onClose={close} title="New account">
        {opened ? (
          <AccountForm
            onCancel={close}
            onDone={(a) => {
              close();
              navigate(`/accounts/${a.id}`);
            }}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
