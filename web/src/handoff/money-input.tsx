import { Group, Select, TextInput, VisuallyHidden } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { currencyOptions, formatAmount, parseMoney } from '../money.js';
import { useSession } from '../session.js';
import type { FieldDef } from '../types.js';

export interface MoneyInputProps {
  field: FieldDef;
  value: unknown;
  onChange: (value: unknown) => void;
  id: string;
  label: string;
  error?: string | undefined;
  description?: string | undefined;
}

type Money = { amount_minor?: number; currency?: string };

/**
 * A money field: the amount as text, kept exactly as typed while it is edited and read in the
 * organisation's locale on every change (`parseMoney`); shown formatted in that locale when not
 * being edited; a problem with the text said once the field is left. Text that is not an amount
 * emits no value (the field is empty in the packet, so nothing wrong is saved from it). The
 * currency is picked from the ISO list, starting at the organisation's; a playbook may fix it.
 */
export function MoneyInput({ field, value, onChange, id, label, error, description }: MoneyInputProps) {
  const { organisation } = useSession();
  const locale = organisation.locale;
  const money = (value ?? {}) as Money;
  const amount = typeof money.amount_minor === 'number' ? money.amount_minor : undefined;
  const [picked, setPicked] = useState(money.currency ?? organisation.currency);
  const currency = field.currency ?? picked;
  const [text, setText] = useState(() =>
    amount === undefined ? '' : formatAmount(amount, currency, locale),
  );
  const [editing, setEditing] = useState(false);
  const [left, setLeft] = useState(false);
  // The amount this input last emitted: a different one arriving means someone else's save.
  const emitted = useRef(amount);
  const options = useMemo(() => currencyOptions(locale), [locale]);

  useEffect(() => {
    if (editing || amount === emitted.current) return;
    emitted.current = amount;
    setText(amount === undefined ? '' : formatAmount(amount, currency, locale));
    if (money.currency) setPicked(money.currency);
  }, [amount, money.currency, editing, currency, locale]);

  const read = (typed: string, code: string) =>
    typed.trim() === '' ? undefined : parseMoney(typed, locale, code);
  const emit = (typed: string, code: string) => {
    const parsed = read(typed, code);
    const minor = parsed?.ok ? parsed.minor : undefined;
    emitted.current = minor;
    onChange(minor === undefined ? undefined : { amount_minor: minor, currency: code });
  };
  const parsed = read(text, currency);
  const problem = left && !editing && parsed && !parsed.ok ? parsed.reason : undefined;

  return (
    <Group align="flex-start" gap="xs" wrap="wrap">
      <TextInput
        id={id}
        label={label}
        description={description}
        error={problem ?? error}
        withAsterisk={field.required}
        placeholder={field.placeholder}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        style={{ flex: '1 1 10rem' }}
        onFocus={() => setEditing(true)}
        onChange={(e) => {
          setText(e.currentTarget.value);
          emit(e.currentTarget.value, currency);
        }}
        onBlur={() => {
          setEditing(false);
          setLeft(true);
          if (parsed?.ok) setText(formatAmount(parsed.minor, currency, locale));
        }}
      />
      <Select
        id={`${id}-currency`}
        label={
          <>
            Currency<VisuallyHidden> of {label}</VisuallyHidden>
          </>
        }
        description={field.currency ? 'Fixed by the playbook' : undefined}
        data={options}
        value={currency}
        searchable
        allowDeselect={false}
        readOnly={!!field.currency}
        comboboxProps={{ width: 280, position: 'bottom-end' }}
        style={{ flex: '0 1 12rem' }}
        onChange={(code) => {
          if (!code) return;
          setPicked(code);
          emit(text, code);
        }}
      />
    </Group>
  );
}
