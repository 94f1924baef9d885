import type { FieldDef, Packet, TransitionDef } from '../../playbooks/domain/playbook.js';

/** A value as the sheet shows it: a line of text, a list of lines, or a table. */
export type SheetValue =
  | { kind: 'text'; text: string }
  | { kind: 'lines'; lines: string[] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'empty' };

/** One labelled value of the sheet. */
export interface SheetField {
  label: string;
  value: SheetValue;
}

/**
 * The one-page summary a receiving team (and the client) reads: what the client wants in their
 * words, what was sold and promised, who is who, the dates that matter and what is still open.
 * Curated from the packet and the engagement's records: empty fields are left out, fields shown
 * in a block of their own (promises, scope, the success ladder, people, dates, risks) are not
 * repeated under their section, and every value is formatted for people (money and dates in the
 * organisation's locale and time zone).
 */
export interface SummarySheet {
  title: string;
  state: string;
  revision: number;
  playbook: { key: string; version: number; name: string };
  transition: { name: string; from: string; to: string };
  teams: { sending: string; receiving: string };
  account: string;
  engagement: { name: string; stage: string | null };
  /** The client's goal in their own words, when the packet or the ladder gives it. */
  goal: string | null;
  /** The success ladder's other rungs (metric, earliest signal, early win…), filled ones only. */
  ladder: { label: string; value: string }[];
  scope: { in: string[]; out: string[] };
  promises: { text: string; kind: 'in the contract' | 'verbal'; owner: string; status: string }[];
  /** The people the packet names: contact fields, and contact columns of its tables. */
  people: { name: string; role: string | null; detail: string }[];
  /** Contract signed, submitted, decided, and the packet's own date fields, formatted. */
  dates: { label: string; value: string }[];
  /** What is still open: the packet's risk fields and unanswered questions. */
  risks: string[];
  /** The rest of the packet, section by section, filled fields only. */
  sections: { title: string; fields: SheetField[] }[];
  decision: { outcome: string; reason: string | null; explanation: string | null; at: string } | null;
  generatedAt: string;
}

/** How the organisation reads money, numbers and dates. */
export interface SheetFormats {
  locale: string;
  timeZone: string;
}

const money = (v: { amount_minor?: unknown; currency?: unknown }, locale: string): string => {
  const currency = typeof v.currency === 'string' ? v.currency : 'XXX';
  const minor = typeof v.amount_minor === 'number' ? v.amount_minor : 0;
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
};

/** A calendar date (`YYYY-MM-DD`) as the locale writes it, e.g. "3 Mar 2026" in en-GB. */
export function formatDate(value: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** An instant as the locale writes it in the organisation's time zone, e.g. "3 Mar 2026, 15:00". */
export function formatInstant(iso: string, f: SheetFormats): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(f.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: f.timeZone,
  }).format(date);
}

