import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams } from '../kernel/http/schemas.js';
import {
  NotificationChoicesSchema,
  NotificationPreferencesSchema,
} from './notification-preferences-schema.js';
import { getNotificationPreferences } from './use-cases/get-notification-preferences.js';
import { updateNotificationPreferences } from './use-cases/update-notification-preferences.js';

/** Each user's notification preferences. */
export function notificationRoutes(app: Api, deps: Deps): void {
  const tags = ['identity'];
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
}
