import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api.js';
import { ErrorNote } from '../parts.js';
import { can, useSession } from '../session.js';
import type { PlaybookDraft, PlaybookInstalled, PlaybookSuggestions, ReviewedFieldView } from '../types.js';

type Suggested = ReviewedFieldView & { suggestion: NonNullable<ReviewedFieldView['suggestion']> };

/**
 * "Suggestions from 72-hour reviews" on a playbook's page, for those who may manage playbooks:
 * each field the follow-up reviews compared, its gap rate and what to do about it, and a draft of
 * the next version with the change, whose diff is read before it is installed.
 */
export function PlaybookSuggestionsSection({ playbookKey }: { playbookKey: string }) {
  const session = useSession();
  if (!can(session, 'manage_playbooks')) return null;
  return <Suggestions playbookKey={playbookKey} locale={session.organisation.locale} />;
}

function Suggestions({ playbookKey, locale }: { playbookKey: string; locale: string }) {
  const list = useQuery({
    queryKey: ['playbook-suggestions', playbookKey],
    queryFn: () => api<PlaybookSuggestions>('GET', `/playbooks/${playbookKey}/suggestions`),
  });
  const [drafting, setDrafting] = useState<Suggested | null>(null);
  const [installed, setInstalled] = useState<string | null>(null);
  const percent = (rate: number) =>
    new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
  const data = list.data;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="suggestions-title">
      <Title order={2} size="h4" id="suggestions-title">
        Suggestions from 72-hour reviews
      </Title>
      {data ? (
        <Text size="sm" c="dimmed" mb="sm">
          Fields compared in at least {data.thresholds.min_reviews} follow-up reviews, a gap found in at least{' '}
          {percent(data.thresholds.min_gap_rate)} of them, get a suggestion for version {data.version + 1}.
        </Text>
      ) : null}
      <ErrorNote error={list.error} />
      {installed ? (
        <Alert color="green" role="status" mb="sm" title="Installed">
          {installed}
        </Alert>
      ) : null}
      {data && data.fields.length === 0 ? (
        <Text size="sm">No follow-up review has compared a field of this version yet.</Text>
      ) : null}
      <Stack gap="xs">
        {(data?.fields ?? []).map((f) => (
          <Paper key={`${f.transition}.${f.field}`} withBorder p="sm" data-testid="reviewed-field">
            <Group justify="space-between" align="flex-start" gap="xs">
              <div>
                <Text fw={600}>{f.label}</Text>
                <Text size="xs" c="dimmed">
                  {f.section_title} · {f.transition}
                  {f.since_version > 1 ? ` · reviews since version ${f.since_version}` : ''}
                </Text>
                <Text size="sm">
                  <strong>{percent(f.gap_rate)}</strong> gap rate: {f.gaps} of {f.reviews} reviews found a gap
                </Text>
              </div>
              {f.suggestion ? (
                <Stack gap={4} align="flex-end">
                  <Badge variant="light" color="orange">
                    {f.suggestion.advice}
                  </Badge>
                  <Button
                    size="xs"
                    onClick={() => {
                      setInstalled(null);
                      setDrafting(f as Suggested);
                    }}
                    aria-label={`Draft next version: ${f.suggestion.advice.toLowerCase()}, ${f.label}`}
                  >
                    Draft next version
                  </Button>
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  No suggestion
                </Text>
              )}
            </Group>
          </Paper>
        ))}
      </Stack>
      {data && data.unmatched.length > 0 ? (
        <Text size="sm" c="dimmed" mt="sm">
          Reviewed fields this version no longer has:{' '}
          {data.unmatched.map((u) => `${u.field} (${percent(u.gap_rate)} of ${u.reviews})`).join(', ')}.
        </Text>
      ) : null}
      <Modal
        opened={drafting !== null && data !== undefined}
        onClose={() => setDrafting(null)}
        title={drafting ? `${drafting.suggestion.advice}: ${drafting.label}` : ''}
        size="xl"
        centered
      >
        {drafting && data ? (
          <DraftDialog
            playbookKey={playbookKey}
            version={data.version}
            field={drafting}
            onInstalled={(message) => {
              setDrafting(null);
              setInstalled(message);
            }}
          />
        ) : null}
      </Modal>
    </Paper>
  );
}

