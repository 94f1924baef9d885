import type { ErrorDetail } from '../../kernel/errors.js';
import { addDays, dayOf, lineOf, notesOf, oneOf } from './record-fields.js';

export const WARRANTY_KINDS = ['warranty', 'support_contract'] as const;
export type WarrantyKind = (typeof WARRANTY_KINDS)[number];

/** How many days before a warranty expires its reminder is due, when the record does not say. */
export const DEFAULT_REMIND_DAYS = 30;

export interface WarrantyValues {
  kind: WarrantyKind;
  provider: string;
  reference: string | null;
  starts_on: string | null;
  expires_on: string;
  covers: string | null;
  remind_days_before: number;
}

/**
 * A warranty or support contract checked whole: kind, provider and expiry required; it may not
 * expire before it starts; the reminder is due 1 to 365 days before the expiry.
 *
 * @example
 *   checkWarranty({ kind: 'warranty', provider: 'Axis', expires_on: '2029-03-01' }) // ok, reminder 30 days before
 */
export function checkWarranty(
  input: Record<string, unknown>,
): { ok: true; values: WarrantyValues } | { ok: false; issues: ErrorDetail[] } {
  const issues: ErrorDetail[] = [];
  const remind = input.remind_days_before ?? DEFAULT_REMIND_DAYS;
  if (!Number.isInteger(remind) || (remind as number) < 1 || (remind as number) > 365)
    issues.push({ path: '/remind_days_before', message: 'must be a whole number of days from 1 to 365' });
  const values = {
    kind: oneOf('/kind', input.kind, WARRANTY_KINDS, issues) ?? 'warranty',
    provider: lineOf('/provider', input.provider, { max: 200, required: true }, issues) ?? '',
    reference: lineOf('/reference', input.reference, { max: 200 }, issues),
    starts_on: dayOf('/starts_on', input.starts_on, {}, issues),
    expires_on: dayOf('/expires_on', input.expires_on, { required: true }, issues) ?? '',
    covers: notesOf('/covers', input.covers, 2000, issues),
    remind_days_before: remind as number,
  };
  if (values.starts_on && values.expires_on && values.expires_on < values.starts_on)
    issues.push({ path: '/expires_on', message: `must not be before it starts (${values.starts_on})` });
  return issues.length ? { ok: false, issues } : { ok: true, values };
}

/** The day the reminder of a warranty is due: `remind_days_before` days before it expires. */
export function reminderDay(values: Pick<WarrantyValues, 'expires_on' | 'remind_days_before'>): string {
  return addDays(values.expires_on, -values.remind_days_before);
}