/** One value as plain words, by the field's type, in the locale. */
export function formatScalar(field: FieldDef, value: unknown, locale = 'en-GB'): string {
  if (value === undefined || value === null || value === '') return '';
  switch (field.type) {
    case 'yes_no':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'money':
      return typeof value === 'object'
        ? money(value as { amount_minor?: unknown; currency?: unknown }, locale)
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
      return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : String(value);
    case 'date':
      return typeof value === 'string' ? formatDate(value, locale) : String(value);
    case 'file': {
      // The use case names the file when the engagement has it (`name`).
      const ref = value as { file_id?: unknown; version?: unknown; name?: unknown };
      return typeof ref.name === 'string'
        ? `${ref.name}, version ${String(ref.version)}`
        : `File ${String(ref.file_id)}, version ${String(ref.version)} (in the engagement's closeout files)`;
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** A field's value laid out for the sheet. */
export function sheetValue(field: FieldDef, value: unknown, locale = 'en-GB'): SheetValue {
  // A secret is never printed: the sheet goes to people and files the vault does not govern. It
  // says only that the value is kept in the engagement's vault, masked.
  if (field.type === 'secret')
    return value === undefined || value === null || value === ''
      ? { kind: 'empty' }
      : { kind: 'text', text: '•••••••• (kept in the vault)' };
  if (value === undefined || value === null || value === '') return { kind: 'empty' };
  if (field.type === 'list' && Array.isArray(value)) {
    return value.length
      ? {
          kind: 'lines',
          lines: value.map((v) => (field.of === 'date' ? formatDate(String(v), locale) : String(v))),
        }
      : { kind: 'empty' };
  }
  if (field.type === 'checklist' && typeof value === 'object') {
    const ticked = value as Record<string, unknown>;
    const items = field.items ?? [];
    const done = items.filter((i) => ticked[i.key] === true).map((i) => i.label);
    const open = items.filter((i) => ticked[i.key] !== true).map((i) => i.label);
    const lines = [
      ...(done.length ? [`Done: ${done.join('; ')}`] : []),
      ...(open.length ? [`Still open: ${open.join('; ')}`] : []),
    ];
    return lines.length ? { kind: 'lines', lines } : { kind: 'empty' };
  }
  if (field.type === 'table' && Array.isArray(value)) {
    const columns = field.columns ?? [];
    if (!value.length) return { kind: 'empty' };
    return {
      kind: 'table',
      columns: columns.map((c) => c.label),
      rows: value.map((row) =>
        columns.map((c) => formatScalar(c, (row as Record<string, unknown>)?.[c.key], locale)),
      ),
    };
  }
  if (
    typeof value === 'object' &&
    field.type !== 'money' &&
    field.type !== 'contact' &&
    field.type !== 'file'
  ) {
    return { kind: 'empty' };
  }
  const text = formatScalar(field, value, locale);
  return text ? { kind: 'text', text } : { kind: 'empty' };
}

/** A field a block of the sheet shows on its own, so its section does not repeat it. */
function hasBlockOfItsOwn(field: FieldDef): boolean {
  return field.mapsTo !== undefined || field.type === 'contact' || field.type === 'date' || isRisk(field);
}

/** A field about risks: its key or label says so ("open_risks", "Known risks"…). */
function isRisk(field: FieldDef): boolean {
  return /risk/i.test(field.key) || /risk/i.test(field.label);
}

/** Each field of the packet with its value, in playbook order. */
function fieldsOf(transition: TransitionDef, packet: Packet) {
  return transition.sections.flatMap((section) =>
    section.fields.map((field) => ({ section, field, value: packet[section.key]?.[field.key] })),
  );
}

/**
 * The rest of the packet as the sheet shows it, in playbook order: filled fields only, and none a
 * block of its own shows; sections left with nothing are left out.
 *
 * @example
 *   sheetSections(transition, { goal: { client_goal: 'Cut churn' }, ops: { crew: 'Team B' } }, 'en-GB')
 *   // → [{ title: 'Operations', fields: [{ label: 'Crew', value: { kind: 'text', text: 'Team B' } }] }]
 */
export function sheetSections(
  transition: TransitionDef,
  packet: Packet,
  locale = 'en-GB',
): SummarySheet['sections'] {
  return transition.sections
    .map((section) => ({
      title: section.title,
      fields: section.fields
        .filter((field) => !hasBlockOfItsOwn(field))
        .map((field) => ({
          label: field.label,
          value: sheetValue(field, packet[section.key]?.[field.key], locale),
        }))
        .filter((f) => f.value.kind !== 'empty'),
    }))
    .filter((section) => section.fields.length > 0);
}

/** The people the packet names: its contact fields, and the contact columns of its tables. */
export function packetPeople(transition: TransitionDef, packet: Packet): SummarySheet['people'] {
  const people: SummarySheet['people'] = [];
  const add = (field: FieldDef, value: unknown) => {
    if (!value || typeof value !== 'object') return;
    const c = value as {
      name?: unknown;
      role?: unknown;
      email?: unknown;
      phone?: unknown;
      organisation?: unknown;
    };
    if (typeof c.name !== 'string' || !c.name.trim()) return;
    const detail = [c.organisation, c.email, c.phone].filter(
      (v): v is string => typeof v === 'string' && v !== '',
    );
    const role = typeof c.role === 'string' && c.role ? c.role : field.label;
    people.push({ name: c.name.trim(), role, detail: detail.join(' · ') });
  };
  for (const { field, value } of fieldsOf(transition, packet)) {
    if (field.type === 'contact') add(field, value);
    if (field.type === 'table' && Array.isArray(value)) {
      for (const column of (field.columns ?? []).filter((c) => c.type === 'contact'))
        for (const row of value) add(column, (row as Record<string, unknown>)?.[column.key]);
    }
  }
  return people;
}

/** The packet's own dates (date fields, filled), labelled, formatted in the locale. */
export function packetDates(
  transition: TransitionDef,
  packet: Packet,
  locale = 'en-GB',
): SummarySheet['dates'] {
  return fieldsOf(transition, packet).flatMap(({ field, value }) =>
    field.type === 'date' && typeof value === 'string' && value
      ? [{ label: field.label, value: formatDate(value, locale) }]
      : [],
  );
}

/** What the packet says is still at risk: its risk fields, as lines. */
export function packetRisks(transition: TransitionDef, packet: Packet, locale = 'en-GB'): string[] {
  return fieldsOf(transition, packet).flatMap(({ field, value }) =>
    isRisk(field) ? linesOf(sheetValue(field, value, locale)) : [],
  );
}

/** A shown value as lines of text (a table's rows joined cell by cell). */
function linesOf(shown: SheetValue): string[] {
  switch (shown.kind) {
    case 'text':
      return [shown.text];
    case 'lines':
      return shown.lines;
    case 'table':
      return shown.rows.map((r) => r.filter(Boolean).join(' · '));
    case 'empty':
      return [];
  }
}

/** The rungs below the goal, in the order the sheet lists them, by the field they map from. */
export const LADDER_RUNGS = [
  ['success.metric', 'Success metric'],
  ['success.earliest_signal', 'Earliest signal of progress'],
  ['success.early_win', 'Early win (first month)'],
  ['success.minimum_outcome', 'Minimum acceptable outcome'],
  ['success.ultimate_objective', 'Ultimate objective'],
] as const;

/**
 * What the packet's mapped fields say of the goal, the ladder, scope and promises, for a handoff
 * never submitted (once submitted, they are the engagement's records, which may have moved on).
 *
 * @example
 *   packetRecords(transition, packet).scope.in // ['42 IP cameras', 'Card access, 12 doors']
 */
export function packetRecords(
  transition: TransitionDef,
  packet: Packet,
): Pick<SummarySheet, 'goal' | 'ladder' | 'scope' | 'promises'> {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const lines = (v: unknown) => (Array.isArray(v) ? v.map(text).filter(Boolean) : text(v) ? [text(v)] : []);
  const out: Pick<SummarySheet, 'goal' | 'ladder' | 'scope' | 'promises'> = {
    goal: null,
    ladder: [],
    scope: { in: [], out: [] },
    promises: [],
  };
  const rungs = new Map<string, string>();
  for (const { field, value } of fieldsOf(transition, packet)) {
    switch (field.mapsTo) {
      case 'success.goal':
        out.goal = text(value) || out.goal;
        break;
      case 'scope_in':
        out.scope.in.push(...lines(value));
        break;
      case 'scope_out':
        out.scope.out.push(...lines(value));
        break;
      case 'promises':
        for (const p of Array.isArray(value) ? value : []) {
          const promise = p as { text?: unknown; made_by?: unknown; in_contract?: unknown };
          if (!text(promise.text)) continue;
          out.promises.push({
            text: text(promise.text),
            kind: promise.in_contract === true ? 'in the contract' : 'verbal',
            owner: text(promise.made_by) || 'unknown',
            status: 'open',
          });
        }
        break;
      case undefined:
      case 'contacts':
        break;
      default:
        if (text(value)) rungs.set(field.mapsTo, text(value));
    }
  }
  out.ladder = LADDER_RUNGS.flatMap(([key, label]) =>
    rungs.has(key) ? [{ label, value: rungs.get(key)! }] : [],
  );
  return out;
}

/** What the sheet is made of: the handoff and what was read about it. */
export interface SheetInput {
  handoff: {
    title: string;
    state: string;
    revision: number;
    submittedAt: string | null;
    decidedAt: string | null;
    decision: { outcome: string; reason: string | null; explanation: string | null; at: string } | null;
  };
  playbook: { key: string; version: number; name: string };
  transition: TransitionDef;
  stages: { from: string; to: string };
  teams: { sending: string; receiving: string };
  account: string;
  engagement: { name: string; stage: string | null; contractSignedAt: string | null };
  packet: Packet;
  /** The engagement's records once the packet was submitted; null for a handoff never submitted. */
  records: Pick<SummarySheet, 'goal' | 'ladder' | 'scope' | 'promises'> | null;
  openQuestions: { body: string; path: string | null }[];
  /** The client's sign-offs of the engagement's closeout package (the portal), oldest first. */
  signoffs?: { signer_name: string; signed_at: string; package_sha256: string }[];
  formats: SheetFormats;
  now: Date;
}

/**
 * The curated one-page sheet of a handoff (see `SummarySheet`), decided from what was read.
 *
 * @example
 *   summarySheetOf({ ...read, records: null }).goal // the packet's goal, for a draft
 */
export function summarySheetOf(input: SheetInput): SummarySheet {
  const { handoff: h, transition, packet, formats } = input;
  const dates = [
    ...(input.engagement.contractSignedAt
      ? [{ label: 'Contract signed', value: formatInstant(input.engagement.contractSignedAt, formats) }]
      : []),
    ...(h.submittedAt ? [{ label: 'Submitted', value: formatInstant(h.submittedAt, formats) }] : []),
    ...(h.decidedAt
      ? [
          {
            label: h.state === 'rejected' ? 'Rejected' : 'Accepted',
            value: formatInstant(h.decidedAt, formats),
          },
        ]
      : []),
    ...packetDates(transition, packet, formats.locale),
    ...(input.signoffs ?? []).map((s) => ({
      label: 'Client signed off',
      value: `${s.signer_name}, ${formatInstant(s.signed_at, formats)} (SHA-256 ${s.package_sha256.slice(0, 16)}…)`,
    })),
  ];
  return {
    title: h.title,
    state: h.state,
    revision: h.revision,
    playbook: input.playbook,
    transition: { name: transition.name, ...input.stages },
    teams: input.teams,
    account: input.account,
    engagement: { name: input.engagement.name, stage: input.engagement.stage },
    ...(input.records ?? packetRecords(transition, packet)),
    people: packetPeople(transition, packet),
    dates,
    risks: [
      ...packetRisks(transition, packet, formats.locale),
      ...input.openQuestions.map((q) => `Open question${q.path ? ` on ${q.path}` : ''}: ${q.body}`),
    ],
    sections: sheetSections(transition, packet, formats.locale),
    decision: h.decision ? { ...h.decision, at: formatInstant(h.decision.at, formats) } : null,
    generatedAt: formatInstant(input.now.toISOString(), formats),
  };
}
