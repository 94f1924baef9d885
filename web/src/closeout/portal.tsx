import {
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../api.js';
import { dateTime } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { mayWriteRecords } from '../records/permissions.js';
import { useSession } from '../session.js';
import type { Contact, CreatedPortalLink, Engagement, Page, PortalActivity, PortalLink } from '../types.js';
import { GridScroll } from './grid-scroll.js';

const PURPOSES: { value: PortalLink['purpose']; label: string }[] = [
  { value: 'confirm', label: 'Confirm goal, metric and scope' },
  { value: 'signoff', label: 'Review and sign off the closeout' },
  { value: 'survey', label: 'Satisfaction survey (CSAT and NPS)' },
];
const PURPOSE_LABEL = Object.fromEntries(PURPOSES.map((p) => [p.value, p.label])) as Record<string, string>;
const STATE_COLOR: Record<PortalLink['state'], string> = {
  active: 'green',
  used: 'blue',
  revoked: 'red',
  expired: 'gray',
};
const ABOUT: Record<string, string> = {
  goal: 'Goal',
  metric: 'Success measure',
  scope: 'Scope',
  other: 'Other',
};

/**
 * The client portal on the engagement's closeout tab: send a contact a magic link for one purpose,
 * see every link's state and revoke one, and read what came back (confirmations and the questions
 * their differences became, sign-offs with the hash of what was signed, survey answers).
 */
export function PortalSection({ engagementId }: { engagementId: string }) {
  const session = useSession();
  const mayWrite = mayWriteRecords(session);
  const client = useQueryClient();
  const links = useQuery({
    queryKey: ['portal-links', engagementId],
    queryFn: () => api<Page<PortalLink>>('GET', `/engagements/${engagementId}/portal-links`),
  });
  const activity = useQuery({
    queryKey: ['portal-activity', engagementId],
    queryFn: () => api<PortalActivity>('GET', `/engagements/${engagementId}/portal`),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<PortalLink>('DELETE', `/portal-links/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal-links', engagementId] }),
  });
  return (
    <Stack gap="md" aria-labelledby="portal-heading" component="section">
      <Title order={2} size="h4" id="portal-heading">
        Client portal
      </Title>
      <Text c="dimmed" size="sm">
        A contact opens a link without an account: to confirm what they expect, to sign off the closeout, or
        to answer the survey. The survey is sent on its own when the engagement is closed out.
      </Text>
      {mayWrite ? <SendLinkForm engagementId={engagementId} /> : null}
      <ErrorNote error={links.error ?? revoke.error} />
      {links.data?.items.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No link sent yet" />
        </Paper>
      ) : (
        <Paper withBorder>
          <GridScroll label="Portal links" minWidth={640}>
            <Table verticalSpacing="xs" aria-label="Portal links">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Contact</Table.Th>
                  <Table.Th scope="col">Purpose</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Expires</Table.Th>
                  <Table.Th scope="col">Opened</Table.Th>
                  {mayWrite ? <Table.Th scope="col">Revoke</Table.Th> : null}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(links.data?.items ?? []).map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>{l.contact_name}</Table.Td>
                    <Table.Td>{PURPOSE_LABEL[l.purpose]}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLOR[l.state]} variant="light">
                        {l.state}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{dateTime(l.expires_at)}</Table.Td>
                    <Table.Td>{l.opened_at ? dateTime(l.opened_at) : 'Not yet'}</Table.Td>
                    {mayWrite ? (
                      <Table.Td>
                        {l.state === 'active' ? (
                          <Button
                            size="xs"
                            variant="default"
                            color="red"
                            loading={revoke.isPending && revoke.variables === l.id}
                            onClick={() => revoke.mutate(l.id)}
                            aria-label={`Revoke the ${l.purpose} link of ${l.contact_name}`}
                          >
                            Revoke
                          </Button>
                        ) : null}
                      </Table.Td>
                    ) : null}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </GridScroll>
        </Paper>
      )}
      <ErrorNote error={activity.error} />
      {activity.data ? <Answers activity={activity.data} /> : null}
    </Stack>
  );
}

/** The form that sends a link, and the link itself once, to copy. */
function SendLinkForm({ engagementId }: { engagementId: string }) {
  const client = useQueryClient();
  const [contactId, setContactId] = useState<string | null>(null);
  const [purpose, setPurpose] = useState<string | null>('confirm');
  const [days, setDays] = useState<number | string>(14);
  const engagement = useQuery({
    queryKey: ['engagements', 'one', engagementId],
    queryFn: () => api<Engagement>('GET', `/engagements/${engagementId}`),
  });
  const accountId = engagement.data?.account_id;
  const contacts = useQuery({
    queryKey: ['contacts', accountId],
    enabled: !!accountId,
    queryFn: () =>
      api<Page<Contact>>('GET', `/contacts?account_id=${encodeURIComponent(accountId ?? '')}&limit=200`),
  });
  const send = useMutation({
    mutationFn: () =>
      api<CreatedPortalLink>('POST', `/engagements/${engagementId}/portal-links`, {
        contact_id: contactId ?? '',
        purpose,
        ...(typeof days === 'number' ? { expires_in_days: days } : {}),
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal-links', engagementId] }),
  });
  const options = (contacts.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.email ? `${c.name} (${c.email})` : `${c.name}: no e-mail`,
    disabled: !c.email,
  }));
  return (
    <Paper withBorder p="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="Contact"
              placeholder="Who gets the link"
              data={options}
              value={contactId}
              onChange={setContactId}
              error={send.error instanceof ApiError ? send.error.forPath('/contact_id') : undefined}
              w={{ base: '100%', sm: 260 }}
            />
            <Select
              label="Purpose"
              data={PURPOSES}
              value={purpose}
              onChange={setPurpose}
              allowDeselect={false}
              w={{ base: '100%', sm: 280 }}
            />
            <NumberInput
              label="Expires in (days)"
              min={1}
              value={days}
              onChange={setDays}
              w={{ base: '100%', sm: 140 }}
            />
            <Button type="submit" loading={send.isPending} disabled={!contactId || !purpose}>
              Send link
            </Button>
          </Group>
          <ErrorNote error={send.error} />
          {send.data ? (
            <Stack gap={4} role="status">
              <Text size="sm">
                Sent to {send.data.link.contact_name}. The link, shown this once (it is also in their e-mail):
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Code style={{ overflowWrap: 'anywhere' }} data-testid="portal-url">
                  {send.data.url}
                </Code>
                <CopyButton value={send.data.url}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="default" onClick={copy}>
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </Stack>
          ) : null}
        </Stack>
      </form>
    </Paper>
  );
}

/** What came back through the portal. */
function Answers({ activity }: { activity: PortalActivity }) {
  const { confirmations, signoffs, survey_responses: survey } = activity;
  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Sign-off
      </Title>
      {signoffs.length === 0 ? (
        <Nothing>Not signed off yet.</Nothing>
      ) : (
        signoffs.map((s) => (
          <Text size="sm" key={s.id} data-testid="signoff">
            Signed off by <b>{s.signer_name}</b> ({s.contact_name}) on {dateTime(s.signed_at)}. SHA-256 of
            what was signed: <Code style={{ overflowWrap: 'anywhere' }}>{s.package_sha256}</Code>
          </Text>
        ))
      )}
      <Title order={3} size="h5">
        Confirmations
      </Title>
      {confirmations.length === 0 ? (
        <Nothing>No confirmation yet.</Nothing>
      ) : (
        <Stack gap="xs">
          {confirmations.map((c) => (
            <Paper withBorder p="xs" key={c.id}>
              <Text size="sm">
                {c.contact_name}, {dateTime(c.confirmed_at)}:{' '}
                {c.differences.length === 0
                  ? 'confirmed as shown.'
                  : `${c.differences.length} difference${c.differences.length > 1 ? 's' : ''}.`}
              </Text>
              {c.differences.map((d) => (
                <Text size="sm" key={`${c.id}-${d.text}`} pl="sm">
                  {ABOUT[d.about] ?? d.about}: {d.text}{' '}
                  {d.handoff_id ? (
                    <Anchor component={Link} to={`/handoffs/${d.handoff_id}`} size="sm">
                      (asked as a question on the handoff)
                    </Anchor>
                  ) : (
                    <Text span size="sm" c="dimmed">
                      (no open handoff could take it: kept here)
                    </Text>
                  )}
                </Text>
              ))}
            </Paper>
          ))}
        </Stack>
      )}
      <Title order={3} size="h5">
        Survey
      </Title>
      {survey.length === 0 ? (
        <Nothing>No answer yet.</Nothing>
      ) : (
        survey.map((r) => (
          <Text size="sm" key={r.id} data-testid="survey-answer">
            {r.contact_name}, {dateTime(r.answered_at)}: satisfaction {r.csat}/5, would recommend {r.nps}/10
            {r.comment ? `: “${r.comment}”` : ''}
          </Text>
        ))
      )}
    </Stack>
  );
}

/** A part with nothing in it yet, said quietly. */
function Nothing({ children }: { children: string }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}
