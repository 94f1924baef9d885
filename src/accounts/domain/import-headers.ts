import type { ErrorDetail } from '../../kernel/errors.js';
import { isContactRole } from './contact-role.js';
import {
  checkEmail,
  checkExternalIds,
  checkOptionalText,
  checkRequiredText,
  normaliseEmail,
  optionalText,
} from './field-checks.js';

/**
 * The header dictionary of CSV imports: which column of a file feeds which field of an account,
 * contact or engagement. A header is read without case, spaces or punctuation (`Account Name`,
 * `account_name`, `AccountName` are one), so the files Baton exports, Salesforce's report exports
 * and Bulk API query results, and HubSpot's exports map without editing. Columns those exports
 * carry that Baton keeps nowhere (amount, probability, pipeline…) are known and skipped; a column
 * the dictionary does not know is refused, naming it, so a typo never drops data silently.
 * docs/csv-import.md lists the dictionary for users.
 */
export type ImportKind = 'accounts' | 'contacts' | 'engagements';
export const IMPORT_KINDS: readonly ImportKind[] = ['accounts', 'contacts', 'engagements'];

/** What a column feeds. */
type Target =
  | { to: 'id' }
  | { to: 'name' | 'first_name' | 'last_name' | 'notes' | 'email' | 'phone' | 'title' | 'role' | 'stage' }
  | { to: 'close_date' }
  | { to: 'external_ids' }
  | { to: 'external'; system: string }
  | { to: 'account_id' }
  | { to: 'account_name' }
  | { to: 'skip' };

const t = <T extends Target>(target: T) => target;
const SKIP = t({ to: 'skip' });

/** Columns of Baton's own exports every kind reads back (the bookkeeping ones are skipped). */
const COMMON: Record<string, Target> = {
  id: t({ to: 'id' }),
  externalids: t({ to: 'external_ids' }),
  createdat: SKIP,
  updatedat: SKIP,
  createddate: SKIP,
  createdate: SKIP,
  lastmodifieddate: SKIP,
};

const DICTIONARY: Record<ImportKind, Record<string, Target>> = {
  accounts: {
    ...COMMON,
    name: t({ to: 'name' }),
    accountname: t({ to: 'name' }),
    companyname: t({ to: 'name' }),
    company: t({ to: 'name' }),
    notes: t({ to: 'notes' }),
    description: t({ to: 'notes' }),
    accountid: t({ to: 'external', system: 'salesforce' }),
    recordid: t({ to: 'external', system: 'hubspot' }),
    companyid: t({ to: 'external', system: 'hubspot' }),
    accountowner: SKIP,
    companyowner: SKIP,
    ownerid: SKIP,
    type: SKIP,
    industry: SKIP,
    website: SKIP,
    companydomainname: SKIP,
    phone: SKIP,
    phonenumber: SKIP,
  },
  contacts: {
    ...COMMON,
    name: t({ to: 'name' }),
    fullname: t({ to: 'name' }),
    contactname: t({ to: 'name' }),
    firstname: t({ to: 'first_name' }),
    lastname: t({ to: 'last_name' }),
    email: t({ to: 'email' }),
    emailaddress: t({ to: 'email' }),
    phone: t({ to: 'phone' }),
    phonenumber: t({ to: 'phone' }),
    mobilephone: t({ to: 'phone' }),
    mobilephonenumber: t({ to: 'phone' }),
    title: t({ to: 'title' }),
    jobtitle: t({ to: 'title' }),
    role: t({ to: 'role' }),
    contactrole: t({ to: 'role' }),
    contactid: t({ to: 'external', system: 'salesforce' }),
    recordid: t({ to: 'external', system: 'hubspot' }),
    accountid: t({ to: 'account_id' }),
    accountname: t({ to: 'account_name' }),
    associatedcompany: t({ to: 'account_name' }),
    companyname: t({ to: 'account_name' }),
    company: t({ to: 'account_name' }),
    contactowner: SKIP,
    ownerid: SKIP,
    leadsource: SKIP,
    lifecyclestage: SKIP,
    leadstatus: SKIP,
  },
  engagements: {
    ...COMMON,
    name: t({ to: 'name' }),
    opportunityname: t({ to: 'name' }),
    dealname: t({ to: 'name' }),
    stage: t({ to: 'stage' }),
    stagename: t({ to: 'stage' }),
    dealstage: t({ to: 'stage' }),
    closedate: t({ to: 'close_date' }),
    contractsignedat: t({ to: 'close_date' }),
    opportunityid: t({ to: 'external', system: 'salesforce' }),
    recordid: t({ to: 'external', system: 'hubspot' }),
    dealid: t({ to: 'external', system: 'hubspot' }),
    accountid: t({ to: 'account_id' }),
    accountname: t({ to: 'account_name' }),
    associatedcompany: t({ to: 'account_name' }),
    // Kept by the CRM, not by Baton: skipped.
    opportunityowner: SKIP,
    dealowner: SKIP,
    ownerid: SKIP,
    fiscalperiod: SKIP,
    amount: SKIP,
    probability: SKIP,
    age: SKIP,
    nextstep: SKIP,
    leadsource: SKIP,
    type: SKIP,
    pipeline: SKIP,
    isclosed: SKIP,
    iswon: SKIP,
    associatedcontact: SKIP,
    serviceleadid: SKIP,
    serviceleadintroducedat: SKIP,
    closedoutat: SKIP,
  },
};

