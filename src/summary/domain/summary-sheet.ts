import type { FieldDef, Packet, TransitionDef } from '../../playbooks/domain/playbook.js';

/** A value as the sheet shows it: a line of text, a list of lines, or a table. */
export type SheetValue =
  | { kind: 'text'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'empty' };

export interface SummarySheet {
  title: string;
  state: string;
  revision: number;
  playbook: { key: string; version: number; name: string };
  transition: { name: string; from: string; to: string };
  teams: { sending: string; receiving: string };
  account: string;
  engagement: { name: string; stage: string | null; contractSignedAt: string | null };
  sections: { title: string; fields: { label: string; value: SheetValue }[] }[];
  promises: { text: string; madeBy: string; inContract: boolean; status: string }[];
  scope: { in: string[]; out: string[] };
  contacts: { name: string; role: string; title: string | null; email: string | null }[];
  ladder: { label: string; value: string }[];
  questions: { open: number; answered: number };
  decision: { outcome: string; reason: string | null; explanation: string | null; at: string } | null;
  generatedAt: string;
}

const money = (v: { amount_minor?: unknown; currency?: unknown }): string => {
  const currency = typeof v.currency === 'string' ? v.currency : 'XXX';
  const minor = typeof v.amount_minor === 'number' ? v.amount_minor : 0;
  try {
    const digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
};

/** One value as plain words, by the field's type. */
export function formatScalar(field: FieldDef, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  switch (field.type) {
    case 'yes_no':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'money':
      return typeof value === 'object'
        ? money(value as { amount_minor?: unknown; currency?: unknown })
        : String(value);
    case 'enum': {
      const label = (v: unknown) => field.options?.find((o) => o.value === v)?.label ?? String(v);
      return Array.isArray(value) ? value.map(label).join(', ') : label(value);
    }
    case 'contact': {
      const c = value as {
        name?: string;
        role?: string;
        email?: string;
        phone?: string;
        organisation?: string;
      };
      return [
        c.name,
        c.role ? `(${c.role})` : '',
        c.organisation ? `— ${c.organisation}` : '',
        c.email ? `<${c.email}>` : '',
        c.phone ?? '',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'number':
      return typeof value === 'number' ? new Intl.NumberFormat('en').format(value) : String(value);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** A field's value laid out for the sheet. */
export function sheetValue(field: FieldDef, value: unknown): SheetValue {
  if (value === undefined || value === null || value === '') return { kind: 'empty' };
  if (field.type === 'list' && Array.isArray(value)) {
    return value.length ? { kind: 'lines', lines: value.map((v) => String(v)) } : { kind: 'empty' };
  }
  if (field.type === 'checklist' && typeof value === 'object') {
    const done = value as Record<string, unknown>;
    return {
      kind: 'lines',
      lines: (field.items ?? []).map((i) => `${done[i.key] === true ? '☑' : '☐'} ${i.label}`),
    };
  }
  if (field.type === 'table' && Array.isArray(value)) {
    const columns = field.columns ?? [];
    if (!value.length) return { kind: 'empty' };
    return {
      kind: 'table',
      columns: columns.map((c) => c.label),
      rows: value.map((row) =>
        columns.map((c) => formatScalar(c, (row as Record<string, unknown>)?.[c.key])),
      ),
    };
  }
  return { kind: 'text', text: formatScalar(field, value) };
}

/** The packet's sections as the sheet shows them, in playbook order. */
export function sheetSections(transition: TransitionDef, packet: Packet): SummarySheet['sections'] {
  return transition.sections.map((section) => ({
    title: section.title,
    fields: section.fields.map((field) => ({
      label: field.label,
      value: sheetValue(field, packet[section.key]?.[field.key]),
    })),
  }));
}
