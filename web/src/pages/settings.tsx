import { Button, Group, Loader, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, messageOf } from '../api.js';
import { ErrorNote } from '../parts.js';
import { useSession } from '../session.js';
import type { NotificationChoices, NotificationPreferences } from '../types.js';

type NoticeKind = keyof NotificationChoices['email'];

/** Each notice a user may take or leave, in the order they happen to a packet. */
const NOTICES: { kind: NoticeKind; label: string; description: string }[] = [
  {
    kind: 'handoff_submitted',
    label: 'A packet waits for my team',
    description: 'Submitted or resubmitted to one of your teams, or to you.',
  },
  {
    kind: 'review_nudge',
    label: 'A packet waiting for my team is still unopened',
    description: 'Once, at the end of its review window, if nobody on the team has opened it.',
  },
  {
    kind: 'question_asked',
    label: 'A question on a packet I sent',
    description: 'The receiving team asks something; open questions hold up acceptance.',
  },
  {
    kind: 'question_answered',
    label: 'An answer to my question',
    description: 'The sending team answered a question you asked.',
  },
  {
    kind: 'handoff_rejected',
    label: 'A packet I sent was rejected',
    description: 'With the reason and what to change.',
  },
];

export function SettingsPage() {
  return (
    <Stack maw={720}>
      <Title order={1} size="h2">
        Settings
      </Title>
      <NotificationSettings />
    </Stack>
  );
}

function NotificationSettings() {
  const session = useSession();
  const client = useQueryClient();
  const path = `/users/${session.user.id}/notification-preferences`;
  const saved = useQuery({
    queryKey: ['notification-preferences', session.user.id],
    queryFn: () => api<NotificationPreferences>('GET', path),
  });
  const [form, setForm] = useState<NotificationChoices | null>(null);
  useEffect(() => {
    if (saved.data) setForm({ email: saved.data.email, chat_mention: saved.data.chat_mention });
  }, [saved.data]);
  const save = useMutation({
    mutationFn: (body: NotificationChoices) => api<NotificationPreferences>('PUT', path, body),
    onSuccess: (data) => {
      client.setQueryData(['notification-preferences', session.user.id], data);
      notifications.show({ color: 'green', message: 'Your notification settings are saved.' });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not saved', message: messageOf(e) }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="notifications-title">
      <Stack>
        <div>
          <Title order={2} size="h4" id="notifications-title">
            Notifications
          </Title>
          <Text size="sm" c="dimmed">
            Baton e-mails you when a packet waits for you or something happens to one you sent; each e-mail
            links to the handoff. Messages in your organisation's chat channel are posted either way.
          </Text>
        </div>
        <ErrorNote error={saved.error} />
        {!form ? (
          saved.isPending ? (
            <Loader size="sm" aria-label="Loading your notification settings" />
          ) : null
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate(form);
            }}
          >
            <Stack gap="sm">
              <Text size="sm" fw={600} component="h3" m={0}>
                E-mail me when
              </Text>
              {NOTICES.map((n) => (
                <Switch
                  key={n.kind}
                  label={n.label}
                  description={n.description}
                  checked={form.email[n.kind]}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setForm((f) => (f ? { ...f, email: { ...f.email, [n.kind]: on } } : f));
                  }}
                />
              ))}
              <Text size="sm" fw={600} component="h3" m={0} mt="sm">
                Chat
              </Text>
              <Switch
                label="Name me in chat messages that concern me"
                description="So you can find what is for you in the channel."
                checked={form.chat_mention}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setForm((f) => (f ? { ...f, chat_mention: on } : f));
                }}
              />
              <Group>
                <Button type="submit" loading={save.isPending}>
                  Save notification settings
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}
