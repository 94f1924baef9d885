import { Alert, AppShell, Button, Container, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useNetwork } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { api, messageOf, setCsrfToken } from './api.js';
import { NotificationBell } from './notification-centre.js';
import { can, useSession } from './session.js';
import { KeyboardShortcuts, SearchButton } from './shortcuts.js';

const links = [
  { to: '/', label: 'Inbox', end: true },
  { to: '/checkpoints', label: 'Checkpoints', end: false },
  { to: '/accounts', label: 'Accounts', end: false },
  { to: '/playbooks', label: 'Playbooks', end: false },
];

export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const network = useNetwork();
  const client = useQueryClient();
  const navigate = useNavigate();
  const signOut = async () => {
    try {
      await api('DELETE', '/session');
      setCsrfToken(null);
      client.clear();
      client.setQueryData(['session'], null);
      navigate('/sign-in');
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not sign out', message: messageOf(error) });
    }
  };
  const nav = [
    ...links,
    ...(can(session, 'read') ? [{ to: '/dashboard', label: 'Dashboard', end: false }] : []),
    ...(can(session, 'manage_identity') ? [{ to: '/admin', label: 'Admin', end: false }] : []),
  ];
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Container size="xl" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap="lg" wrap="nowrap" className="header-start">
              <Text fw={800} c="baton.7" size="lg" component="span">
                Baton
              </Text>
              <nav aria-label="Main" className="main-nav">
                <Group gap={4} wrap="nowrap">
                  {nav.map((l) => (
                    <NavLink key={l.to} to={l.to} end={l.end} style={{ textDecoration: 'none' }}>
                      {({ isActive }) => (
                        <Button
                          component="span"
                          variant={isActive ? 'light' : 'subtle'}
                          color={isActive ? 'baton' : 'dark'}
                          size="compact-md"
                          aria-current={isActive ? 'page' : undefined}
                        >
                          {l.label}
                        </Button>
                      )}
                    </NavLink>
                  ))}
                </Group>
              </nav>
            </Group>
            <SearchButton />
            <NotificationBell />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton className="user-menu">
                  <Text size="sm" fw={600} truncate maw={220}>
                    {session.user.name}
                  </Text>
                  <Text size="xs" c="dimmed" truncate maw={220}>
                    {session.user.role} · {session.organisation.name}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{session.user.email}</Menu.Label>
                <Menu.Item component={Link} to="/settings">
                  Settings
                </Menu.Item>
                <Menu.Item onClick={signOut}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Container>
      </AppShell.Header>
      <KeyboardShortcuts />
      <AppShell.Main>
        {/* AppShell.Main is the page's one main landmark; the skip link lands on its content. */}
        <Container size="xl" id="main" px={0}>
          {!network.online ? (
            <Alert color="orange" mb="md" title="You are offline" role="status">
              The server cannot be reached. Edits to packets are kept on this device and saved when the
              connection returns.
            </Alert>
          ) : null}
          {children}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
