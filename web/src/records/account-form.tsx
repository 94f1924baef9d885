import { Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import type { Account } from '../types.js';
import { RecordForm } from './record-form.js';

/** Creates an account, or edits the one given: its name and notes. */
export function AccountForm({
  account,
  onDone,
  onCancel,
}: {
  account?: Account;
  onDone: (saved: Account) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(account?.name ?? '');
  const [notes, setNotes] = useState(account?.notes ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), notes: notes.trim() || null };
      return account
        ? api<Account>('PATCH', `/accounts/${account.id}`, body)
        : api<Account>('POST', '/accounts', body);
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['accounts'] });
      onDone(saved);
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <RecordForm
      onSubmit={() => save.mutate()}
      onCancel={onCancel}
      error={save.error}
      failed="The account was not saved"
      saving={save.isPending}
      ready={!!name.trim()}
      submit={account ? 'Save account' : 'Create account'}
    >
      <TextInput
        label="Name"
        description="The client organisation, as its people name it."
        required
        data-autofocus
        maxLength={300}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={error?.forPath('/name')}
      />
      <Textarea
        label="Notes"
        autosize
        minRows={2}
        maxLength={10_000}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        error={error?.forPath('/notes')}
      />
    </RecordForm>
  );
}
