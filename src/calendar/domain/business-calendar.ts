import {
  addLocalDays,
  dateKey,
  instantOf,
  isoWeekday,
  isTimeZone,
  type WallTime,
  wallTimeAt,
} from './time-zone.js';

/** An organisation's working time: which days, which hours, which holidays, in which zone. */
export interface BusinessCalendar {
  timeZone: string;
  /** ISO weekdays worked: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Start and end of the working window, local `HH:MM`. */
  dayStart: string;
  dayEnd: string;
  /** Local dates (`YYYY-MM-DD`) not worked, with an optional name. */
  holidays: { date: string; name?: string }[];
}

/** Monday to Friday, nine to five, no holidays: what an organisation has until it says otherwise. */
export function defaultCalendar(timeZone: string): BusinessCalendar {
  return { timeZone, workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: [] };
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Every problem with a calendar, as `{ path, message }`; empty when it is usable. */
export function calendarIssues(c: BusinessCalendar): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  if (!isTimeZone(c.timeZone))
    issues.push({ path: '/time_zone', message: `unknown time zone ${c.timeZone}` });
  if (c.workingDays.length === 0)
    issues.push({ path: '/working_days', message: 'at least one working day is needed' });
  c.workingDays.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 7)
      issues.push({
        path: `/working_days/${i}`,
        message: 'must be an ISO weekday, 1 (Monday) to 7 (Sunday)',
      });
  });
  if (new Set(c.workingDays).size !== c.workingDays.length)
    issues.push({ path: '/working_days', message: 'must not repeat a day' });
  const startOk = HHMM.test(c.dayStart);
  const endOk = HHMM.test(c.dayEnd);
  if (!startOk) issues.push({ path: '/day_start', message: 'must be a time HH:MM (00:00–23:59)' });
  if (!endOk) issues.push({ path: '/day_end', message: 'must be a time HH:MM (00:00–23:59)' });
  if (startOk && endOk && minutesOf(c.dayEnd) <= minutesOf(c.dayStart))
    issues.push({ path: '/day_end', message: 'must be later than day_start' });
  const seen = new Set<string>();
  c.holidays.forEach((h, i) => {
    const [y, m, d] = h.date.split('-').map(Number);
    const valid = DATE.test(h.date) && new Date(Date.UTC(y!, m! - 1, d!)).getUTCDate() === d;
    if (!valid) issues.push({ path: `/holidays/${i}/date`, message: 'must be a date YYYY-MM-DD' });
    if (seen.has(h.date)) issues.push({ path: `/holidays/${i}/date`, message: `${h.date} is listed twice` });
    seen.add(h.date);
  });
  return issues;
}

type LocalDate = Pick<WallTime, 'year' | 'month' | 'day'>;

/** True when the local date is a working day that is not a holiday. */
export function isWorkingDate(c: BusinessCalendar, d: LocalDate): boolean {
  const key = dateKey(d);
  return c.workingDays.includes(isoWeekday(d)) && !c.holidays.some((h) => h.date === key);
}

/** The working window of a local date as instants (DST-correct: a window may be 7 or 9 hours long). */
function windowOf(c: BusinessCalendar, d: LocalDate): { start: number; end: number } {
  const s = minutesOf(c.dayStart);
  const e = minutesOf(c.dayEnd);
  const at = (m: number) =>
    instantOf({ ...d, hour: Math.floor(m / 60), minute: m % 60 }, c.timeZone).getTime();
  return { start: at(s), end: at(e) };
}

/** Days searched before giving up: a calendar with (nearly) no working days is refused, not looped on. */
const HORIZON_DAYS = 3 * 366;

/**
 * The instant `minutes` of working time after `from` (or before it, when negative): only time
 * inside working windows of working, non-holiday days counts.
 *
 * Example: Friday 16:00 plus 2 business hours, nine to five, is Monday 10:00.
 */
export function addBusinessMinutes(c: BusinessCalendar, from: Date, minutes: number): Date {
  const forward = minutes >= 0;
  let remaining = Math.abs(minutes) * 60_000;
  const t = from.getTime();
  let day: LocalDate = wallTimeAt(from, c.timeZone);
  for (let i = 0; i < HORIZON_DAYS; i += 1, day = addLocalDays(day, forward ? 1 : -1)) {
    if (!isWorkingDate(c, day)) continue;
    const w = windowOf(c, day);
    // The part of today's window on the right side of `from`.
    const start = forward ? Math.max(w.start, t) : w.start;
    const end = forward ? w.end : Math.min(w.end, t);
    if (end <= start) {
      if (remaining === 0 && forward && t < w.start) return new Date(w.start);
      continue;
    }
    const available = end - start;
    if (remaining === 0) return new Date(forward ? start : end);
    if (remaining <= available) return new Date(forward ? start + remaining : end - remaining);
    remaining -= available;
  }
  throw new RangeError('The calendar has no working time within three years');
}

/** Working minutes between two instants (`to` after `from`), for pausing a business-time clock. */
export function businessMinutesBetween(c: BusinessCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  let day: LocalDate = wallTimeAt(from, c.timeZone);
  const last = dateKey(wallTimeAt(to, c.timeZone));
  for (let i = 0; i < HORIZON_DAYS; i += 1, day = addLocalDays(day, 1)) {
    if (isWorkingDate(c, day)) {
      const w = windowOf(c, day);
      const start = Math.max(w.start, from.getTime());
      const end = Math.min(w.end, to.getTime());
      if (end > start) total += end - start;
    }
    if (dateKey(day) === last) break;
  }
  return Math.round(total / 60_000);
}

/**
 * `days` working days after (or before) `from`, at the same local time of day; a `from` outside
 * the working window first moves to the nearest window edge in the direction of travel.
 *
 * Example: accepted Friday 15:00, 2 business days later is Tuesday 15:00.
 */
export function addBusinessDays(c: BusinessCalendar, from: Date, days: number): Date {
  const step = days >= 0 ? 1 : -1;
  const local = wallTimeAt(from, c.timeZone);
  let minute = local.hour * 60 + local.minute;
  let day: LocalDate = local;
  const s = minutesOf(c.dayStart);
  const e = minutesOf(c.dayEnd);
  if (minute < s) minute = s;
  if (minute > e) minute = e;
  let left = Math.abs(days);
  for (let i = 0; i < HORIZON_DAYS && left > 0; i += 1) {
    day = addLocalDays(day, step);
    if (isWorkingDate(c, day)) left -= 1;
  }
  if (left > 0) throw new RangeError('The calendar has no working time within three years');
  return instantOf({ ...day, hour: Math.floor(minute / 60), minute: minute % 60 }, c.timeZone);
}

/** The same local wall time `days` calendar days later (DST changes keep the local hour). */
export function addCalendarDays(zone: string, from: Date, days: number): Date {
  const w = wallTimeAt(from, zone);
  const to = addLocalDays(w, days);
  const instant = instantOf({ ...to, hour: w.hour, minute: w.minute }, zone);
  return new Date(instant.getTime() + w.second * 1000 + (from.getTime() % 1000));
}
