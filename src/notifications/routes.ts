import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams, Nullable } from '../kernel/http/schemas.js';
import { getNotificationPreferences } from './use-cases/get-notification-preferences.js';
import { getNotificationSettings } from './use-cases/get-notification-settings.js';
import { updateNotificationPreferences } from './use-cases/update-notification-preferences.js';
import { updateNotificationSettings } from './use-cases/update-notification-settings.js';

const EmailChoices = Type.Object(
  {
    handoff_submitted: Type.Boolean({
      description: 'A packet waits for one of my teams (or for me, assigned)',
    }),
    handoff_rejected: Type.Boolean({ description: 'A packet I sent was rejected' }),
    question_asked: Type.Boolean({ description: 'The receiving team asked a question on a packet I sent' }),
    question_answered: Type.Boolean({ description: 'The sender answered my question' }),
    review_nudge: Type.Boolean({
      description: 'A packet waiting for my team is still unopened at the end of its review window',
    }),
  },
  { additionalProperties: false, description: 'Which notices come by e-mail' },
);

const PreferencesBody = Type.Object(
  {
    email: EmailChoices,
    chat_mention: Type.Boolean({
      description: "Whether messages in the organisation's chat channel name me when they concern me",
    }),
  },
  { additionalProperties: false },
);

const PreferencesSchema = Type.Object({
  user_id: Type.String(),
  email: EmailChoices,
  chat_mention: Type.Boolean(),
});

const NotificationSettingsSchema = Type.Object(
  { chat_webhook_url: Nullable(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

/** Each user's notification preferences, and where the organisation's notifications go. */
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
        response: { 200: PreferencesSchema, ...errorResponses(403, 404) },
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
        body: PreferencesBody,
        response: { 200: PreferencesSchema, ...errorResponses(400, 403, 404) },
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
}
