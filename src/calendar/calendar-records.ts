import type { Db } from '../kernel/context.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import { type BusinessCalendar, defaultCalendar } from './domain/business-calendar.js';

const selectCalendar = preparedQuery((db, v: { orgId: string }) =>
  db
    .selectFrom('organisations')
    .leftJoin('business_calendars', 'business_calendars.org_id', 'organisations.id')
    .select([
      'organisations.time_zone',
      'business_calendars.working_days',
      'business_calendars.day_start',
      'business_calendars.day_end',
      'business_calendars.holidays',
    ])
    .where('organisations.id', '=', v.orgId),
);

/**
 * The organisation's business calendar: its stored one, or the default in its time zone. Read
 * once per transaction: a request that opens checkpoints and sets a nudge reads it once.
 */
export async function loadCalendar(db: Db, orgId: string): Promise<BusinessCalendar> {
  const known = remembered.get(db)?.get(orgId);
  if (known) return known;
  const calendar = calendarFrom(await selectCalendar.firstOrThrow(db, { orgId }));
  rememberCalendar(db, orgId, calendar);
  return calendar;
}

// Calendars read in a transaction, by organisation; kept with the transaction, so never longer.
const remembered = new WeakMap<Db, Map<string, BusinessCalendar>>();

/**
 * Keeps a calendar read (or joined into another read) in a transaction for `loadCalendar` to
 * answer in the same transaction; outside one, keeps nothing.
 */
export function rememberCalendar(db: Db, orgId: string, calendar: BusinessCalendar): void {
  if (!db.isTransaction) return;
  const byOrg = remembered.get(db) ?? new Map<string, BusinessCalendar>();
  byOrg.set(orgId, calendar);
  remembered.set(db, byOrg);
}

/** Forgets what the transaction read of the organisation's calendar: the writer of a calendar calls it. */
export function forgetCalendar(db: Db, orgId: string): void {
  remembered.get(db)?.delete(orgId);
}

/** What a calendar is made of: the organisation's time zone and its stored calendar, if any. */
export interface CalendarColumns {
  time_zone: string;
  working_days: string | null;
  day_start: string | null;
  day_end: string | null;
  holidays: string | null;
}

/** The calendar of an organisation's time zone left-joined with its stored calendar. */
export function calendarFrom(org: CalendarColumns): BusinessCalendar {
  if (!org.working_days || !org.day_start || !org.day_end || !org.holidays)
    return defaultCalendar(org.time_zone);
  return {
    timeZone: org.time_zone,
    workingDays: JSON.parse(org.working_days) as number[],
    dayStart: org.day_start,
    dayEnd: org.day_end,
    holidays: JSON.parse(org.holidays) as BusinessCalendar['holidays'],
  };
}
