import {
  addBusinessDays,
  addBusinessMinutes,
  addCalendarDays,
  type BusinessCalendar,
  businessMinutesBetween,
} from './business-calendar.js';

/** A parsed due expression: an offset (possibly none) after or before a named anchor. */
export interface DueExpression {
  anchor: string;
  direction: 'after' | 'before';
  amount: number;
  unit: 'minutes' | 'hours' | 'days' | 'weeks';
  business: boolean;
}

/** Whether a clock over this expression counts working time or elapsed time while it runs. */
export type ClockBasis = 'business' | 'calendar';

const EXPRESSION =
  /^(?:(?:(\d{1,5})\s+(business\s+)?(minutes?|hours?|days?|weeks?)\s+)?(after|before)|(at))\s+([a-z][a-z0-9_]*)$/;

/**
 * Parses `2 business days after contract_signed`, `4 business hours after submitted`,
 * `24 hours before first_visit`, `30 days after closed`, `before child_arrives` or
 * `at first_visit`; answers an error message when the text does not follow that grammar.
 * Business hours count working time only (48 of them are six nine-to-five days); "within 48
 * hours" as people say it is `2 business days`.
 */
export function parseDueExpression(
  text: string,
): { ok: true; value: DueExpression } | { ok: false; message: string } {
  const m = EXPRESSION.exec(text.trim().replace(/\s+/g, ' '));
  if (!m) {
    return {
      ok: false,
      message:
        'must read "<number> [business] minutes|hours|days|weeks after|before <event>", "before <event>" or "at <event>", e.g. "2 business days after contract_signed"',
    };
  }
  const unitWord = m[3] ?? 'minutes';
  const unit = (unitWord.endsWith('s') ? unitWord : `${unitWord}s`) as DueExpression['unit'];
  const business = Boolean(m[2]);
  if (business && unit === 'weeks')
    return { ok: false, message: 'business time is counted in minutes, hours or days, not weeks' };
  return {
    ok: true,
    value: {
      anchor: m[6]!,
      direction: m[5] ? 'after' : (m[4] as 'after' | 'before'),
      amount: m[1] ? Number(m[1]) : 0,
      unit,
      business,
    },
  };
}

/** The clock basis of an expression: business time counts working minutes only. */
export function clockBasis(e: DueExpression): ClockBasis {
  return e.business ? 'business' : 'calendar';
}

/** The due instant of an expression whose anchor happened (or will happen) at `anchorAt`. */
export function dueAt(e: DueExpression, anchorAt: Date, calendar: BusinessCalendar): Date {
  const sign = e.direction === 'after' ? 1 : -1;
  const n = e.amount * sign;
  if (e.amount === 0) return new Date(anchorAt);
  if (e.business) {
    if (e.unit === 'days') return addBusinessDays(calendar, anchorAt, n);
    return addBusinessMinutes(calendar, anchorAt, e.unit === 'hours' ? n * 60 : n);
  }
  switch (e.unit) {
    case 'minutes':
      return new Date(anchorAt.getTime() + n * 60_000);
    case 'hours':
      return new Date(anchorAt.getTime() + n * 3_600_000);
    case 'days':
      return addCalendarDays(calendar.timeZone, anchorAt, n);
    case 'weeks':
      return addCalendarDays(calendar.timeZone, anchorAt, n * 7);
  }
}

/** Time left on a clock from `now` to `due`, in the clock's own units (minutes). */
export function remainingMinutes(
  basis: ClockBasis,
  calendar: BusinessCalendar,
  now: Date,
  due: Date,
): number {
  if (basis === 'business') return businessMinutesBetween(calendar, now, due);
  return Math.max(0, Math.round((due.getTime() - now.getTime()) / 60_000));
}

/** The new due time of a clock resumed at `now` with `minutes` left. */
export function resumeDue(basis: ClockBasis, calendar: BusinessCalendar, now: Date, minutes: number): Date {
  if (basis === 'business') return addBusinessMinutes(calendar, now, minutes);
  return new Date(now.getTime() + minutes * 60_000);
}
