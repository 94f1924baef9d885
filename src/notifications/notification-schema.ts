import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from '../kernel/http/schemas.js';

/**
 * What a notice in the notification centre is about: the handoff notices users choose to get by
 * e-mail or not (`NOTICE_KINDS`), and the checkpoints' notices, which the playbook decides.
 */
export const NOTIFICATION_KINDS = [
  'handoff_submitted',
  'handoff_rejected',
  'question_asked',
  'question_answered',
  'review_nudge',
  'checkpoint_invitation',
  'checkpoint_overdue',
  'rescope_opened',
  'rescope_resolved',
  'inquiry_routed',
  'account_quiet',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One notice in a user's notification centre. */
export const NotificationSchema = Type.Object(
  {
    id: Type.String(),
    kind: StringEnum(NOTIFICATION_KINDS),
    subject: Type.String(),
    text: Type.String(),
    link: Nullable(
      Type.String({ description: 'A page of the web UI the notice is about, e.g. `/handoffs/…`' }),
    ),
    created_at: Type.String({ format: 'date-time' }),
    read_at: Nullable(Type.String({ format: 'date-time' })),
  },
  { $id: 'Notification', description: "A notice in the caller's notification centre" },
);

/** A page of the caller's notification centre, newest first. */
export const NotificationPageSchema = Type.Object(
  {
    items: Type.Array(NotificationSchema),
    unread: Type.Integer({ minimum: 0, description: "How many of the caller's notices are unread, in all" }),
    next_cursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next (older) page; null on the last page' }),
    ),
  },
  { $id: 'NotificationPage' },
);

/** Which notices to mark read: these ids, or every one created up to a time. */
export const MarkNotificationsReadSchema = Type.Object(
  {
    ids: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500, description: 'Notices to mark read' }),
    ),
    up_to: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Marks every notice created at or before this time read ("Mark all as read")',
      }),
    ),
  },
  {
    $id: 'MarkNotificationsRead',
    additionalProperties: false,
    description: 'Give `ids`, `up_to` or both; only the caller’s own notices are marked',
  },
);

/** What marking read leaves: how many are still unread. */
export const NotificationsReadSchema = Type.Object(
  {
    marked: Type.Integer({ minimum: 0, description: 'How many notices this request marked read' }),
    unread: Type.Integer({ minimum: 0 }),
  },
  { $id: 'NotificationsRead' },
);

export type Notification = Static<typeof NotificationSchema>;
export type NotificationPage = Static<typeof NotificationPageSchema>;
export type MarkNotificationsRead = Static<typeof MarkNotificationsReadSchema>;
export type NotificationsRead = Static<typeof NotificationsReadSchema>;