/** A header as the dictionary reads it: lower case, letters and digits only (`Probability (%)` → `probability`). */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The account a contact or an engagement belongs to, as a row names it. */
export type AccountRef =
  | { by: 'id'; id: string }
  | { by: 'external'; id: string }
  | { by: 'name'; name: string };

/** One row of an import, checked: only the fields its file has columns for. */
export interface ImportValues {
  /** A Baton id (a re-import of Baton's own export), which the record keeps. */
  id: string | null;
  /** A Salesforce-style id given in an `Id` column, matched as `salesforce`. */
  externalIds: Record<string, string>;
  fields: {
    name?: string;
    notes?: string | null;
    email?: string | null;
    phone?: string | null;
    title?: string | null;
    role?: string;
    stage?: string | null;
    contract_signed_at?: string | null;
  };
  account: AccountRef | null;
}

export type HeaderMapping =
  | { ok: true; row: (cells: string[], line: number) => ReadResult }
  | { ok: false; issues: ErrorDetail[] };
type ReadResult = { ok: true; value: ImportValues } | { ok: false; issues: ErrorDetail[] };

/**
 * Maps the header row of a file of `kind` to its fields, or names every column it cannot map
 * (and a repeated one). `isBatonId` tells a Baton id from another system's in an `Id` column.
 */
export function mapImportHeader(
  kind: ImportKind,
  headers: readonly string[],
  isBatonId: (value: string) => boolean,
): HeaderMapping {
  const dictionary = DICTIONARY[kind];
  const issues: ErrorDetail[] = [];
  const targets: Target[] = [];
  const seen = new Map<string, string>();
  headers.forEach((header, i) => {
    const key = headerKey(header);
    const target = dictionary[key];
    if (!target) {
      issues.push({
        path: `/header/${i}`,
        line: 1,
        message: `column "${header}" names no field of ${kind}; known columns: ${knownColumns(kind)}`,
      });
      return;
    }
    if (target.to !== 'skip') {
      const slot = target.to === 'external' ? `external:${target.system}` : target.to;
      const earlier = seen.get(slot);
      if (earlier !== undefined)
        issues.push({
          path: `/header/${i}`,
          line: 1,
          message: `column "${header}" feeds the same field as column "${earlier}"`,
        });
      seen.set(slot, header);
    }
    targets.push(target);
  });
  const has = (to: Target['to']) => targets.some((x) => x.to === to);
  if (!has('name') && !(kind === 'contacts' && (has('first_name') || has('last_name'))))
    issues.push({ path: '/header', line: 1, message: `the file needs a name column (${nameColumns(kind)})` });
  if (kind !== 'accounts' && !has('account_id') && !has('account_name'))
    issues.push({
      path: '/header',
      line: 1,
      message: 'the file needs an account column (Account ID, Account Name or Associated Company)',
    });
  if (issues.length) return { ok: false, issues };
  return { ok: true, row: (cells, line) => readRow(kind, targets, cells, line, isBatonId) };
}