function DraftDialog({
  playbookKey,
  version,
  field,
  onInstalled,
}: {
  playbookKey: string;
  version: number;
  field: Suggested;
  onInstalled: (message: string) => void;
}) {
  const client = useQueryClient();
  const needsPrompt = field.suggestion.kind !== 'require';
  const current = typeof field.suggestion.change.from === 'string' ? field.suggestion.change.from : '';
  const [prompt, setPrompt] = useState(current);
  const url = `/playbooks/${playbookKey}/suggestions/${encodeURIComponent(field.suggestion.key)}/draft`;
  const draft = useMutation({
    mutationFn: () =>
      api<PlaybookDraft>('POST', url, needsPrompt ? { version, prompt: prompt.trim() } : { version }),
  });
  // "Make it required" needs nothing more: its draft is made as the dialog opens.
  const { mutate } = draft;
  useEffect(() => {
    if (!needsPrompt) mutate();
  }, [needsPrompt, mutate]);
  const install = useMutation({
    mutationFn: (source: string) =>
      api<PlaybookInstalled>('POST', '/playbooks', { source, file: `${playbookKey}.yaml` }),
    onSuccess: async (res) => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['playbook', playbookKey] }),
        client.invalidateQueries({ queryKey: ['playbooks'] }),
        client.invalidateQueries({ queryKey: ['playbook-suggestions', playbookKey] }),
      ]);
      onInstalled(res.message);
    },
  });
  const error = draft.error instanceof ApiError ? draft.error : null;
  return (
    <Stack>
      <Text size="sm">
        {field.gaps} of {field.reviews} follow-up reviews found a gap in “{field.label}” (
        {field.section_title}).
        {needsPrompt
          ? ' Write the question the field should ask the sender; the draft shows the change before anything is installed.'
          : ' The draft makes the field required in the next version.'}
      </Text>
      {needsPrompt ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            draft.mutate();
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Prompt"
              description={current ? `Now: ${current}` : undefined}
              value={prompt}
              onChange={(e) => setPrompt(e.currentTarget.value)}
              error={error?.forPath('/prompt')}
              maxLength={500}
              style={{ flex: '1 1 16rem' }}
            />
            <Button type="submit" variant="default" loading={draft.isPending} disabled={!prompt.trim()}>
              Show the draft
            </Button>
          </Group>
        </form>
      ) : null}
      {error && !error.forPath('/prompt') ? <ErrorNote error={error} /> : null}
      {draft.isPending && !needsPrompt ? <Text size="sm">Making the draft…</Text> : null}
      {draft.data ? (
        <>
          <DiffView draft={draft.data} />
          <ErrorNote error={install.error} />
          <Group justify="flex-end">
            <Button
              onClick={() => draft.data && install.mutate(draft.data.source)}
              loading={install.isPending}
            >
              Install version {draft.data.version}
            </Button>
          </Group>
        </>
      ) : null}
    </Stack>
  );
}

const LINE_STYLE = {
  added: { background: '#dafbe1', color: '#0f3d1e', mark: '+', words: 'Added' },
  removed: { background: '#ffebe9', color: '#6e1016', mark: '−', words: 'Removed' },
  same: { background: 'transparent', color: 'inherit', mark: ' ', words: '' },
} as const;

/** The line diff of the installed document and the draft: added lines green with "+", removed red with "−". */
function DiffView({ draft }: { draft: PlaybookDraft }) {
  const added = draft.diff.flatMap((h) => h.lines).filter((l) => l.op === 'added').length;
  const removed = draft.diff.flatMap((h) => h.lines).filter((l) => l.op === 'removed').length;
  return (
    <section aria-label={`Changes from version ${draft.from_version} to version ${draft.version}`}>
      <Text size="sm" fw={600} mb={4}>
        Version {draft.from_version} → {draft.version}: {added} line{added === 1 ? '' : 's'} added, {removed}{' '}
        removed
      </Text>
      <div
        style={{
          fontFamily: 'monospace',
          fontSize: 13,
          border: '1px solid var(--mantine-color-gray-4)',
          borderRadius: 4,
        }}
      >
        {draft.diff.map((hunk) => (
          <div key={`${hunk.old_start}:${hunk.new_start}`} data-testid="diff-hunk">
            <div style={{ background: 'var(--mantine-color-gray-1)', color: '#333', padding: '2px 8px' }}>
              Lines {hunk.old_start} (version {draft.from_version}) and {hunk.new_start} (version{' '}
              {draft.version})
            </div>
            {hunk.lines.map((line) => {
              const look = LINE_STYLE[line.op];
              const Tag = line.op === 'added' ? 'ins' : line.op === 'removed' ? 'del' : 'span';
              return (
                <div
                  key={`${line.op}:${line.old_line ?? ''}:${line.new_line ?? ''}`}
                  data-op={line.op}
                  style={{
                    background: look.background,
                    color: look.color,
                    whiteSpace: 'pre-wrap',
                    overflowWrap: 'anywhere',
                    padding: '0 8px',
                  }}
                >
                  <span aria-hidden="true">{look.mark} </span>
                  {look.words ? <VisuallyHidden>{look.words}: </VisuallyHidden> : null}
                  <Tag style={{ textDecoration: 'none' }}>{line.text || ' '}</Tag>
                </div>
              );
            })}
          </div>
        ))}
      </div>
    </section>
  );
}
