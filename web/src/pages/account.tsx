import { Anchor, Button, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { AccountForm } from '../records/account-form.js';
import { CONTACT_ROLE_LABEL, ContactForm } from '../records/contact-form.js';
import { dayOf } from '../records/dates.js';
import { EngagementForm } from '../records/engagement-form.js';
import { HealthCard } from '../records/health.js';
import { mayOpenHandoffs, mayWriteRecords } from '../records/permissions.js';
import { AccountRevenueSection } from '../revenue/account-revenue.js';
import { useSession } from '../session.js';
import type { Account, Contact, Engagement, Page } from '../types.js';
import { NewHandoffForm } from './inbox.js';

/** Which dialog the account page has open, and on what. */
type Dialog =
  | { kind: 'account' }
  | { kind: 'contact'; contact?: Contact }
  | { kind: 'engagement'; engagement?: Engagement }
  | { kind: 'handoff'; engagement: Engagement }
  | null;

const DIALOG_TITLE = {
  account: 'Edit account',
  contact: 'Contact',
  engagement: 'Engagement',
  handoff: 'New handoff',
} as const;

/** One account: its people and its engagements, each created and edited here. */
export function AccountPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const mayWrite = mayWriteRecords(session);
  const mayOpen = mayOpenHandoffs(session);
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  // The dialog keeps its name while it fades out after closing.
  const lastTitle = useRef('');
  const account = useQuery({
    queryKey: ['accounts', 'one', id],
    queryFn: () => api<Account>('GET', `/accounts/${id}`),
  });
  const contacts = useQuery({
    queryKey: ['contacts', id],
    queryFn: () => api<Page<Contact>>('GET', `/contacts?account_id=${encodeURIComponent(id)}&limit=200`),
  });
  const engagements = useQuery({
    queryKey: ['engagements', 'of', id],
    queryFn: () =>
      api<Page<Engagement>>('GET', `/engagements?account_id=${encodeURIComponent(id)}&limit=200`),
  });
  if (account.error) return <ErrorNote error={account.error} />;
  if (!account.data) return <Text c="dimmed">Loading the account…</Text>;
  const a = account.data;
  const title =
    dialog?.kind === 'contact'
      ? dialog.contact
        ? `Edit ${dialog.contact.name}`
        : 'Add a contact'
      : dialog?.kind === 'engagement'
        ? dialog.engagement
          ? `Edit ${dialog.engagement.name}`
          : 'New engagement'
        : dialog
          ? DIALOG_TITLE[dialog.kind]
          : lastTitle.current;
  lastTitle.current = title;
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Anchor component={Link} to="/accounts" size="sm">
            Accounts
          </Anchor>
          <Title order={1} size="h2">
            {a.name}
          </Title>
          <Text c="dimmed" size="sm">
            Added {dayOf(a.created_at, session)}
          </Text>
        </div>
        {mayWrite ? (
          <Button variant="default" onClick={() => setDialog({ kind: 'account' })}>
            Edit account
          </Button>
        ) : null}
      </Group>
      {a.notes ? (
        <Paper withBorder p="sm">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {a.notes}
          </Text>
        </Paper>
      ) : null}

      <HealthCard accountId={a.id} />

      <Group justify="space-between" align="center">
        <Title order={2} size="h4">
          Contacts
        </Title>
        {mayWrite ? (
          <Button size="sm" onClick={() => setDialog({ kind: 'contact' })}>
            Add contact
          </Button>
        ) : null}
      </Group>
      <ErrorNote error={contacts.error} />
      {contacts.data?.items.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No contact yet">The buyer, the champion and the people who decide.</EmptyState>
        </Paper>
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" aria-label="Contacts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">E-mail</Table.Th>
                <Table.Th scope="col">Phone</Table.Th>
                {mayWrite ? <Table.Th scope="col">Change</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(contacts.data?.items ?? []).map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {c.name}
                    </Text>
                    {c.title ? (
                      <Text size="xs" c="dimmed">
                        {c.title}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{CONTACT_ROLE_LABEL[c.role]}</Text>
                  </Table.Td>
                  <Table.Td>
                    {c.email ? (
                      <Anchor href={`mailto:${c.email}`} size="sm">
                        {c.email}
                      </Anchor>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.phone ?? ''}</Text>
                  </Table.Td>
                  {mayWrite ? (
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={`Edit ${c.name}`}
                        onClick={() => setDialog({ kind: 'contact', contact: c })}
                      >
                        Edit
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}

      <Group justify="space-between" align="center">
        <Title order={2} size="h4">
          Engagements
        </Title>
        {mayWrite ? (
          <Button size="sm" onClick={() => setDialog({ kind: 'engagement' })}>
            New engagement
          </Button>
        ) : null}
      </Group>
      <ErrorNote error={engagements.error} />
      {engagements.data?.items.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No engagement yet">
            An engagement is one piece of work sold to the account; its handoffs carry it forward.
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" aria-label="Engagements">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Engagement</Table.Th>
                <Table.Th scope="col">Stage</Table.Th>
                <Table.Th scope="col">Contract signed</Table.Th>
                {mayWrite || mayOpen ? <Table.Th scope="col">Actions</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(engagements.data?.items ?? []).map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/engagements/${e.id}`} fw={600} size="sm">
                      {e.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.stage ?? ''}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.contract_signed_at ? dayOf(e.contract_signed_at, session) : ''}</Text>
                  </Table.Td>
                  {mayWrite || mayOpen ? (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {mayWrite ? (
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Edit ${e.name}`}
                            onClick={() => setDialog({ kind: 'engagement', engagement: e })}
                          >
                            Edit
                          </Button>
                        ) : null}
                        {mayOpen ? (
                          <Button
                            size="compact-sm"
                            aria-label={`New handoff for ${e.name}`}
                            onClick={() => setDialog({ kind: 'handoff', engagement: e })}
                          >
                            New handoff
                          </Button>
                        ) : null}
                      </Group>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}

      <AccountRevenueSection accountId={a.id} canEdit={mayWrite} />

      <Modal
        opened={dialog !== null}
        onClose={close}
        title={title}
        size={dialog?.kind === 'account' ? 'md' : 'lg'}
      >
        {dialog?.kind === 'account' ? <AccountForm account={a} onCancel={close} onDone={close} /> : null}
        {dialog?.kind === 'contact' ? (
          <ContactForm accountId={a.id} contact={dialog.contact} onCancel={close} onDone={close} />
        ) : null}
        {dialog?.kind === 'engagement' ? (
          <EngagementForm accountId={a.id} engagement={dialog.engagement} onCancel={close} onDone={close} />
        ) : null}
        {dialog?.kind === 'handoff' ? (
          <NewHandoffForm engagementId={dialog.engagement.id} onDone={close} />
        ) : null}
      </Modal>
    </Stack>
  );
}
