import type { ErrorDetail } from '../../kernel/errors.js';
import type { FieldDef, InboundDef, Packet, TransitionDef } from '../../playbooks/domain/playbook.js';
import { type CrmKind, type Deal, ENVELOPE_PATHS } from './crm-deals.js';

/** What a deal fills through a playbook's `inbound` mapping, and what it could not. */
export interface MappedDeal {
  account: { name: string; external_ids: Record<string, string> };
  engagement: { name: string; external_ids: Record<string, string>; contract_signed_at: string | null };
  contact?: {
    name: string;
    email: string | null;
    phone: string | null;
    title: string | null;
    external_ids: Record<string, string>;
  };
  packet: Packet;
  /** Values that do not fit where the mapping sends them, and what the draft still lacks. */
  invalid: ErrorDetail[];
  /** Values of the deal that no mapping sends anywhere: listed, not dropped silently. */
  unmapped: ErrorDetail[];
}

/** The value at a dotted path (`data.title`, `results.0.id`), or undefined. */
function at(record: unknown, path: string): unknown {
  let value = record;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Every scalar of a record with its dotted path (the deal's fields, for the unmapped list). */
function leaves(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== null && value !== undefined && value !== '') out.push([prefix, value]);
  return out;
}

const show = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
};

/**
 * Maps a won deal through the playbook's `inbound` section: each entry's first `maps_from` of this
 * kind that the deal carries fills its target; a packet value is converted to its field's type or,
 * if it does not fit, named in `invalid` and left out. The deal's own ids become the records'
 * external ids (`<kind>: <id>`) unless the mapping names others.
 */
export function mapDeal(
  kind: CrmKind,
  deal: Deal,
  inbound: InboundDef,
  transition: TransitionDef,
): MappedDeal {
  const values = new Map<string, { value: unknown; from: string }>();
  const used = new Set<string>();
  for (const entry of inbound.fields) {
    for (const source of entry.mapsFrom) {
      const [prefix, ...rest] = source.split('.');
      if (prefix !== kind) continue;
      const path = rest.join('.');
      used.add(path);
      const value = at(deal.record, path);
      if (value !== undefined && value !== null && value !== '' && !values.has(entry.to))
        values.set(entry.to, { value, from: source });
    }
  }
  const text = (to: string): string | null => {
    const v = values.get(to)?.value;
    return v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const invalid: ErrorDetail[] = [];
  const ids = (to: string, own: string | undefined) => {
    const mapped = text(to);
    const id = mapped ?? own;
    return id ? { [kind]: id.slice(0, 200) } : {};
  };

  const engagementName = text('engagement.name') ?? deal.label;
  if (!values.has('engagement.name'))
    invalid.push({
      path: '/engagement/name',
      message: `no mapping gave it a value: named "${engagementName}"`,
    });
  const accountName = text('account.name');
  const signed = text('engagement.contract_signed_at');
  const contactName = text('contact.name');
  const contactEmail = text('contact.email');
  const mapped: MappedDeal = {
    account: {
      name: accountName ?? engagementName,
      external_ids: ids('account.external_id', deal.ids.account),
    },
    engagement: {
      name: engagementName,
      external_ids: ids('engagement.external_id', deal.ids.engagement),
      contract_signed_at: signed && /^\d{4}-\d{2}-\d{2}$/.test(signed) ? `${signed}T00:00:00Z` : signed,
    },
    packet: {},
    invalid,
    unmapped: [],
  };
  if (!accountName && !deal.ids.account)
    invalid.push({
      path: '/account/name',
      message: `no mapping gave it a value: a new account named "${engagementName}"`,
    });
  if (contactName || contactEmail) {
    mapped.contact = {
      name: contactName ?? contactEmail ?? '',
      email: contactEmail,
      phone: text('contact.phone'),
      title: text('contact.title'),
      external_ids: ids('contact.external_id', deal.ids.contact),
    };
  }

  for (const [to, { value, from }] of values) {
    const target = /^packet\.([^.]+)\.([^.]+)$/.exec(to);
    if (!target) continue;
    const [, sectionKey, fieldKey] = target as unknown as [string, string, string];
    const field = transition.sections
      .find((s) => s.key === sectionKey)
      ?.fields.find((f) => f.key === fieldKey);
    if (!field) continue;
    const converted = convert(field, value, deal.currency);
    if ('error' in converted)
      invalid.push({
        path: `/packet/${sectionKey}/${fieldKey}`,
        message: `${show(value)} (from ${from}) ${converted.error}: left empty`,
      });
    else {
      mapped.packet[sectionKey] ??= {};
      mapped.packet[sectionKey][fieldKey] = converted.value;
    }
  }

  const envelope = ENVELOPE_PATHS[kind];
  for (const [path, value] of leaves(deal.record)) {
    if (used.has(path) || envelope.test(path)) continue;
    mapped.unmapped.push({
      path: `/deal/${path.replaceAll('.', '/')}`,
      message: `${show(value)}: no mapping of the playbook takes ${kind}.${path}`,
    });
  }
  return mapped;
}

/** One value converted to a field's type, or why it does not fit. */
export function convert(
  field: FieldDef,
  value: unknown,
  currency?: string,
): { value: unknown } | { error: string } {
  const str =
    typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  switch (field.type) {
    case 'text':
    case 'long_text': {
      if (str === undefined) return { error: 'is not text' };
      const max = field.maxLength ?? (field.type === 'text' ? 2000 : 20000);
      return str.length > max ? { error: `is longer than ${max} characters` } : { value: str };
    }
    case 'number': {
      const n = str === undefined || str === '' ? Number.NaN : Number(str);
      if (!Number.isFinite(n)) return { error: 'is not a number' };
      if (field.integer && !Number.isInteger(n)) return { error: 'is not a whole number' };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
        return { error: 'is out of the field’s range' };
      return { value: n };
    }
    case 'money': {
      const n = str === undefined || str === '' ? Number.NaN : Number(str);
      if (!Number.isFinite(n) || Math.abs(n) > 1e13) return { error: 'is not an amount' };
      const code = field.currency ?? currency;
      if (!code || !/^[A-Z]{3}$/.test(code))
        return { error: 'has no currency (the field names none, nor the deal)' };
      if (field.currency && currency && currency !== field.currency)
        return { error: `is in ${currency}, the field takes ${field.currency}` };
      return { value: { amount_minor: Math.round(n * 100), currency: code } };
    }
    case 'date': {
      if (typeof value === 'number' && value > 1e11)
        return { value: new Date(value).toISOString().slice(0, 10) };
      if (str && /^\d{4}-\d{2}-\d{2}/.test(str) && !Number.isNaN(Date.parse(str.slice(0, 10))))
        return { value: str.slice(0, 10) };
      return { error: 'is not a date' };
    }
    case 'yes_no': {
      if (value === true || value === false) return { value };
      const word = str?.toLowerCase();
      if (word === 'true' || word === 'yes') return { value: true };
      if (word === 'false' || word === 'no') return { value: false };
      return { error: 'is not yes or no' };
    }
    case 'enum': {
      const option = field.options?.find(
        (o) => o.value === str || o.label.toLowerCase() === str?.toLowerCase(),
      );
      if (!option) return { error: `is not one of ${field.options?.map((o) => o.value).join(', ')}` };
      return { value: field.multiple ? [option.value] : option.value };
    }
    default:
      return { error: `cannot fill a ${field.type} field` };
  }
}
