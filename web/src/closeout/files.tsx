import {
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Image,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type FormEvent, useContext, useId, useState } from 'react';
import type { FileTag } from '../../../src/closeout/domain/file-tag.js';
import { api, upload } from '../api.js';
import { dateTime, fileSize } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import { can, useSession } from '../session.js';
import type { EngagementFile, FileVersion } from '../types.js';

/** Each tag in words, in the order the form offers them. */
export const FILE_TAG_LABEL: Record<FileTag, string> = {
  as_built: 'As-built drawing',
  network_map: 'Network map',
  contract: 'Contract',
  photo: 'Photo',
  other: 'Other',
};
const TAG_OPTIONS = Object.entries(FILE_TAG_LABEL).map(([value, label]) => ({ value, label }));

/** The engagement a page is about, so a packet's file fields can list and link its files. */
export const EngagementScope = createContext<string | null>(null);

export function useEngagementFiles(engagementId: string | null) {
  return useQuery({
    queryKey: ['engagement-files', engagementId],
    queryFn: () => api<{ items: EngagementFile[] }>('GET', `/engagements/${engagementId}/files`),
    enabled: engagementId !== null,
  });
}

const inline = (v: FileVersion) => `${v.content_url}?disposition=inline`;
const versionWords = (v: FileVersion) =>
  `Version ${v.version} · ${fileSize(v.size)} · ${dateTime(v.uploaded_at)}`;

/**
 * The engagement's files (docs/design-closeout.md): each with its versions, newest first, a
 * preview of the latest when it is an image or a PDF, and download links for every version;
 * upload and upload-a-new-version for those who may write records.
 */
