import {
  Anchor,
  Button,
  CopyButton,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { VAULT_LIMITS } from '../../../src/closeout/domain/vault-entry.js';
import type { RevealedSecret, VaultEntry } from '../../../src/closeout/vault-schema.js';
import { ApiError, api } from '../api.js';
import { dateTime } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { RecordForm } from '../records/record-form.js';
import { can, useSession } from '../session.js';
import type { Page } from '../types.js';

type Dialog = { kind: 'edit'; entry?: VaultEntry } | { kind: 'reveal'; entry: VaultEntry } | null;

/**
 * The engagement's credential vault (docs/design-closeout.md): each system's credential with its
 * secret masked; adding and editing for those who write records; revealing, for a stated reason,
 * for those who may reveal secrets (the server audits each reveal).
 */
export function VaultSection({ engagementId }: { engagementId: string }) {
  const session = useSession();
  const mayWrite = can(session, 'write_records');
  const mayReveal = can(session, 'reveal_secrets');
  const [dialog, setDialog] = useState<Dialog>(null);
  const entries = useQuery({
    queryKey: ['vault', engagementId],
    queryFn: () => api<Page<VaultEntry>>('GET', `/engagements/${engagementId}/vault`),
  });
  const close = () => setDialog(null);
  return (
    <Stack gap="sm" component="section" aria-labelledby="vault-title">
      <Group justify="space-between" align="center">
        <Title order={2} size="h4" id="vault-title">
          Credentials
        </Title>
        {mayWrite ? (
          <Button size="sm" onClick={() => setDialog({ kind: 'edit' })}>
            Add credential
          </Button>
        ) : null}
      </Group>
      <ErrorNote error={entries.error} />
      {entries.data?.items.length === 0 ? (
        <Paper withBorder>
          <EmptyState title="No credential yet">
            The systems the client's operators and the service team log in to, with their passwords kept
            encrypted.
          </EmptyState>
        </Paper>
      ) : (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table verticalSpacing="sm" aria-label="Credentials">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">System</Table.Th>
                <Table.Th scope="col">Username</Table.Th>
                <Table.Th scope="col">Secret</Table.Th>
                {mayWrite || mayReveal ? <Table.Th scope="col">Actions</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(entries.data?.items ?? []).map((e) => (
                <Table.Tr key={e.id} data-vault-entry={e.id}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {e.system}
                    </Text>
                    {e.url ? (
                      <Anchor href={e.url} size="xs" target="_blank" rel="noreferrer noopener">
                        {e.url}
                      </Anchor>
                    ) : null}
                    {e.notes ? (
                      <Text size="xs" c="dimmed">
                        {e.notes}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.username ?? ''}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      <span aria-hidden="true">{e.secret}</span>
                      <VisuallyHidden>Hidden</VisuallyHidden>
                    </Text>
                    <Text size="xs" c="dimmed">
                      Changed {dateTime(e.secret_updated_at)}
                    </Text>
                  </Table.Td>
                  {mayWrite || mayReveal ? (
                    <Table.Td>
                      <Group gap="xs">
                        {mayReveal ? (
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Reveal the secret of ${e.system}`}
                            onClick={() => setDialog({ kind: 'reveal', entry: e })}
                          >
                            Reveal
                          </Button>
                        ) : null}
                        {mayWrite ? (
                          <Button
                            size="compact-sm"
                            variant="default"
                            aria-label={`Edit ${e.system}`}
                            onClick={() => setDialog({ kind: 'edit', entry: e })}
                          >
                            Edit
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
      <Modal
        opened={dialog?.kind === 'edit'}
        onClose={close}
        title={dialog?.kind === 'edit' && dialog.entry ? `Edit ${dialog.entry.system}` : 'Add a credential'}
        centered
      >
        {dialog?.kind === 'edit' ? (
          <VaultEntryForm engagementId={engagementId} entry={dialog.entry} onDone={close} />
        ) : null}
      </Modal>
      <Modal
        opened={dialog?.kind === 'reveal'}
        onClose={close}
        title={dialog?.kind === 'reveal' ? `Reveal the secret of ${dialog.entry.system}` : ''}
        centered
      >
        {dialog?.kind === 'reveal' ? (
          <RevealForm engagementId={engagementId} entry={dialog.entry} onDone={close} />
        ) : null}
      </Modal>
    </Stack>
  );
}

/** Adds a credential, or edits one: a blank secret on edit keeps the one stored. */
function VaultEntryForm({
  engagementId,
  entry,
  onDone,
}: {
  engagementId: string;
  entry: VaultEntry | undefined;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const [system, setSystem] = useState(entry?.system ?? '');
  const [username, setUsername] = useState(entry?.username ?? '');
  const [url, setUrl] = useState(entry?.url ?? '');
  const [notes, setNotes] = useState(entry?.notes ?? '');
  const [secret, setSecret] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const fields = {
        system: system.trim(),
        username: username.trim() || null,
        url: url.trim() || null,
        notes: notes.trim() || null,
        ...(secret ? { secret } : {}),
      };
      return entry
        ? api<VaultEntry>('PATCH', `/engagements/${engagementId}/vault/${entry.id}`, fields)
        : api<VaultEntry>('POST', `/engagements/${engagementId}/vault`, fields);
    },
    onSuccess: async () => {
      setSecret('');
      await client.invalidateQueries({ queryKey: ['vault', engagementId] });
      onDone();
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <RecordForm
      onSubmit={() => save.mutate()}
      onCancel={onDone}
      error={save.error}
      failed="The credential was not saved"
      saving={save.isPending}
      ready={!!system.trim() && (!!entry || !!secret)}
      submit={entry ? 'Save credential' : 'Add credential'}
    >
      <TextInput
        label="System"
        required
        data-autofocus
        maxLength={VAULT_LIMITS.system}
        value={system}
        onChange={(e) => setSystem(e.currentTarget.value)}
        error={error?.forPath('/system')}
      />
      <TextInput
        label="Username"
        autoComplete="off"
        maxLength={VAULT_LIMITS.username}
        value={username}
        onChange={(e) => setUsername(e.currentTarget.value)}
        error={error?.forPath('/username')}
      />
      <TextInput
        label="Address"
        description="Where the system is reached"
        maxLength={VAULT_LIMITS.url}
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
        error={error?.forPath('/url')}
      />
      <PasswordInput
        label="Secret"
        required={!entry}
        autoComplete="new-password"
        description={entry ? 'Leave blank to keep the secret stored' : 'Encrypted as soon as it is saved'}
        maxLength={VAULT_LIMITS.secret}
        value={secret}
        onChange={(e) => setSecret(e.currentTarget.value)}
        error={error?.forPath('/secret')}
      />
      <Textarea
        label="Notes"
        autosize
        minRows={2}
        maxLength={VAULT_LIMITS.notes}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        error={error?.forPath('/notes')}
      />
    </RecordForm>
  );
}

/** Asks why, then shows the secret once with a copy button; closing forgets it. */
function RevealForm({
  engagementId,
  entry,
  onDone,
}: {
  engagementId: string;
  entry: VaultEntry;
  onDone: () => void;
}) {
  const [reason, setReason] = useState('');
  const reveal = useMutation({
    mutationFn: () =>
      api<RevealedSecret>('POST', `/engagements/${engagementId}/vault/${entry.id}/reveal`, {
        reason: reason.trim(),
      }),
  });
  const error = reveal.error instanceof ApiError ? reveal.error : null;
  if (reveal.data) {
    const value = reveal.data.secret;
    return (
      <Stack>
        <TextInput
          label={`Secret of ${entry.system}${entry.username ? ` (${entry.username})` : ''}`}
          value={value}
          readOnly
          styles={{ input: { fontFamily: 'monospace' } }}
          description="Shown this once; the reveal is in the audit log."
        />
        <Group justify="flex-end">
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button onClick={onDone}>Done</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <RecordForm
      onSubmit={() => reveal.mutate()}
      onCancel={onDone}
      error={reveal.error}
      failed="The secret was not revealed"
      saving={reveal.isPending}
      ready={!!reason.trim()}
      submit="Reveal secret"
    >
      <Textarea
        label="Why do you need it?"
        description="Recorded in the audit log with your name."
        required
        data-autofocus
        autosize
        minRows={2}
        maxLength={VAULT_LIMITS.reason}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={error?.forPath('/reason')}
      />
    </RecordForm>
  );
}
