import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses } from '../kernel/http/schemas.js';
import { NotificationSettingsSchema } from '../notifications/notification-settings-schema.js';
import { getNotificationSettings } from '../notifications/use-cases/get-notification-settings.js';
import { updateNotificationSettings } from '../notifications/use-cases/update-notification-settings.js';
import { CalendarSchema } from './calendar-schema.js';
import { getCalendar } from './use-cases/get-calendar.js';
import { updateCalendar } from './use-cases/update-calendar.js';

/** The organisation's business calendar and where its notifications go. */
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
  app.get(
    '/notification-settings',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getNotificationSettings',
        summary: 'Get notification settings',
        description: 'Admins only. The chat webhook (Slack-compatible) that notifications are posted to.',
        tags,
        response: { 200: NotificationSettingsSchema, ...errorResponses(403) },
      },
    },
    async (request) => getNotificationSettings(deps, principalOf(request)),
  );
  app.put(
    '/notification-settings',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateNotificationSettings',
        summary: 'Set notification settings',
        description: 'Admins only. Sets or (with null) removes the chat webhook.',
        tags,
        body: NotificationSettingsSchema,
        response: { 200: NotificationSettingsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => updateNotificationSettings(deps, principalOf(request), request.body),
  );
}