export function FilesSection({ engagementId }: { engagementId: string }) {
  const session = useSession();
  const mayUpload = can(session, 'write_records');
  const files = useEngagementFiles(engagementId);
  const items = files.data?.items ?? [];
  return (
    <Stack component="section" aria-labelledby="files-title" gap="md">
      <Title order={2} size="h3" id="files-title">
        Files
      </Title>
      {mayUpload ? <UploadForm engagementId={engagementId} /> : null}
      <ErrorNote error={files.error} title="The files could not be loaded" />
      {files.isPending ? (
        <Text c="dimmed">Loading files…</Text>
      ) : items.length === 0 ? (
        <EmptyState title="No file yet">
          <Text size="sm" c="dimmed">
            As-built drawings, network maps, contracts and photos uploaded here are kept with every version.
          </Text>
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          {items.map((file) => (
            <FileCard key={file.id} file={file} engagementId={engagementId} mayUpload={mayUpload} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function UploadForm({ engagementId }: { engagementId: string }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [tag, setTag] = useState<string | null>('as_built');
  const [file, setFile] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: () =>
      upload<EngagementFile>(
        `/engagements/${engagementId}/files?${new URLSearchParams({
          name: name.trim() || (file?.name ?? ''),
          tag: tag ?? 'other',
          ...(file?.name ? { filename: file.name } : {}),
        })}`,
        file as File,
      ),
    onSuccess: (saved) => {
      client.invalidateQueries({ queryKey: ['engagement-files', engagementId] });
      notifications.show({ message: `${saved.name}: version ${saved.latest_version} uploaded.` });
      setName('');
      setFile(null);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) send.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Upload a file">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label="Name"
            description="The same name again adds a version"
            placeholder="As-built floor 2"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={200}
          />
          <Select label="Kind" data={TAG_OPTIONS} value={tag} onChange={setTag} allowDeselect={false} />
          <FileInput
            label="File"
            description="Drawings, PDFs, photos, CSV"
            value={file}
            onChange={setFile}
            clearable
          />
        </SimpleGrid>
        <ErrorNote error={send.error} title="Not uploaded" />
        <Group>
          <Button type="submit" disabled={!file} loading={send.isPending}>
            Upload
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function FileCard({
  file,
  engagementId,
  mayUpload,
}: {
  file: EngagementFile;
  engagementId: string;
  mayUpload: boolean;
}) {
  const latest = file.versions[0];
  const headingId = useId();
  return (
    <Paper withBorder p="md" component="article" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={headingId}>
            {file.name}
          </Title>
          <Badge variant="light">{FILE_TAG_LABEL[file.tag]}</Badge>
        </Group>
        {latest ? <FilePreview name={file.name} version={latest} /> : null}
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            Versions
          </Text>
          <ul style={{ margin: 0, paddingLeft: 18 }} aria-label={`Versions of ${file.name}`}>
            {file.versions.map((v) => (
              <li key={v.version}>
                <Group gap="xs" wrap="wrap">
                  <Text size="sm">{versionWords(v)}</Text>
                  <Anchor href={v.content_url} download size="sm" underline="always">
                    Download version {v.version}
                    <VisuallyHidden> of {file.name}</VisuallyHidden>
                  </Anchor>
                </Group>
              </li>
            ))}
          </ul>
        </Stack>
        {mayUpload ? <NewVersionForm file={file} engagementId={engagementId} /> : null}
      </Stack>
    </Paper>
  );
}

/** An image shown, a PDF embedded (with a link where the browser shows none), anything else: nothing. */
function FilePreview({ name, version }: { name: string; version: FileVersion }) {
  const label = `Preview of ${name}, version ${version.version}`;
  if (version.media_type.startsWith('image/') && version.media_type !== 'image/tiff')
    return <Image src={inline(version)} alt={label} mah={320} fit="contain" radius="sm" />;
  if (version.media_type === 'application/pdf')
    return (
      <Stack gap={4}>
        <object
          data={inline(version)}
          type="application/pdf"
          title={label}
          aria-label={label}
          style={{ width: '100%', height: 360, border: 0 }}
        >
          <Text size="sm">
            This browser shows no PDF here.{' '}
            <Anchor href={inline(version)} target="_blank" rel="noopener" underline="always">
              Open {name}, version {version.version}
            </Anchor>
          </Text>
        </object>
        <Anchor href={inline(version)} target="_blank" rel="noopener" size="sm" underline="always">
          Open the PDF in a new tab
          <VisuallyHidden>
            : {name}, version {version.version}
          </VisuallyHidden>
        </Anchor>
      </Stack>
    );
  return null;
}

function NewVersionForm({ file, engagementId }: { file: EngagementFile; engagementId: string }) {
  const client = useQueryClient();
  const [chosen, setChosen] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: () =>
      upload<EngagementFile>(
        `/engagements/${engagementId}/files/${file.id}/versions?${new URLSearchParams(
          chosen?.name ? { filename: chosen.name } : {},
        )}`,
        chosen as File,
      ),
    onSuccess: (saved) => {
      client.invalidateQueries({ queryKey: ['engagement-files', engagementId] });
      notifications.show({ message: `${saved.name}: version ${saved.latest_version} uploaded.` });
      setChosen(null);
    },
  });
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <FileInput
          label={`New version of ${file.name}`}
          value={chosen}
          onChange={setChosen}
          clearable
          style={{ flex: '1 1 12rem' }}
        />
        <Button variant="light" disabled={!chosen} loading={send.isPending} onClick={() => send.mutate()}>
          Upload version {file.latest_version + 1}
        </Button>
      </Group>
      <ErrorNote error={send.error} title="Not uploaded" />
    </Stack>
  );
}

/** A packet's file value: `{ file_id, version }`. */
interface FileRefValue {
  file_id: string;
  version: number;
}
const isRef = (v: unknown): v is FileRefValue =>
  typeof v === 'object' && v !== null && typeof (v as FileRefValue).file_id === 'string';

/** A `file` field's value as people read it: the file's name and version, with its download link. */
export function FileFieldValue({ value }: { value: unknown }) {
  const engagementId = useContext(EngagementScope);
  const files = useEngagementFiles(engagementId);
  if (!isRef(value))
    return (
      <Text size="sm" c="dimmed" fs="italic">
        Not given
      </Text>
    );
  const file = files.data?.items.find((f) => f.id === value.file_id);
  const version = file?.versions.find((v) => v.version === value.version);
  if (!file || !version)
    return (
      <Text size="sm" c="dimmed">
        {files.isPending
          ? 'Loading the file…'
          : `A file this engagement does not have (version ${value.version})`}
      </Text>
    );
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm">
        {file.name}, version {version.version} ({fileSize(version.size)})
      </Text>
      <Anchor href={version.content_url} download size="sm" underline="always">
        Download
        <VisuallyHidden>
          {' '}
          {file.name}, version {version.version}
        </VisuallyHidden>
      </Anchor>
    </Group>
  );
}

/**
 * A `file` field in the packet editor: pick a version of one of the engagement's files, or upload
 * a new one (named after the file) and pick it.
 */
export function FileFieldInput({
  id,
  label,
  description,
  error,
  required,
  value,
  onChange,
}: {
  id: string;
  label: string;
  description?: string | undefined;
  error?: string | undefined;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const engagementId = useContext(EngagementScope);
  const client = useQueryClient();
  const files = useEngagementFiles(engagementId);
  const session = useSession();
  const options = (files.data?.items ?? []).flatMap((f) =>
    f.versions.map((v) => ({ value: `${f.id}@${v.version}`, label: `${f.name}, version ${v.version}` })),
  );
  const send = useMutation({
    mutationFn: (chosen: File) =>
      upload<EngagementFile>(
        `/engagements/${engagementId}/files?${new URLSearchParams({
          name: chosen.name,
          tag: 'other',
          filename: chosen.name,
        })}`,
        chosen,
      ),
    onSuccess: (saved) => {
      client.invalidateQueries({ queryKey: ['engagement-files', engagementId] });
      onChange({ file_id: saved.id, version: saved.latest_version });
    },
  });
  return (
    <Stack gap={4}>
      <Select
        id={id}
        label={label}
        description={description}
        error={error}
        withAsterisk={required}
        placeholder={options.length ? 'Pick a file of the engagement' : 'No file yet: upload one below'}
        data={options}
        value={isRef(value) ? `${value.file_id}@${value.version}` : null}
        onChange={(v) => {
          if (!v) return onChange(null);
          const at = v.lastIndexOf('@');
          onChange({ file_id: v.slice(0, at), version: Number(v.slice(at + 1)) });
        }}
        searchable
        clearable
      />
      {engagementId && can(session, 'write_records') ? (
        <FileInput
          label={`Upload a file for ${label}`}
          value={null}
          onChange={(chosen) => chosen && send.mutate(chosen)}
          disabled={send.isPending}
        />
      ) : null}
      <ErrorNote error={send.error} title="Not uploaded" />
    </Stack>
  );
}
