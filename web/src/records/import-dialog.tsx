import { Alert, Button, FileInput, Group, List, Modal, Progress, Radio, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, messageOf, sendWithProgress } from '../api.js';
import { fileSize } from '../format.js';
import { useSession } from '../session.js';
import type { RecordImport, RevenueImport } from '../types.js';

type Kind = RecordImport['kind'] | 'revenue';
const KINDS: { value: Kind; label: string }[] = [
  { value: 'accounts', label: 'Accounts' },
  { value: 'contacts', label: 'Contacts' },
  { value: 'engagements', label: 'Engagements (deals, opportunities)' },
  { value: 'revenue', label: 'Revenue records' },
];
/** Where each kind of file goes: records of accounts to `/{kind}/import`, revenue to its own. */
const PATH: Record<Kind, string> = {
  accounts: '/accounts/import',
  contacts: '/contacts/import',
  engagements: '/engagements/import',
  revenue: '/revenue-records/import',
};

type Stage =
  | { at: 'choosing' }
  | { at: 'sending'; sent: number; total: number }
  | { at: 'processing'; total: number }
  | { at: 'done'; result: RecordImport | RevenueImport }
  | { at: 'refused'; error: unknown };

/**
 * The import of a CSV file of accounts, contacts, engagements or revenue records: choose what the file holds and
 * the file, then watch it go (a bar of the bytes sent, read by the server as they arrive), then
 * "checking and writing" until the server answers with what it did, or with every bad line (the
 * file imports whole or not at all). Salesforce's and HubSpot's exports are read as they are.
 */
export function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const session = useSession();
  const queries = useQueryClient();
  const [kind, setKind] = useState<Kind>('accounts');
  const [file, setFile] = useState<File | null>(null);
  const [stage, setStage] = useState<Stage>({ at: 'choosing' });
  const number = new Intl.NumberFormat(session.organisation.locale);
  const busy = stage.at === 'sending' || stage.at === 'processing';

  const close = () => {
    if (busy) return;
    setStage({ at: 'choosing' });
    setFile(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setStage({ at: 'sending', sent: 0, total: file.size });
    try {
      const result = await sendWithProgress<RecordImport | RevenueImport>(
        PATH[kind],
        file,
        'text/csv',
        (sent, total) =>
          setStage(sent >= total ? { at: 'processing', total } : { at: 'sending', sent, total }),
      );
      setStage({ at: 'done', result });
      for (const key of ['accounts', 'contacts', 'engagements', 'revenue'])
        await queries.invalidateQueries({ queryKey: [key] });
    } catch (error) {
      setStage({ at: 'refused', error });
    }
  };

  const share =
    stage.at === 'sending'
      ? Math.round((stage.sent / Math.max(stage.total, 1)) * 100)
      : stage.at === 'processing'
        ? 100
        : 0;
  const done = stage.at === 'done' ? stage.result : null;
  const refusal = stage.at === 'refused' && stage.error instanceof ApiError ? stage.error : null;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title="Import from a CSV file"
      size="lg"
      closeOnClickOutside={!busy}
    >
      <form onSubmit={submit}>
        <Stack>
          <Radio.Group
            label="The file holds"
            value={kind}
            onChange={(v) => {
              setKind(v as Kind);
              setStage({ at: 'choosing' });
            }}
          >
            <Group mt="xs">
              {KINDS.map((k) => (
                <Radio key={k.value} value={k.value} label={k.label} disabled={busy} />
              ))}
            </Group>
          </Radio.Group>
          <FileInput
            label="CSV file"
            description={
              kind === 'revenue'
                ? 'A header row first: Account ID (a Baton id or system:id), Period (YYYY-MM), Kind, Amount, Currency, and an External ID so that sending the file again adds nothing.'
                : 'A header row first. Exports of Baton, Salesforce and HubSpot are read as they are; records already here are found by id, external id or name and updated, not duplicated.'
            }
            placeholder="Choose a .csv file"
            accept=".csv,text/csv"
            value={file}
            onChange={(f) => {
              setFile(f);
              setStage({ at: 'choosing' });
            }}
            disabled={busy}
            clearable
            clearButtonProps={{ 'aria-label': 'Remove the chosen file' }}
          />
          {busy ? (
            <Stack gap={4}>
              <Progress
                value={share}
                animated={stage.at === 'processing'}
                striped={stage.at === 'processing'}
                aria-label="Import progress"
                size="lg"
              />
              <Text size="sm" role="status" aria-live="polite">
                {stage.at === 'sending'
                  ? `Sending and reading: ${share}% of ${fileSize(stage.total)}`
                  : `Sent ${fileSize(stage.total)}; checking every line and writing…`}
              </Text>
            </Stack>
          ) : null}
          {done && 'accepted' in done ? (
            <Alert color="green" role="status" title="Imported">
              {number.format(done.rows)} row{done.rows === 1 ? '' : 's'} read: {number.format(done.accepted)}{' '}
              revenue records stored, {number.format(done.duplicates)} sent before (by external id) and left
              as they were.
            </Alert>
          ) : done ? (
            <Alert color="green" role="status" title="Imported">
              {number.format(done.rows)} row{done.rows === 1 ? '' : 's'} read: {number.format(done.created)}{' '}
              created, {number.format(done.updated)} updated, {number.format(done.unchanged)} already as the
              file says
              {done.accounts_created ? `; ${number.format(done.accounts_created)} new accounts for them` : ''}
              .
            </Alert>
          ) : null}
          {stage.at === 'refused' ? (
            <Alert color="red" role="alert" title={refusal ? refusal.message : 'The file was not imported'}>
              {refusal?.errors.length ? (
                <List size="sm" data-testid="import-errors" style={{ maxHeight: 240, overflowY: 'auto' }}>
                  {refusal.errors.slice(0, 200).map((e) => (
                    <List.Item key={`${e.line}-${e.path}-${e.message}`}>
                      {e.line ? `Line ${e.line}: ` : ''}
                      {e.message.replace(/^line \d+: /, '')}
                    </List.Item>
                  ))}
                </List>
              ) : (
                messageOf(stage.error)
              )}
              {refusal && refusal.errors.length > 200 ? (
                <Text size="sm">…and {number.format(refusal.errors.length - 200)} more.</Text>
              ) : null}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              {stage.at === 'done' ? 'Close' : 'Cancel'}
            </Button>
            <Button type="submit" disabled={!file || stage.at === 'done'} loading={busy}>
              Import
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
