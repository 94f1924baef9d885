/**
 * Wall-clock time in an IANA time zone, computed with `Intl.DateTimeFormat` alone (no tz database
 * of our own): the offset at an instant, and the instant of a local date and time.
 */

/** A local date and time of day, as read on a wall clock in some zone. */
export interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time (to the second) in `zone` at `instant`, read from `Intl` itself. */
function intlWallTime(instant: number, zone: string): WallTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Seconds east of UTC in `zone` at `instant` (an instant on a whole second), read from `Intl`. */
function intlOffsetSeconds(instant: number, zone: string): number {
  const w = intlWallTime(instant, zone);
  return (Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - instant) / 1000;
}

const HOUR = 3_600_000;
/** Per zone: the offset in seconds over each UTC hour it stays the same through (NaN: it changes). */
const offsetsByHour = new Map<string, Map<number, number>>();

/**
 * Seconds east of UTC in `zone` at `instant`. `Intl` is slow (a formatted string per call), and a
 * zone's offset changes a few times a year, so the offset is read once per UTC hour: at the hour's
 * first and last second, kept when the two agree (no change in between; no zone changes twice
 * within an hour). An hour with a change is read from `Intl` at each instant asked.
 */
function offsetSecondsAt(instant: number, zone: string): number {
  let hours = offsetsByHour.get(zone);
  if (!hours) {
    hours = new Map();
    offsetsByHour.set(zone, hours);
  }
  const hour = Math.floor(instant / HOUR);
  let offset = hours.get(hour);
  if (offset === undefined) {
    const start = intlOffsetSeconds(hour * HOUR, zone);
    const end = intlOffsetSeconds((hour + 1) * HOUR - 1000, zone);
    offset = start === end ? start : Number.NaN;
    if (hours.size >= 10_000) hours.clear();
    hours.set(hour, offset);
  }
  return Number.isNaN(offset) ? intlOffsetSeconds(instant, zone) : offset;
}

/** The wall time (to the second) in `zone` at `instant`. */
export function wallTimeAt(instant: Date, zone: string): WallTime & { second: number } {
  const seconds = Math.floor(instant.getTime() / 1000) * 1000;
  const local = new Date(seconds + offsetSecondsAt(seconds, zone) * 1000);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** Minutes east of UTC in `zone` at `instant` (e.g. 60 for Berlin in winter). */
export function offsetMinutes(instant: Date, zone: string): number {
  return Math.round(offsetSecondsAt(Math.floor(instant.getTime() / 1000) * 1000, zone) / 60);
}

/**
 * The instant at which the wall clock in `zone` reads `wall`. A time skipped by a spring-forward
 * change moves forward by the gap (02:30 on a 02:00→03:00 night is 03:30); a time that occurs
 * twice in a fall-back change is its first occurrence.
 */
export function instantOf(wall: WallTime, zone: string): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // The two offsets in force around this wall time: before and after any change that day.
  const before = offsetMinutes(new Date(naive - 36 * 3_600_000), zone);
  const after = offsetMinutes(new Date(naive + 36 * 3_600_000), zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => naive - offset * 60_000)
    .filter((t) => {
      const w = wallTimeAt(new Date(t), zone);
      return w.hour === wall.hour && w.minute === wall.minute && w.day === wall.day;
    })
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // In a gap: the earlier offset applied past the change lands after it by the gap's length.
  return new Date(naive - before * 60_000);
}

/** A local calendar date as `YYYY-MM-DD`. */
export function dateKey(w: Pick<WallTime, 'year' | 'month' | 'day'>): string {
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local calendar date. */
export function isoWeekday(w: Pick<WallTime, 'year' | 'month' | 'day'>): number {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The local calendar date `days` after (or before, if negative) the given one. */
export function addLocalDays<T extends Pick<WallTime, 'year' | 'month' | 'day'>>(w: T, days: number): T {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
