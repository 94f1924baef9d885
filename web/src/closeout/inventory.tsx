import {
  ActionIcon,
  Alert,
  Button,
  FileButton,
  Group,
  List,
  Paper,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, apiSend } from '../api.js';
import { shortDay } from '../format.js';
import { EmptyState, ErrorNote } from '../parts.js';
import type { InventoryItem, Page } from '../types.js';
import { GridScroll } from './grid-scroll.js';

/** The grid's columns: the fields of an item, in the order the CSV file lists them. */
const COLUMNS = [
  ['type', 'Type'],
  ['make', 'Make'],
  ['model', 'Model'],
  ['serial', 'Serial'],
  ['location', 'Location'],
  ['network_address', 'Network address'],
  ['firmware_version', 'Firmware'],
  ['installed_on', 'Installed on'],
  ['warranty_until', 'Warranty until'],
] as const;
type Column = (typeof COLUMNS)[number][0];
const DAYS = new Set<Column>(['installed_on', 'warranty_until']);

/**
 * The engagement's inventory: an editable grid (each cell saved as it is left), a row to add an
 * item, CSV import (every bad line listed, nothing imported) and CSV export. The grid scrolls
 * inside itself on a phone. Callers who may not change records see it read-only.
 */
export function InventorySection({ engagementId, canEdit }: { engagementId: string; canEdit: boolean }) {
  const client = useQueryClient();
  const key = ['inventory', engagementId];
  const list = useQuery({
    queryKey: key,
    queryFn: () => api<Page<InventoryItem>>('GET', `/engagements/${engagementId}/inventory`),
  });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: key });
    await client.invalidateQueries({ queryKey: ['closeout', engagementId] });
  };
  const importCsv = useMutation({
    mutationFn: (file: File) =>
      apiSend<{ imported: number }>(
        'POST',
        `/engagements/${engagementId}/inventory/import`,
        file,
        'text/csv',
      ),
    onSuccess: refresh,
  });
  const importError = importCsv.error instanceof ApiError ? importCsv.error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="inventory-title">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="inventory-title">
          Inventory
        </Title>
        <Group gap="xs">
          {canEdit ? (
            <FileButton onChange={(file) => file && importCsv.mutate(file)} accept=".csv,text/csv">
              {(props) => (
                <Button {...props} variant="default" size="xs" loading={importCsv.isPending}>
                  Import CSV
                </Button>
              )}
            </FileButton>
          ) : null}
          <Button
            component="a"
            href={`/api/v1/engagements/${engagementId}/inventory.csv`}
            download
            variant="default"
            size="xs"
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      {importCsv.data ? (
        <Alert color="green" mb="sm" role="status">
          Imported {importCsv.data.imported} item{importCsv.data.imported === 1 ? '' : 's'}.
        </Alert>
      ) : null}
      {importError ? (
        <Alert color="red" mb="sm" role="alert" title={importError.message}>
          {importError.errors.length ? (
            <List size="sm" data-testid="import-errors">
              {importError.errors.map((e) => (
                <List.Item key={`${e.line}-${e.path}-${e.message}`}>
                  {e.line ? `Line ${e.line}: ` : ''}
                  {e.message.replace(/^line \d+: /, '')}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : (
        <ErrorNote error={importCsv.error} />
      )}
      <ErrorNote error={list.error} />
      {list.data && list.data.items.length === 0 && !canEdit ? (
        <EmptyState title="No devices listed yet">
          What was installed is listed here by operations.
        </EmptyState>
      ) : null}
      {list.data && (list.data.items.length > 0 || canEdit) ? (
        <GridScroll minWidth={1100} label="Inventory items (scrolls sideways)">
          <Table striped withTableBorder aria-label="Inventory items">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map(([k, label]) => (
                  <Table.Th key={k} scope="col">
                    {label}
                  </Table.Th>
                ))}
                {canEdit ? (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((item, index) =>
                canEdit ? (
                  <EditableRow key={item.id} item={item} row={index + 1} onChanged={refresh} />
                ) : (
                  <Table.Tr key={item.id}>
                    {COLUMNS.map(([k]) => (
                      <Table.Td key={k}>{cellText(item, k)}</Table.Td>
                    ))}
                  </Table.Tr>
                ),
              )}
              {canEdit ? <NewRow engagementId={engagementId} onAdded={refresh} /> : null}
            </Table.Tbody>
          </Table>
        </GridScroll>
      ) : null}
      <Text size="xs" c="dimmed" mt="xs">
        CSV columns: {COLUMNS.map(([, label]) => label).join(', ')} (Type required; days as YYYY-MM-DD). A
        file with any bad line imports nothing.
      </Text>
    </Paper>
  );
}

function cellText(item: InventoryItem, k: Column): string {
  const value = item[k];
  if (!value) return '';
  return DAYS.has(k) ? shortDay(value) : value;
}

/** One item, each cell an input saved when it is left with a new value. */
function EditableRow({
  item,
  row,
  onChanged,
}: {
  item: InventoryItem;
  row: number;
  onChanged: () => Promise<void>;
}) {
  const [draft, setDraft] = useState<Partial<Record<Column, string>>>({});
  const save = useMutation({
    mutationFn: (change: Partial<Record<Column, string | null>>) =>
      api('PATCH', `/inventory/${item.id}`, change),
    onSuccess: async () => {
      setDraft({});
      await onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/inventory/${item.id}`),
    onSuccess: onChanged,
  });
  const error = save.error instanceof ApiError ? save.error : null;
  const leave = (k: Column) => {
    const value = draft[k];
    if (value === undefined || value === (item[k] ?? '')) return;
    save.mutate({ [k]: value.trim() === '' && k !== 'type' ? null : value });
  };
  return (
    <Table.Tr>
      {COLUMNS.map(([k, label]) => (
        <Table.Td key={k}>
          <TextInput
            size="xs"
            aria-label={`${label}, row ${row}`}
            value={draft[k] ?? item[k] ?? ''}
            placeholder={DAYS.has(k) ? 'YYYY-MM-DD' : undefined}
            error={error?.forPath(`/${k}`)}
            onChange={(e) => setDraft({ ...draft, [k]: e.currentTarget.value })}
            onBlur={() => leave(k)}
          />
        </Table.Td>
      ))}
      <Table.Td>
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={`Remove row ${row} (${item.product})`}
          onClick={() => remove.mutate()}
          loading={remove.isPending}
        >
          ×
        </ActionIcon>
      </Table.Td>
    </Table.Tr>
  );
}

/** The last row of the grid: a new item, added with its Add button. */
function NewRow({ engagementId, onAdded }: { engagementId: string; onAdded: () => Promise<void> }) {
  const [values, setValues] = useState<Partial<Record<Column, string>>>({});
  const add = useMutation({
    mutationFn: () =>
      api('POST', `/engagements/${engagementId}/inventory`, {
        ...Object.fromEntries(Object.entries(values).filter(([, v]) => v?.trim())),
        type: values.type ?? '',
      }),
    onSuccess: async () => {
      setValues({});
      await onAdded();
    },
  });
  const error = add.error instanceof ApiError ? add.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Table.Tr>
      {COLUMNS.map(([k, label]) => (
        <Table.Td key={k}>
          <TextInput
            size="xs"
            form={`new-item-${engagementId}`}
            aria-label={`${label} of a new item`}
            placeholder={k === 'type' ? 'Type (required)' : DAYS.has(k) ? 'YYYY-MM-DD' : label}
            value={values[k] ?? ''}
            error={error?.forPath(`/${k}`)}
            onChange={(e) => setValues({ ...values, [k]: e.currentTarget.value })}
          />
        </Table.Td>
      ))}
      <Table.Td>
        <form id={`new-item-${engagementId}`} onSubmit={submit}>
          <Button type="submit" size="xs" loading={add.isPending}>
            Add
          </Button>
        </form>
        {error && !COLUMNS.some(([k]) => error.forPath(`/${k}`)) ? (
          <Text size="xs" c="red" role="alert">
            {error.message}
          </Text>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}
