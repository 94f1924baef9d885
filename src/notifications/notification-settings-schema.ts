import { type Static, Type } from 'typebox';
import { Nullable } from '../kernel/http/schemas.js';

/** Where the organisation's chat notifications go. */
export const NotificationSettingsSchema = Type.Object(
  {
    chat_webhook_url: Nullable(
      Type.String({ maxLength: 2000, description: 'A Slack-compatible incoming webhook, or null for none' }),
    ),
  },
  { $id: 'NotificationSettings', additionalProperties: false },
);

export type NotificationSettings = Static<typeof NotificationSettingsSchema>;
