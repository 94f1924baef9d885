import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  MultiSelect,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { TOKEN_SCOPES, type TokenScope } from '../../../src/identity/domain/scopes.js';
import { ApiError, api, messageOf } from '../api.js';
import { ConfirmDialog } from '../dialogs.js';
import { dateTime } from '../format.js';
import { ErrorNote } from '../parts.js';
import { HealthSettingsForm } from '../records/health.js';
import { can, useSession } from '../session.js';
import type { Team, Token, User } from '../types.js';
import { useUsers } from './handoff.js';
import { Inquiries } from './inquiries.js';
import { IntegrationSources } from './integration-sources.js';
import { OrganisationFormats } from './organisation-formats.js';
import { Webhooks } from './webhooks.js';

const ROLES = ['admin', 'sales', 'operations', 'service', 'viewer'];

/** What each token scope lets a token do (the user's role still applies). */
const SCOPE_WORDS: Record<TokenScope, string> = {
  read: 'Read: every list and record',
  lifecycle: 'Lifecycle: act on handoffs, checkpoints and milestones',
  records: 'Records: accounts, contacts, engagements, promises, scope items',
  admin: 'Admin: users, teams, tokens, playbooks, settings',
};

export function AdminPage() {
  const session = useSession();
  // Only those who may manage people get the page's controls; anyone else who opens /admin is told
  // so, rather than shown forms the server would refuse on save.
  if (!can(session, 'manage_identity')) return <NotAllowed role={session.user.role} />;
  return (
    <Stack>
      <Title order={1} size="h2">
        Administration
      </Title>
      <Tabs defaultValue="users">
        <Tabs.List>
          <Tabs.Tab value="users">Users</Tabs.Tab>
          <Tabs.Tab value="teams">Teams</Tabs.Tab>
          <Tabs.Tab value="tokens">API tokens</Tabs.Tab>
          <Tabs.Tab value="formats">Formats</Tabs.Tab>
          <Tabs.Tab value="inquiries">Inquiries</Tabs.Tab>
          <Tabs.Tab value="webhooks">Webhooks</Tabs.Tab>
          <Tabs.Tab value="integrations">Integrations</Tabs.Tab>
          <Tabs.Tab value="health">Health scores</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="users" pt="md">
          <Users />
        </Tabs.Panel>
        <Tabs.Panel value="teams" pt="md">
          <Teams />
        </Tabs.Panel>
        <Tabs.Panel value="tokens" pt="md">
          <Tokens />
        </Tabs.Panel>
        <Tabs.Panel value="formats" pt="md">
          <OrganisationFormats />
        </Tabs.Panel>
        <Tabs.Panel value="inquiries" pt="md">
          <Inquiries />
        </Tabs.Panel>
        <Tabs.Panel value="webhooks" pt="md">
          <Webhooks />
        </Tabs.Panel>
        <Tabs.Panel value="integrations" pt="md">
          <IntegrationSources />
        </Tabs.Panel>
        <Tabs.Panel value="health" pt="md">
          <HealthSettingsForm />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function NotAllowed({ role }: { role: string }) {
  return (
    <Stack>
      <Title order={1} size="h2">
        Administration
      </Title>
      <Alert color="gray" title="Not available to you">
        The {role} role may not manage users, teams or API tokens. An admin of your organisation can make
        these changes for you.
      </Alert>
    </Stack>
  );
}

function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('GET', '/teams') });
}

