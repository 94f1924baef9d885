import type { ErrorDetail } from '../../kernel/errors.js';

/**
 * Pure checks of the closeout records' fields, each answering every problem it finds as
 * `{ path, message }` (none when the value is fine) so a use case gathers them all before refusing.
 * They hold for every caller: the HTTP schemas check shapes, a CSV import checks nothing else.
 */

/** Line breaks and the control characters no one-line field may hold (a tab included). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * One line of text: trimmed, null when absent or blank (required: refused instead), at most `max`
 * characters, no line break or control character.
 */
export function lineOf(
  path: string,
  value: unknown,
  options: { max: number; required?: boolean },
  issues: ErrorDetail[],
): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && !value.trim())) {
    if (options.required) issues.push({ path, message: value == null ? 'is required' : 'must not be blank' });
    return null;
  }
  if (typeof value !== 'string') {
    issues.push({ path, message: 'must be text' });
    return null;
  }
  const text = value.trim();
  if (text.length > options.max) issues.push({ path, message: `must be at most ${options.max} characters` });
  else if (CONTROL.test(text)) issues.push({ path, message: 'must be one line, without control characters' });
  return text;
}

/** Text of several lines (notes): trimmed, null when blank, at most `max` characters. */
export function notesOf(path: string, value: unknown, max: number, issues: ErrorDetail[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    issues.push({ path, message: 'must be text' });
    return null;
  }
  const text = value.trim();
  if (text.length > max) issues.push({ path, message: `must be at most ${max} characters` });
  return text || null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (no 2026-02-30). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar day, `YYYY-MM-DD`: null when absent or blank (required: refused instead). */
export function dayOf(
  path: string,
  value: unknown,
  options: { required?: boolean },
  issues: ErrorDetail[],
): string | null {
  const text = lineOf(path, value, { max: 10, ...options }, issues);
  if (text === null) return null;
  if (!isDay(text)) {
    issues.push({ path, message: 'must be a date written YYYY-MM-DD, e.g. 2026-03-31' });
    return null;
  }
  return text;
}

/** One of a closed list of values. */
export function oneOf<const T extends readonly string[]>(
  path: string,
  value: unknown,
  values: T,
  issues: ErrorDetail[],
): T[number] | null {
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T[number];
  issues.push({ path, message: `must be one of ${values.join(', ')}` });
  return null;
}

/** The day `days` after (or, negative, before) `day`, `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
