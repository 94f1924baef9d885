import { Alert, Badge, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError, messageOf } from './api.js';
import { STATE_COLOR, STATE_LABEL } from './format.js';
import type { HandoffState } from './types.js';

/** An error in plain words, where it happened. Never silent. */
export function ErrorNote({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const offline = error instanceof ApiError && error.offline;
  return (
    <Alert
      color={offline ? 'orange' : 'red'}
      title={title ?? (offline ? 'Connection lost' : 'Something went wrong')}
      role="alert"
    >
      {messageOf(error)}
    </Alert>
  );
}

export function StateBadge({ state }: { state: HandoffState }) {
  return (
    <Badge color={STATE_COLOR[state]} variant="light">
      {STATE_LABEL[state]}
    </Badge>
  );
}

/** An empty list that says what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" gap={4} py="xl">
      <Text fw={600}>{title}</Text>
      {children ? (
        <Text c="dimmed" ta="center" maw={520}>
          {children}
        </Text>
      ) : null}
    </Stack>
  );
}
