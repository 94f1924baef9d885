import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { forgetCalendar, loadCalendar } from '../calendar-records.js';
import type { Calendar } from '../calendar-schema.js';
import { type BusinessCalendar, calendarIssues } from '../domain/business-calendar.js';
import { toCalendarView } from './get-calendar.js';

/**
 * Replaces the organisation's business calendar (and its time zone). Due times already computed
 * stay as they are; checkpoints opened or re-timed from now on use the new calendar.
 */
export async function updateCalendar(deps: Deps, principal: Principal, input: Calendar): Promise<Calendar> {
  requireCapability(principal, 'manage_identity', 'change the business calendar');
  const calendar: BusinessCalendar = {
    timeZone: input.time_zone,
    workingDays: [...input.working_days].sort((a, b) => a - b),
    dayStart: input.day_start,
    dayEnd: input.day_end,
    holidays: [...input.holidays]
      .map((h) => (h.name?.trim() ? { date: h.date, name: h.name.trim() } : { date: h.date }))
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
  const issues = calendarIssues({ ...calendar, workingDays: input.working_days, holidays: input.holidays });
  if (issues.length) throw new AppError('validation_failed', 'The calendar is not valid.', issues);
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const before = await loadCalendar(trx, principal.orgId);
    const values = {
      working_days: JSON.stringify(calendar.workingDays),
      day_start: calendar.dayStart,
      day_end: calendar.dayEnd,
      holidays: JSON.stringify(calendar.holidays),
      updated_at: now.toISOString(),
    };
    await trx
      .insertInto('business_calendars')
      .values({ org_id: principal.orgId, ...values })
      .onConflict((oc) => oc.column('org_id').doUpdateSet(values))
      .execute();
    await trx
      .updateTable('organisations')
      .set({ time_zone: calendar.timeZone })
      .where('id', '=', principal.orgId)
      .execute();
    forgetCalendar(trx, principal.orgId);
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'calendar.updated',
      entityType: 'business_calendar',
      entityId: principal.orgId,
      before: toCalendarView(before),
      after: toCalendarView(calendar),
    });
    return toCalendarView(calendar);
  });
}
