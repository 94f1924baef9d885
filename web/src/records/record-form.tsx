import { Button, Group, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorNote } from '../parts.js';

/**
 * The frame of a record's dialog form: its fields, what went wrong in words, Cancel and the
 * submit button (Enter submits). The fields show their own errors, by the path the API names.
 *
 * @example
 *   <RecordForm onSubmit={save.mutate} error={save.error} failed="The account was not saved"
 *     saving={save.isPending} submit="Create account" ready={!!name} onCancel={close}>…</RecordForm>
 */
export function RecordForm({
  children,
  onSubmit,
  onCancel,
  error,
  failed,
  saving,
  ready,
  submit,
}: {
  children: ReactNode;
  onSubmit: () => void;
  onCancel: () => void;
  error: unknown;
  failed: string;
  saving: boolean;
  ready: boolean;
  submit: string;
}) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack>
        {children}
        {error ? <ErrorNote error={error} title={failed} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} disabled={!ready}>
            {submit}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