function readRow(
  kind: ImportKind,
  targets: readonly Target[],
  cells: readonly string[],
  line: number,
  isBatonId: (value: string) => boolean,
): ReadResult {
  const value: ImportValues = { id: null, externalIds: {}, fields: {}, account: null };
  const issues: ErrorDetail[] = [];
  const problem = (field: string, message: string) =>
    issues.push({ path: `/rows/${line}/${field}`, line, message: `line ${line}: ${field} ${message}` });
  let first = '';
  let last = '';
  targets.forEach((target, i) => {
    const raw = cells[i] ?? '';
    const text = raw.trim();
    switch (target.to) {
      case 'skip':
        return;
      case 'id':
        if (!text) return;
        // Baton's own id (its export read back), else the id Salesforce puts in `Id`.
        if (isBatonId(text)) value.id = text;
        else value.externalIds.salesforce = text;
        return;
      case 'external':
        if (text) value.externalIds[target.system] = text;
        return;
      case 'external_ids': {
        if (!text) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          problem('external_ids', 'must be a JSON object of system name to id, e.g. {"salesforce":"006…"}');
          return;
        }
        const errors = checkExternalIds('', parsed);
        if (errors.length)
          problem('external_ids', errors.map((e) => `${e.path} ${e.message}`.trim()).join('; '));
        else Object.assign(value.externalIds, parsed);
        return;
      }
      case 'account_id':
        if (text) value.account = isBatonId(text) ? { by: 'id', id: text } : { by: 'external', id: text };
        return;
      case 'account_name':
        if (text && value.account === null) value.account = { by: 'name', name: text };
        return;
      case 'first_name':
        first = text;
        return;
      case 'last_name':
        last = text;
        return;
      case 'name':
        for (const e of checkRequiredText('', raw, 300)) problem('name', e.message);
        value.fields.name = text;
        return;
      case 'email':
        for (const e of checkEmail('', optionalText(raw))) problem('email', e.message);
        value.fields.email = normaliseEmail(raw);
        return;
      case 'role': {
        // Blank: a new contact is `other`, a contact found keeps the role it has.
        if (!text) return;
        const role = text.toLowerCase().replace(/[\s-]+/g, '_');
        if (!isContactRole(role))
          problem('role', 'must be buyer, champion, decision maker, operator, sponsor or other');
        value.fields.role = role;
        return;
      }
      case 'close_date': {
        const instant = text ? readDay(text) : null;
        if (text && instant === null)
          problem(
            'close_date',
            'must be a date: 2024-06-28, 2024-06-28 16:50, 6/28/2024 or an ISO-8601 instant',
          );
        value.fields.contract_signed_at = instant;
        return;
      }
      default: {
        const max =
          target.to === 'notes' ? 10_000 : target.to === 'phone' ? 50 : target.to === 'stage' ? 100 : 200;
        for (const e of checkOptionalText('', raw, max)) problem(target.to, e.message);
        value.fields[target.to] = optionalText(raw);
      }
    }
  });
  if (value.fields.name === undefined && (first || last)) {
    value.fields.name = `${first} ${last}`.trim();
    if (value.fields.name.length > 300) problem('name', 'must be at most 300 characters');
  } else if (value.fields.name === undefined && kind === 'contacts') problem('name', 'must not be blank');
  if (kind !== 'accounts' && value.account === null) problem('account', 'is required: an account id or name');
  if (Object.keys(value.externalIds).length > 20) problem('external_ids', 'must have at most 20 entries');
  return issues.length ? { ok: false, issues } : { ok: true, value };
}

/**
 * A close date as the instant a contract was signed, UTC: `2024-06-28`, `2024-06-28 16:50`
 * (HubSpot), `6/28/2024` (Salesforce reports, month first), or an ISO-8601 instant; null otherwise.
 */
export function readDay(text: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  let parts: number[] | null = m ? [+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)] : null;
  if (!parts) {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    parts = m ? [+m[3]!, +m[1]!, +m[2]!, 0, 0, 0] : null;
  }
  if (!parts) {
    const instant = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/i.test(text) ? Date.parse(text) : Number.NaN;
    return Number.isNaN(instant) ? null : new Date(instant).toISOString();
  }
  const [y, mo, d, h, mi, s] = parts as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return date.toISOString();
}

function knownColumns(kind: ImportKind): string {
  return Object.keys(DICTIONARY[kind])
    .filter((k) => DICTIONARY[kind][k]!.to !== 'skip')
    .join(', ');
}

function nameColumns(kind: ImportKind): string {
  return Object.keys(DICTIONARY[kind])
    .filter((k) => ['name', 'first_name', 'last_name'].includes(DICTIONARY[kind][k]!.to))
    .join(', ');
}
