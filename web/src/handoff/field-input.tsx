import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  PasswordInput,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { FileFieldInput } from '../closeout/files.js';
import type { FieldDef } from '../types.js';
import { MoneyInput } from './money-input.js';

export interface FieldInputProps {
  field: FieldDef;
  value: unknown;
  onChange: (value: unknown) => void;
  id: string;
  error?: string | undefined;
  description?: string | undefined;
  users: { value: string; label: string; teams: string[] }[];
  /** A shorter label, for table columns: the row is named around it. */
  label?: string;
}

const blank = (v: unknown) => v === undefined || v === null || v === '';

/** One packet field, rendered by its type, emitting the value in the packet's own shape. */
export function FieldInput({
  field,
  value,
  onChange,
  id,
  error,
  description,
  users,
  label,
}: FieldInputProps) {
  const common = {
    id,
    label: label ?? field.label,
    description,
    error,
    withAsterisk: field.required,
    placeholder: field.placeholder,
  };
  switch (field.type) {
    case 'secret':
      return <SecretInput common={common} value={value} onChange={onChange} />;
    case 'file':
      return (
        <FileFieldInput
          id={id}
          label={label ?? field.label}
          description={description}
          error={error}
          required={field.required}
          value={value}
          onChange={onChange}
        />
      );
    case 'text':
      return (
        <TextInput
          {...common}
          value={typeof value === 'string' ? value : ''}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
        />
      );
    case 'long_text':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          maxRows={12}
          value={typeof value === 'string' ? value : ''}
          maxLength={field.maxLength}
          onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          min={field.min}
          max={field.max}
          allowDecimal={!field.integer}
          onChange={(v) => onChange(typeof v === 'number' ? v : v === '' ? undefined : Number(v))}
        />
      );
    case 'money':
      return (
        <MoneyInput {...{ field, value, onChange, id, error, description }} label={label ?? field.label} />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value || undefined)}
        />
      );
    case 'enum': {
      const data = (field.options ?? []).map((o) => ({ value: o.value, label: o.label }));
      return field.multiple ? (
        <MultiSelect
          {...common}
          data={data}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={(v) => onChange(v.length ? v : undefined)}
          clearable
        />
      ) : (
        <Select
          {...common}
          data={data}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v ?? undefined)}
          clearable
        />
      );
    }
    case 'user':
      return (
        <Select
          {...common}
          data={users
            .filter((u) => field.team === undefined || u.teams.includes(field.team))
            .map(({ value, label }) => ({ value, label }))}
          searchable
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v ?? undefined)}
          clearable
        />
      );
    case 'yes_no':
      return (
        <Radio.Group
          {...common}
          value={value === true ? 'yes' : value === false ? 'no' : ''}
          onChange={(v) => onChange(v === 'yes' ? true : v === 'no' ? false : undefined)}
        >
          <Group mt={4}>
            <Radio value="yes" label="Yes" id={`${id}-yes`} />
            <Radio value="no" label="No" id={`${id}-no`} />
          </Group>
        </Radio.Group>
      );
    case 'checklist': {
      const ticks = (value ?? {}) as Record<string, boolean>;
      return (
        <Checkbox.Group
          {...common}
          value={Object.keys(ticks).filter((k) => ticks[k])}
          onChange={(keys) =>
            onChange(
              keys.length
                ? Object.fromEntries((field.items ?? []).map((i) => [i.key, keys.includes(i.key)]))
                : undefined,
            )
          }
        >
          <Stack gap={6} mt={4}>
            {(field.items ?? []).map((i) => (
              <Checkbox key={i.key} value={i.key} label={i.label} id={`${id}-${i.key}`} />
            ))}
          </Stack>
        </Checkbox.Group>
      );
    }
    case 'contact':
      return (
        <ContactInput {...{ field, value, onChange, id, error, description }} label={label ?? field.label} />
      );
    case 'list':
      return (
        <ListInput {...{ field, value, onChange, id, error, description }} label={label ?? field.label} />
      );
    case 'table':
      return (
        <TableInput
          {...{ field, value, onChange, id, error, description, users }}
          label={label ?? field.label}
        />
      );
  }
}

function Fieldset({
  label,
  description,
  error,
  required,
  children,
  id,
}: {
  label: string;
  description?: string | undefined;
  error?: string | undefined;
  required: boolean;
  children: React.ReactNode;
  id: string;
}) {
  return (
    <fieldset
      id={id}
      style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend style={{ padding: 0 }}>
        <Text size="sm" fw={500} span>
          {label}
        </Text>
        {required ? (
          <Text span c="red" aria-hidden>
            {' '}
            *
          </Text>
        ) : null}
      </legend>
      {description ? (
        <Text size="xs" c="dimmed" mb={4}>
          {description}
        </Text>
      ) : null}
      {children}
      {error ? (
        <Text size="xs" c="red.9" id={`${id}-error`} mt={4}>
          {error}
        </Text>
      ) : null}
    </fieldset>
  );
}

const CONTACT_PARTS = [
  ['name', 'Name'],
  ['role', 'Their role'],
  ['email', 'E-mail'],
  ['phone', 'Phone'],
  ['organisation', 'Organisation'],
] as const;

function ContactInput({
  field,
  value,
  onChange,
  id,
  error,
  description,
  label,
}: Omit<FieldInputProps, 'users'> & { label: string }) {
  const contact = (value ?? {}) as Record<string, string | undefined>;
  const set = (key: string, v: string) => {
    const next = { ...contact, [key]: v === '' ? undefined : v };
    const clean = Object.fromEntries(Object.entries(next).filter(([, x]) => !blank(x)));
    onChange(Object.keys(clean).length ? clean : undefined);
  };
  return (
    <Fieldset id={id} label={label} description={description} error={error} required={field.required}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        {CONTACT_PARTS.map(([key, words]) => (
          <TextInput
            key={key}
            id={`${id}-${key}`}
            label={`${label}: ${words.toLowerCase()}`}
            type={key === 'email' ? 'email' : 'text'}
            value={contact[key] ?? ''}
            onChange={(e) => set(key, e.currentTarget.value)}
            size="sm"
          />
        ))}
      </SimpleGrid>
    </Fieldset>
  );
}

