import type { ErrorDetail } from '../../kernel/errors.js';
import {
  isCurrency,
  isPeriod,
  isRevenueKind,
  MAX_AMOUNT_MINOR,
  REVENUE_KINDS,
  type RevenueKind,
} from './revenue-record.js';

/**
 * How a CSV file of revenue records reads (docs/csv-import.md, "Revenue records"): which column
 * feeds which field, headers read through `headerKey` (case, spaces and punctuation aside), so
 * Baton's own export of `GET /revenue-records.csv` reads back as it is. A column it does not know
 * is refused, naming it; one row is one record.
 */
type Field =
  | 'account'
  | 'account_external_id'
  | 'period'
  | 'kind'
  | 'amount_minor'
  | 'amount'
  | 'currency'
  | 'external_id'
  | 'note'
  | 'skip';

const COLUMNS: Record<string, Field> = {
  accountid: 'account',
  account: 'account',
  accountexternalid: 'account_external_id',
  period: 'period',
  month: 'period',
  kind: 'kind',
  type: 'kind',
  amountminor: 'amount_minor',
  amountminorunits: 'amount_minor',
  amount: 'amount',
  currency: 'currency',
  externalid: 'external_id',
  note: 'note',
  notes: 'note',
  description: 'note',
  // Baton's own export: its bookkeeping columns are not the sender's to set.
  id: 'skip',
  createdby: 'skip',
  createdat: 'skip',
};

/** One row read: the account as the batch API takes it, and the record's fields. */
export interface RevenueRow {
  account_id?: string;
  account_external_id?: string;
  period: string;
  kind: RevenueKind;
  amount_minor: number;
  currency: string;
  external_id: string | null;
  note: string | null;
}

type RowReading = { ok: true; value: RevenueRow } | { ok: false; issues: ErrorDetail[] };

/**
 * Maps the header row to fields, or names every column it cannot map, a repeated one, and the
 * columns a record needs that are missing. `headerKey` is the record import's header reading;
 * `isBatonId` tells a Baton account id from another system's `system:id` in `Account ID`.
 */
export function mapRevenueHeader(
  headers: readonly string[],
  headerKey: (header: string) => string,
  isBatonId: (value: string) => boolean,
): { ok: true; row: (cells: string[], line: number) => RowReading } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const fields: Field[] = [];
  const seen = new Map<Field, string>();
  headers.forEach((header, i) => {
    const field = COLUMNS[headerKey(header)];
    if (!field) {
      issues.push({
        path: `/header/${i}`,
        line: 1,
        message: `column "${header}" names no field of revenue records; known columns: Account ID, Account External ID, Period, Kind, Amount minor, Amount, Currency, External ID, Note`,
      });
      return;
    }
    const earlier = seen.get(field);
    if (field !== 'skip' && earlier !== undefined)
      issues.push({
        path: `/header/${i}`,
        line: 1,
        message: `column "${header}" feeds the same field as column "${earlier}"`,
      });
    seen.set(field, header);
    fields.push(field);
  });
  const needs = (ok: boolean, message: string) => {
    if (!ok) issues.push({ path: '/header', line: 1, message });
  };
  needs(
    seen.has('account') || seen.has('account_external_id'),
    'the file needs an account column (Account ID or Account External ID)',
  );
  needs(seen.has('period'), 'the file needs a Period column (YYYY-MM)');
  needs(seen.has('kind'), `the file needs a Kind column (${REVENUE_KINDS.join(', ')})`);
  needs(
    seen.has('amount_minor') !== seen.has('amount'),
    "the file needs one amount column: Amount minor (integer minor units) or Amount (in the currency's units)",
  );
  needs(seen.has('currency'), 'the file needs a Currency column (ISO 4217)');
  if (issues.length) return { ok: false, issues };
  return { ok: true, row: (cells, line) => readRow(fields, cells, line, isBatonId) };
}

function readRow(
  fields: readonly Field[],
  cells: readonly string[],
  line: number,
  isBatonId: (value: string) => boolean,
): RowReading {
  const issues: ErrorDetail[] = [];
  const problem = (field: string, message: string) =>
    issues.push({ path: `/rows/${line}/${field}`, line, message: `line ${line}: ${field} ${message}` });
  const text: Partial<Record<Field, string>> = {};
  fields.forEach((field, i) => {
    text[field] = (cells[i] ?? '').trim();
  });
  const value: RevenueRow = {
    period: text.period ?? '',
    kind: 'starting',
    amount_minor: 0,
    currency: text.currency ?? '',
    external_id: text.external_id || null,
    note: text.note || null,
  };
  if (text.account && text.account_external_id)
    problem('account', 'is given twice: fill Account ID or Account External ID, not both');
  else if (text.account_external_id) value.account_external_id = text.account_external_id;
  else if (!text.account) problem('account', 'is missing');
  else if (isBatonId(text.account)) value.account_id = text.account;
  else if (/^[^:]+:.+$/.test(text.account)) value.account_external_id = text.account;
  else problem('account', `"${text.account}" is neither a Baton id nor an id of another system as system:id`);
  if (!isPeriod(value.period)) problem('period', `"${value.period}" must be a month as YYYY-MM`);
  if (text.kind !== undefined && isRevenueKind(text.kind.toLowerCase()))
    value.kind = text.kind.toLowerCase() as RevenueKind;
  else problem('kind', `"${text.kind ?? ''}" must be one of ${REVENUE_KINDS.join(', ')}`);
  if (!isCurrency(value.currency))
    problem('currency', `"${value.currency}" must be an ISO 4217 code in capitals, e.g. EUR`);
  const amount =
    text.amount_minor !== undefined
      ? /^[0-9]+$/.test(text.amount_minor)
        ? Number(text.amount_minor)
        : null
      : minorUnits(text.amount ?? '', value.currency);
  // An amount in the currency's units cannot be read without a currency: that line is named once, for its currency.
  if (text.amount_minor === undefined && !isCurrency(value.currency)) {
  } else if (amount === null || amount > MAX_AMOUNT_MINOR)
    problem(
      text.amount_minor !== undefined ? 'amount_minor' : 'amount',
      `"${text.amount_minor ?? text.amount}" must be a non-negative amount${text.amount_minor !== undefined ? ' in whole minor units' : ` with at most the currency's decimals`}, at most ${MAX_AMOUNT_MINOR} minor units`,
    );
  else value.amount_minor = amount;
  if (value.external_id && value.external_id.length > 200)
    problem('external_id', 'must be at most 200 characters');
  if (value.note && value.note.length > 2000) problem('note', 'must be at most 2000 characters');
  return issues.length ? { ok: false, issues } : { ok: true, value };
}

/** `1234.5` EUR → 123450: a decimal in the currency's units, with at most its decimals; null when it is not one. */
export function minorUnits(decimal: string, currency: string): number | null {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(decimal);
  if (!m || !isCurrency(currency)) return null;
  let digits: number;
  try {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
  } catch {
    return null;
  }
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}