function Users() {
  const client = useQueryClient();
  const users = useUsers();
  const teams = useTeams();
  const teamKeys = (teams.data?.items ?? []).map((t) => ({ value: t.key, label: t.name }));
  const [passwordFor, setPasswordFor] = useState<User | null>(null);
  const update = useMutation({
    mutationFn: (v: { id: string; body: Record<string, unknown> }) =>
      api<User>('PATCH', `/users/${v.id}`, v.body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
    onError: (e) => notifications.show({ color: 'red', title: 'Not changed', message: messageOf(e) }),
  });
  return (
    <Stack>
      <ErrorNote error={users.error ?? teams.error} />
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Table miw={760}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">User</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Teams</Table.Th>
              <Table.Th scope="col">Active</Table.Th>
              <Table.Th scope="col">Password</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(users.data?.items ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {u.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {u.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Role of ${u.email}`}
                    size="xs"
                    data={ROLES}
                    value={u.role}
                    allowDeselect={false}
                    onChange={(role) => role && update.mutate({ id: u.id, body: { role } })}
                    w={130}
                  />
                </Table.Td>
                <Table.Td>
                  <MultiSelect
                    aria-label={`Teams of ${u.email}`}
                    size="xs"
                    data={teamKeys}
                    value={u.teams}
                    onChange={(t) => update.mutate({ id: u.id, body: { teams: t } })}
                    miw={180}
                  />
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`${u.email} may sign in`}
                    checked={!u.disabled}
                    onChange={(e) =>
                      update.mutate({ id: u.id, body: { disabled: !e.currentTarget.checked } })
                    }
                  />
                </Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="default" onClick={() => setPasswordFor(u)}>
                    Set password
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <InviteUser teams={teamKeys} />
      <Modal
        opened={!!passwordFor}
        onClose={() => setPasswordFor(null)}
        title={`Set the password of ${passwordFor?.email ?? ''}`}
      >
        {passwordFor ? <SetPassword user={passwordFor} onDone={() => setPasswordFor(null)} /> : null}
      </Modal>
    </Stack>
  );
}

function SetPassword({ user, onDone }: { user: User; onDone: () => void }) {
  // Your own password needs the current one, and ends your other sessions but this one.
  const self = useSession().user.id === user.id;
  const [password, setPassword] = useState('');
  const [current, setCurrent] = useState('');
  const set = useMutation({
    mutationFn: () =>
      api('PUT', `/users/${user.id}/password`, { password, ...(self ? { current_password: current } : {}) }),
    onSuccess: () => {
      notifications.show({
        color: 'green',
        message: self
          ? 'Your password is changed; your other sessions were ended.'
          : `Password set for ${user.email}; their sessions were ended.`,
      });
      onDone();
    },
  });
  const err = set.error instanceof ApiError ? set.error : null;
  const named = err?.forPath('/password') ?? err?.forPath('/current_password');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        set.mutate();
      }}
    >
      <Stack>
        {self ? (
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={err?.forPath('/current_password')}
          />
        ) : null}
        <PasswordInput
          label="New password"
          description="At least 10 characters."
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={err?.forPath('/password')}
        />
        {set.error && !named ? <ErrorNote error={set.error} /> : null}
        <Button type="submit" loading={set.isPending} disabled={!password || (self && !current)}>
          Set password
        </Button>
      </Stack>
    </form>
  );
}

function InviteUser({ teams }: { teams: { value: string; label: string }[] }) {
  const client = useQueryClient();
  const [form, setForm] = useState({
    email: '',
    name: '',
    role: 'sales',
    teams: [] as string[],
    password: '',
  });
  const [made, setMade] = useState<{ email: string; token: string } | null>(null);
  const invite = useMutation({
    mutationFn: async () => {
      const res = await api<{ user: { id: string; email: string }; token: { token: string } }>(
        'POST',
        '/users',
        {
          email: form.email,
          role: form.role,
          teams: form.teams,
          ...(form.name ? { name: form.name } : {}),
        },
      );
      if (form.password) await api('PUT', `/users/${res.user.id}/password`, { password: form.password });
      return res;
    },
    onSuccess: async (res) => {
      setMade({ email: res.user.email, token: res.token.token });
      setForm({ email: '', name: '', role: 'sales', teams: [], password: '' });
      await client.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const err = invite.error instanceof ApiError ? invite.error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="invite-title">
      <Title order={2} size="h4" id="invite-title" mb="xs">
        Invite a user
      </Title>
      {made ? (
        <Alert
          color="green"
          mb="sm"
          title={`${made.email} was added`}
          withCloseButton
          onClose={() => setMade(null)}
        >
          Their API token, shown once: <Code>{made.token}</Code>
        </Alert>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label="E-mail"
            type="email"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
            error={err?.forPath('/email')}
          />
          <TextInput
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
            error={err?.forPath('/name')}
          />
          <Select
            label="Role"
            data={ROLES}
            value={form.role}
            allowDeselect={false}
            onChange={(v) => setForm({ ...form, role: v ?? 'sales' })}
            w={140}
            error={err?.forPath('/role')}
          />
          <MultiSelect
            label="Teams"
            data={teams}
            value={form.teams}
            onChange={(t) => setForm({ ...form, teams: t })}
            miw={180}
            error={err?.forPath('/teams')}
          />
          <PasswordInput
            label="Initial password"
            description="Optional; 10+ characters"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
            error={err?.forPath('/password')}
          />
        </Group>
        {invite.error && !err?.errors.length ? <ErrorNote error={invite.error} /> : null}
        <Button type="submit" mt="sm" loading={invite.isPending} disabled={!form.email.trim()}>
          Invite
        </Button>
      </form>
    </Paper>
  );
}

function Teams() {
  const client = useQueryClient();
  const teams = useTeams();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<Team>('POST', '/teams', { key, name }),
    onSuccess: async () => {
      setKey('');
      setName('');
      await client.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  return (
    <Stack>
      <ErrorNote error={teams.error} />
      <Paper withBorder>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Team</Table.Th>
              <Table.Th scope="col">Key</Table.Th>
              <Table.Th scope="col">Members</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(teams.data?.items ?? []).map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.name}</Table.Td>
                <Table.Td>
                  <Code>{t.key}</Code>
                </Table.Td>
                <Table.Td>{t.members}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-start">
          <TextInput
            label="Team key"
            description="Named by playbooks, e.g. finance"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            error={err?.forPath('/key')}
          />
          <TextInput
            label="Team name"
            description="Shown to people"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={err?.forPath('/name')}
          />
          <Button type="submit" mt={46} loading={create.isPending} disabled={!key || !name}>
            Create team
          </Button>
        </Group>
        {create.error && !err?.errors.length ? <ErrorNote error={create.error} /> : null}
      </form>
    </Stack>
  );
}

function Tokens() {
  const client = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: Token[] }>('GET', '/tokens') });
  const users = useUsers();
  const emails = new Map((users.data?.items ?? []).map((u) => [u.id, u.email]));
  const [name, setName] = useState('');
  const [userId, setUserId] = useState<string | null>(null);
  const [scopes, setScopes] = useState<string[]>([...TOKEN_SCOPES]);
  const [shown, setShown] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['tokens'] });
  const create = useMutation({
    mutationFn: () =>
      api<Token & { token: string }>('POST', '/tokens', {
        name,
        scopes,
        ...(userId ? { user_id: userId } : {}),
      }),
    onSuccess: async (t) => {
      setShown(t.token);
      setName('');
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api('DELETE', `/tokens/${id}`),
    onSuccess: refresh,
  });
  return (
    <Stack>
      <ErrorNote error={tokens.error ?? revoke.error} />
      <ConfirmDialog
        opened={revoking !== null}
        title={`Revoke the token “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        cancelLabel="Keep it"
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => setRevoking(null)}
      >
        Anything using it stops working at once.
      </ConfirmDialog>
      {shown ? (
        <Alert
          color="green"
          title="Copy this token now: it is shown only once"
          withCloseButton
          onClose={() => setShown(null)}
        >
          <Code block>{shown}</Code>
        </Alert>
      ) : null}
      <Paper withBorder style={{ overflowX: 'auto' }}>
        <Table miw={680}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">User</Table.Th>
              <Table.Th scope="col">Prefix</Table.Th>
              <Table.Th scope="col">Scopes</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(tokens.data?.items ?? []).map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.name}</Table.Td>
                <Table.Td>{emails.get(t.user_id) ?? t.user_id}</Table.Td>
                <Table.Td>
                  <Code>{t.prefix}…</Code>
                </Table.Td>
                <Table.Td>{t.scopes.join(', ')}</Table.Td>
                <Table.Td>{dateTime(t.created_at)}</Table.Td>
                <Table.Td>
                  {t.revoked_at ? (
                    <Text size="sm" c="dimmed">
                      Revoked
                    </Text>
                  ) : (
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="outline"
                      aria-label={`Revoke token ${t.name} (${t.prefix})`}
                      onClick={() => setRevoking(t)}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Token name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={create.error instanceof ApiError ? create.error.forPath('/name') : undefined}
          />
          <Select
            label="For user"
            placeholder="Me"
            clearable
            data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: u.email }))}
            value={userId}
            onChange={setUserId}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim() || !scopes.length}>
            Create token
          </Button>
        </Group>
        <Checkbox.Group
          mt="sm"
          label="Scopes"
          description="What the token may be used for, within what its user's role allows"
          value={scopes}
          onChange={setScopes}
          error={create.error instanceof ApiError ? create.error.forPath('/scopes') : undefined}
        >
          <Stack gap={6} mt={6}>
            {TOKEN_SCOPES.map((scope) => (
              <Checkbox key={scope} value={scope} label={SCOPE_WORDS[scope]} />
            ))}
          </Stack>
        </Checkbox.Group>
        {create.error ? <ErrorNote error={create.error} /> : null}
      </form>
    </Stack>
  );
}
