import type { Db } from '../kernel/context.js';
import type { NotificationPreferencesTable } from '../kernel/db/schema.js';
import { preparedByShape, preparedQuery } from '../kernel/prepared-query.js';
import type { NotificationKind } from './notification-schema.js';
import type { Recipient } from './notify.js';

/** The notices a user may choose to get by e-mail or not. */
export const NOTICE_KINDS = [
  /** A packet waits for the user's team (submitted or resubmitted). */
  'handoff_submitted',
  /** A packet the user sent was rejected. */
  'handoff_rejected',
  /** The receiving team asked a question on a packet the user sent. */
  'question_asked',
  /** The sender answered the user's question. */
  'question_answered',
  /** A packet waiting for the user's team is still unopened at the end of its review window. */
  'review_nudge',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
// Each is also a kind the notification centre lists.
NOTICE_KINDS satisfies readonly NotificationKind[];

/** A user's choices: which notices come by e-mail, and whether chat messages may name them. */
export interface NotificationPreferences {
  email: Record<NoticeKind, boolean>;
  chat_mention: boolean;
}

/**
 * The preferences stored in a row, or the defaults (everything on) without one. The row keeps
 * the kinds turned off, so a kind added later reaches everyone until they turn it off.
 */
export function preferencesOf(
  row: Pick<NotificationPreferencesTable, 'email_off' | 'chat_mention'> | undefined,
): NotificationPreferences {
  const off = new Set(row ? (JSON.parse(row.email_off) as string[]) : []);
  const email = Object.fromEntries(NOTICE_KINDS.map((k) => [k, !off.has(k)])) as Record<NoticeKind, boolean>;
  return { email, chat_mention: row ? Number(row.chat_mention) === 1 : true };
}

/** Who hears about one event: e-mail recipients, and the names the chat message mentions. */
export interface Audience {
  email: Recipient[];
  mention: string[];
  /** Every one of them but the one excepted, whatever they chose: the notification centre lists it for them. */
  users: string[];
  /** How many active users were found, whatever they chose (the one excepted included). */
  matched: number;
}

/**
 * The active users of the organisation among these teams' members and these users, with each
 * one's preferences for this kind of notice applied. `except` (who caused the event) is told
 * nothing: they know.
 */
export async function audienceOf(
  db: Db,
  orgId: string,
  who: { teamIds?: readonly string[]; userIds?: readonly (string | null)[] },
  kind: NoticeKind,
  except: string | null = null,
): Promise<Audience> {
  const teamIds = [...(who.teamIds ?? [])];
  const userIds = (who.userIds ?? []).filter((id): id is string => !!id);
  if (teamIds.length === 0 && userIds.length === 0) return { email: [], mention: [], users: [], matched: 0 };
  const values: Record<string, string> = { orgId };
  teamIds.forEach((id, i) => {
    values[`team${i}`] = id;
  });
  userIds.forEach((id, i) => {
    values[`user${i}`] = id;
  });
  const rows = await selectPeople({ teams: teamIds.length, users: userIds.length }).rows(db, values);
  const audience: Audience = { email: [], mention: [], users: [], matched: rows.length };
  for (const r of rows) {
    if (r.id === except) continue;
    audience.users.push(r.id);
    const prefs = preferencesOf(
      r.email_off === null || r.chat_mention === null
        ? undefined
        : { email_off: r.email_off, chat_mention: r.chat_mention },
    );
    if (prefs.email[kind]) audience.email.push({ name: r.name, email: r.email, userId: r.id });
    if (prefs.chat_mention) audience.mention.push(r.name);
  }
  return audience;
}

// The active users of an organisation among some teams' members and some users, with their
// preferences; prepared per number of teams and of users (a notice names one team or two users).
const selectPeople = preparedByShape(
  (shape: { teams: number; users: number }) => `${shape.teams}|${shape.users}`,
  ({ teams, users }) =>
    preparedQuery((db, v: Record<string, string>) =>
      db
        .selectFrom('users')
        .leftJoin('notification_preferences as p', 'p.user_id', 'users.id')
        .select(['users.id', 'users.name', 'users.email', 'p.email_off', 'p.chat_mention'])
        .where('users.org_id', '=', v.orgId!)
        .where('users.disabled_at', 'is', null)
        .where((eb) =>
          eb.or([
            ...(users
              ? [
                  eb(
                    'users.id',
                    'in',
                    Array.from({ length: users }, (_, i) => v[`user${i}`]!),
                  ),
                ]
              : []),
            ...(teams
              ? [
                  eb(
                    'users.id',
                    'in',
                    eb
                      .selectFrom('team_members')
                      .select('team_members.user_id')
                      .where('team_members.org_id', '=', v.orgId!)
                      .where(
                        'team_members.team_id',
                        'in',
                        Array.from({ length: teams }, (_, i) => v[`team${i}`]!),
                      ),
                  ),
                ]
              : []),
          ]),
        )
        .orderBy('users.name')
        .orderBy('users.id'),
    ),
);
