import { SimpleGrid, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api.js';
import type { Engagement } from '../types.js';
import { RecordForm } from './record-form.js';

/** An instant as a `datetime-local` input shows it: this device's wall clock, to the minute. */
function localInputValue(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Opens an engagement for an account, or edits the one given: its name, stage and signing date. */
export function EngagementForm({
  accountId,
  engagement,
  onDone,
  onCancel,
}: {
  accountId: string;
  engagement?: Engagement;
  onDone: (saved: Engagement) => void;
  onCancel: () => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState(engagement?.name ?? '');
  const [stage, setStage] = useState(engagement?.stage ?? '');
  const [signed, setSigned] = useState(localInputValue(engagement?.contract_signed_at));
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        stage: stage.trim() || null,
        // The input reads this device's wall clock; the API stores the instant in UTC.
        contract_signed_at: signed ? new Date(signed).toISOString() : null,
      };
      return engagement
        ? api<Engagement>('PATCH', `/engagements/${engagement.id}`, fields)
        : api<Engagement>('POST', '/engagements', { account_id: accountId, ...fields });
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['engagements'] });
      onDone(saved);
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <RecordForm
      onSubmit={() => save.mutate()}
      onCancel={onCancel}
      error={save.error}
      failed="The engagement was not saved"
      saving={save.isPending}
      ready={!!name.trim()}
      submit={engagement ? 'Save engagement' : 'Create engagement'}
    >
      <TextInput
        label="Name"
        description="The piece of work sold, e.g. “Warehouse access control rollout”."
        required
        data-autofocus
        maxLength={300}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={error?.forPath('/name')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Stage"
          description="Where the engagement is in its journey, e.g. sales."
          maxLength={100}
          value={stage}
          onChange={(e) => setStage(e.currentTarget.value)}
          error={error?.forPath('/stage')}
        />
        <TextInput
          label="Contract signed"
          description="Date and time, on this device's clock."
          type="datetime-local"
          value={signed}
          onChange={(e) => setSigned(e.currentTarget.value)}
          error={error?.forPath('/contract_signed_at')}
        />
      </SimpleGrid>
    </RecordForm>
  );
}
