/** The business calendar as its audit entry records it (the API's view of it). */
interface CalendarFields {
  time_zone: string;
  working_days: number[];
  day_start: string;
  day_end: string;
  holidays: { date: string; name?: string }[];
}

/** The audit entry of the organisation's business calendar changed. */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'calendar.updated': { entityType: 'business_calendar'; before: CalendarFields; after: CalendarFields };
  }
}

export {};
