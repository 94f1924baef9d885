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

/** The organisation's business calendar: its stored one, or the default in its time zone. */
export async function loadCalendar(db: Db, orgId: string): Promise<BusinessCalendar> {
  const org = await selectCalendar.firstOrThrow(db, { orgId });
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
