import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses } from '../kernel/http/schemas.js';
import { CalendarSchema } from './calendar-schema.js';
import { getCalendar } from './use-cases/get-calendar.js';
import { updateCalendar } from './use-cases/update-calendar.js';

/** The organisation's business calendar. */
export function calendarRoutes(app: Api, deps: Deps): void {
  const tags = ['calendar'];
  app.get(
    '/calendar',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getCalendar',
        summary: 'Get the business calendar',
        description: 'Time zone, working days, working hours and holidays that business-time SLAs count in.',
        tags,
        response: { 200: CalendarSchema, ...errorResponses() },
      },
    },
    async (request) => getCalendar(deps, principalOf(request)),
  );
  app.put(
    '/calendar',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateCalendar',
        summary: 'Replace the business calendar',
        description:
          'Admins only. Due times already computed stay; new and re-timed checkpoints use the new calendar.',
        tags,
        body: CalendarSchema,
        response: { 200: CalendarSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => updateCalendar(deps, principalOf(request), request.body),
  );
}
