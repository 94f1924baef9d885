import type { HandoffState } from './types.js';

export const STATE_LABEL: Record<HandoffState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  in_delivery: 'In delivery',
  closed: 'Closed',
};

export const STATE_COLOR: Record<HandoffState, string> = {
  draft: 'gray',
  submitted: 'blue',
  accepted: 'green',
  rejected: 'red',
  withdrawn: 'dark',
  in_delivery: 'teal',
  closed: 'dark',
};

/** "3 h", "2 d": how long ago an instant was, compactly. */
export function age(iso: string, now = Date.now()): string {
  return span(now - new Date(iso).getTime());
}

/** "45 min", "3 h", "2 d": a length of time (negative counts as none), compactly. */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/**
 * How the organisation writes dates and times: its locale and time zone, set from the session
 * (`SessionProvider`) before any page renders; the browser's own until then.
 */
let formats: { locale?: string; timeZone?: string } = {};

export function setOrganisationFormats(next: { locale: string; timeZone: string }): void {
  formats = next;
}

/** "4 Mar 2026, 09:30" for a UK organisation: an instant in the organisation's locale and zone. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(formats.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: formats.timeZone,
  });
}

/** The organisation's calendar day of an instant, `YYYY-MM-DD`, to group by. */
export function dayKey(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: formats.timeZone }).format(new Date(iso));
}

/**
 * "Tuesday 3 March 2026" (`full`) or "3 Mar 2026" (`medium`, for grids and lists): a day
 * (`YYYY-MM-DD`) as the organisation's locale writes it.
 */
export function dayLabel(day: string, style: 'full' | 'medium' = 'full'): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString(formats.locale, {
    dateStyle: style,
    timeZone: 'UTC',
  });
}

/** "14:05": the time of day of an instant, in the organisation's locale and zone. */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString(formats.locale, { timeStyle: 'short', timeZone: formats.timeZone });
}

/** "handoff.submitted" → "Handoff submitted". */
export function actionWords(action: string): string {
  const words = action.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "1.2 MB", "340 kB", "12 bytes": a file's size in the organisation's locale. */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return `${new Intl.NumberFormat(formats.locale).format(bytes)} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(formats.locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${units[unit]}`;
}

/** "3 Mar 2026": a day (`YYYY-MM-DD`) briefly, for grids and lists. */
export function shortDay(day: string): string {
  return dayLabel(day, 'medium');
}

/** "1,234" (or "1.234"): a count or other number in the organisation's locale; "—" for none. */
export function numberText(value: number | null, maximumFractionDigits = 1): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(formats.locale, { maximumFractionDigits }).format(value);
}

/** "87.5%" (or "87,5 %"): a rate of 0–1 as a percentage in the organisation's locale; "—" for none. */
export function percentText(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return new Intl.NumberFormat(formats.locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/**
 * "36 hr" or "4.5 days" (in the organisation's words): a duration given in hours, in hours up to
 * two days and in days beyond; "—" for none.
 */
export function hoursText(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return '—';
  return hours < 48 ? durationText(hours, 'hour') : durationText(hours / 24, 'day');
}

/** "36 hours", "4.5 days": an amount of hours or days in the organisation's words. */
export function durationText(value: number, unit: 'hour' | 'day'): string {
  return new Intl.NumberFormat(formats.locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** "Mar 2026": a month (`YYYY-MM`) as the organisation's locale writes it. */
export function monthLabel(period: string): string {
  return new Date(`${period}-15T12:00:00Z`).toLocaleDateString(formats.locale, {
    year: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}
