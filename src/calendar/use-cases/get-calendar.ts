import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { loadCalendar } from '../calendar-records.js';
import type { Calendar } from '../calendar-schema.js';
import type { BusinessCalendar } from '../domain/business-calendar.js';

export function toCalendarView(c: BusinessCalendar): Calendar {
  return {
    time_zone: c.timeZone,
    working_days: c.workingDays,
    day_start: c.dayStart,
    day_end: c.dayEnd,
    holidays: c.holidays,
  };
}

/** The organisation's business calendar (the default, Monday to Friday 09:00–17:00, until one is set). */
export async function getCalendar(deps: Deps, principal: Principal): Promise<Calendar> {
  requireCapability(principal, 'read', 'read the business calendar');
  return toCalendarView(await loadCalendar(deps.store.db, principal.orgId));
}
