import { Type } from 'typebox';
import type { Deps } from '../kernel/context.js';
import { type Api, principalOf } from '../kernel/http/build-app.js';
import { errorResponses, IdParams } from '../kernel/http/schemas.js';
import { getNotificationPreferences } from './use-cases/get-notification-preferences.js';
import { updateNotificationPreferences } from './use-cases/update-notification-preferences.js';

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
}
