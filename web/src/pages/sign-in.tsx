import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, messageOf, setCsrfToken } from '../api.js';
import type { Session } from '../types.js';

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [organisations, setOrganisations] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api<Session>('POST', '/session', {
        email,
        password,
        ...(organisation ? { organisation } : {}),
      });
      setCsrfToken(session.csrf_token);
      client.setQueryData(['session'], session);
      const next = params.get('next');
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.body.organisations)) {
        setOrganisations(e.body.organisations as string[]);
      }
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };

  const orgError = error instanceof ApiError ? error.forPath('/organisation') : undefined;
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Sign in to Baton
              </Title>
              <Text c="dimmed" size="sm">
                Handoffs between teams as written, accepted contracts.
              </Text>
            </div>
            {error && !orgError ? (
              <Alert
                color={error instanceof ApiError && error.status === 429 ? 'orange' : 'red'}
                role="alert"
              >
                {messageOf(error)}
              </Alert>
            ) : null}
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={error instanceof ApiError ? error.forPath('/email') : undefined}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={error instanceof ApiError ? error.forPath('/password') : undefined}
            />
            {organisations.length ? (
              <Select
                label="Organisation"
                description="This e-mail address belongs to several organisations."
                data={organisations}
                value={organisation}
                onChange={setOrganisation}
                error={orgError}
                required
              />
            ) : null}
            <Button type="submit" loading={busy} fullWidth>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