/** The entries of a list that say something. */
const filledOf = (list: unknown[]) => list.filter((x) => !blank(x));

function ListInput({
  field,
  value,
  onChange,
  id,
  error,
  description,
  label,
}: Omit<FieldInputProps, 'users'> & { label: string }) {
  const items = Array.isArray(value) ? (value as unknown[]) : [];
  // The rows on screen, blank ones included; the packet gets the filled ones only, so a row just
  // added (or emptied while retyping) is not an error before anything was typed in it.
  const [rows, setRows] = useState<unknown[]>(() => (items.length ? items : [undefined]));
  const outside = JSON.stringify(items);
  // The packet changed from elsewhere (a reload, another tab's save): show it as it is.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only an outside change of the value resyncs
  useEffect(() => {
    const now = JSON.parse(outside) as unknown[];
    if (JSON.stringify(filledOf(rows)) !== outside) setRows(now.length ? now : [undefined]);
  }, [outside]);
  const shown = rows.length ? rows : [undefined];
  const emit = (next: unknown[]) => {
    setRows(next.length ? next : [undefined]);
    const kept = filledOf(next);
    onChange(kept.length ? kept : undefined);
  };
  const setAt = (i: number, v: unknown) => emit(shown.map((x, j) => (j === i ? v : x)));
  return (
    <Fieldset id={id} label={label} description={description} error={error} required={field.required}>
      <Stack gap={6}>
        {shown.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: list entries have no identity beyond their place
          <Group key={i} gap={6} wrap="nowrap" align="flex-start">
            {field.of === 'number' ? (
              <NumberInput
                aria-label={`${label}, item ${i + 1}`}
                value={typeof item === 'number' ? item : ''}
                onChange={(v) => setAt(i, typeof v === 'number' ? v : undefined)}
                style={{ flex: 1 }}
              />
            ) : (
              <TextInput
                aria-label={`${label}, item ${i + 1}`}
                type={field.of === 'date' ? 'date' : 'text'}
                value={typeof item === 'string' ? item : ''}
                onChange={(e) => setAt(i, e.currentTarget.value)}
                style={{ flex: 1 }}
              />
            )}
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove item ${i + 1} of ${label}`}
              onClick={() => emit(shown.filter((_, j) => j !== i))}
              disabled={shown.length === 1 && blank(shown[0])}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button
          variant="light"
          size="xs"
          w="fit-content"
          onClick={() => emit([...shown.map((x) => x ?? ''), ''])}
        >
          Add item to {label}
        </Button>
      </Stack>
    </Fieldset>
  );
}

function TableInput({
  field,
  value,
  onChange,
  id,
  error,
  description,
  users,
  label,
}: FieldInputProps & { label: string }) {
  const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const columns = field.columns ?? [];
  const setRow = (i: number, key: string, v: unknown) => {
    const next = rows.map((r, j) => {
      if (j !== i) return r;
      const row = { ...r, [key]: v };
      if (blank(v)) delete row[key];
      return row;
    });
    onChange(next);
  };
  return (
    <Fieldset id={id} label={label} description={description} error={error} required={field.required}>
      <Stack gap="xs">
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed">
            No rows yet.
          </Text>
        ) : null}
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no identity
          <Paper key={i} withBorder p="xs">
            <Group justify="space-between" mb={4}>
              <Text size="xs" fw={600} c="dimmed">
                Row {i + 1}
              </Text>
              <Button
                variant="subtle"
                color="red"
                size="compact-xs"
                onClick={() => {
                  const next = rows.filter((_, j) => j !== i);
                  onChange(next.length ? next : undefined);
                }}
              >
                Remove row {i + 1}
              </Button>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: Math.min(columns.length, 3) }} spacing="xs">
              {columns.map((c) => (
                <FieldInput
                  key={c.key}
                  field={c}
                  id={`${id}-${i}-${c.key}`}
                  label={`${c.label} (row ${i + 1})`}
                  value={row[c.key]}
                  onChange={(v) => setRow(i, c.key, v)}
                  users={users}
                />
              ))}
            </SimpleGrid>
          </Paper>
        ))}
        <Button variant="light" size="xs" w="fit-content" onClick={() => onChange([...rows, {}])}>
          Add row to {label}
        </Button>
      </Stack>
    </Fieldset>
  );
}

/**
 * A `secret` field: typed once, stored in the engagement's vault when the packet is saved. The
 * packet then holds only a reference, shown here as "kept in the vault"; typing replaces it, and
 * clearing what was typed keeps the stored one.
 */
function SecretInput({
  common,
  value,
  onChange,
}: {
  common: { id: string; label: string; description?: string | undefined; error?: string | undefined };
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const [stored, setStored] = useState(() =>
    typeof value === 'object' && value !== null ? value : undefined,
  );
  // Once saved, the field holds the vault reference: clearing what is typed next keeps it.
  useEffect(() => {
    if (typeof value === 'object' && value !== null) setStored(value);
  }, [value]);
  return (
    <PasswordInput
      {...common}
      autoComplete="new-password"
      value={typeof value === 'string' ? value : ''}
      placeholder={stored ? '•••••••• kept in the vault; type to replace' : 'Stored in the vault on save'}
      maxLength={4000}
      onChange={(e) => onChange(e.currentTarget.value === '' ? stored : e.currentTarget.value)}
    />
  );
}
