import type { Session } from '../types.js';

/**
 * A day as the organisation reads it: the date of an instant in the organisation's time zone,
 * in the reader's locale (`Intl`), e.g. "4 Mar 2026" for en-GB.
 *
 * @example
 *   dayOf('2026-03-04T09:30:00Z', session) // "4 Mar 2026" for a UK reader in Europe/London
 */
export function dayOf(iso: string, session: Session): string {
  return new Intl.DateTimeFormat(session.organisation.locale, {
    dateStyle: 'medium',
    timeZone: session.organisation.time_zone,
  }).format(new Date(iso));
}

/** An instant with its time, in the organisation's time zone, e.g. "4 Mar 2026, 09:30". */
export function momentOf(iso: string, session: Session): string {
  return new Intl.DateTimeFormat(session.organisation.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: session.organisation.time_zone,
  }).format(new Date(iso));
}

/** A count in words the reader's locale groups, e.g. "1,204 engagements". */
export function countOf(n: number, one: string, many: string): string {
  return `${new Intl.NumberFormat().format(n)} ${n === 1 ? one : many}`;
}
