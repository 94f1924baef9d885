import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams } from '../kernel/http/schemas.js';
import {
  NotificationChoicesSchema,
  NotificationPreferencesSchema,
} from './notification-preferences-schema.js';
import {
  MarkNotificationsReadSchema,
  NotificationPageSchema,
  NotificationsReadSchema,
} from './notification-schema.js';
import { NotificationSettingsSchema } from './notification-settings-schema.js';
import { getNotificationPreferences } from './use-cases/get-notification-preferences.js';
import { getNotificationSettings } from './use-cases/get-notification-settings.js';
import { listNotifications } from './use-cases/list-notifications.js';
import { markNotificationsRead } from './use-cases/mark-notifications-read.js';
import { updateNotificationPreferences } from './use-cases/update-notification-preferences.js';
import { updateNotificationSettings } from './use-cases/update-notification-settings.js';

/**
 * Each user's notification preferences, where the organisation's notifications go, and each
 * user's notification centre.
 */
export function notificationRoutes(app: Api, deps: Deps): void {
  const tags = ['identity'];
  // Documented beside the business calendar, where the API has always listed them.
  const settingsTags = ['calendar'];
  app.get(
    '/users/:id/notification-preferences',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getNotificationPreferences',
        summary: "Get a user's notification preferences",
        description:
          'The user themself, or an admin. Which notices the user gets by e-mail and whether chat messages name them; everything is on until they choose.',
        tags,
        params: IdParams,
        response: { 200: NotificationPreferencesSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => getNotificationPreferences(deps, principalOf(request), request.params.id),
  );
  app.put(
    '/users/:id/notification-preferences',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateNotificationPreferences',
        summary: "Set a user's notification preferences",
        description:
          "The user themself, or an admin. Chat messages go to the organisation's channel whatever a user chooses; the choice decides whether they name the user.",
        tags,
        params: IdParams,
        body: NotificationChoicesSchema,
        response: { 200: NotificationPreferencesSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) =>
      updateNotificationPreferences(deps, principalOf(request), request.params.id, request.body),
  );
  app.get(
    '/notification-settings',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'getNotificationSettings',
        summary: 'Get notification settings',
        description: 'Admins only. The chat webhook (Slack-compatible) that notifications are posted to.',
        tags: settingsTags,
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
        tags: settingsTags,
        body: NotificationSettingsSchema,
        response: { 200: NotificationSettingsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => updateNotificationSettings(deps, principalOf(request), request.body),
  );
  app.get(
    '/notifications',
    {
      // Reading one's own list; every role has a notification centre.
      config: { scope: 'read' },
      schema: {
        operationId: 'listNotifications',
        summary: 'List my notifications',
        description:
          "The caller's own notices, newest first, with how many are unread in all. Every notice the caller would be e-mailed about is here, whatever their e-mail preferences, and so are the checkpoints' notices. Page with `cursor` (the previous page's `next_cursor`).",
        tags: ['notifications'],
        querystring: Type.Object(
          {
            unread: Type.Optional(Type.Boolean({ description: 'Only the notices not read yet' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: NotificationPageSchema, ...errorResponses(400) },
      },
    },
    async (request) => listNotifications(deps, principalOf(request), request.query),
  );
  app.post(
    '/notifications/read',
    {
      // It changes only what the caller has seen, so a read-only token may do it
      // (docs/decisions/0010-notices-in-app-list-for-everyone.md).
      config: { scope: 'read' },
      schema: {
        operationId: 'markNotificationsRead',
        summary: 'Mark my notifications read',
        description:
          "Marks the caller's notices named in `ids`, and every one created at or before `up_to`, read. Another user's ids and notices already read are left as they are: marking again changes nothing.",
        tags: ['notifications'],
        body: MarkNotificationsReadSchema,
        response: { 200: NotificationsReadSchema, ...errorResponses(400) },
      },
    },
    async (request) => markNotificationsRead(deps, principalOf(request), request.body),
  );
}
