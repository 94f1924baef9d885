import { type Static, Type } from 'typebox';

/** Which notices a user gets by e-mail: one switch per kind of notice (`NOTICE_KINDS`). */
export const EmailChoicesSchema = Type.Object(
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
  { $id: 'EmailChoices', additionalProperties: false, description: 'Which notices come by e-mail' },
);

const chatMention = Type.Boolean({
  description: "Whether messages in the organisation's chat channel name me when they concern me",
});

/** What a user chooses: the body of a change. */
export const NotificationChoicesSchema = Type.Object(
  { email: EmailChoicesSchema, chat_mention: chatMention },
  { $id: 'NotificationChoices', additionalProperties: false },
);

/** A user's notification preferences: everything is on until they choose. */
export const NotificationPreferencesSchema = Type.Object(
  { user_id: Type.String(), email: EmailChoicesSchema, chat_mention: chatMention },
  { $id: 'NotificationPreferences' },
);

export type NotificationChoices = Static<typeof NotificationChoicesSchema>;
export type NotificationPreferences = Static<typeof NotificationPreferencesSchema>;
