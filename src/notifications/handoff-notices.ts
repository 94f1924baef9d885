import type { Tx } from '../kernel/context.js';
import type { HandoffsTable } from '../kernel/db/schema.js';
import { assertUnreachable } from '../kernel/errors.js';
import type { Subscriber } from '../kernel/events.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import { notify } from './notify.js';
import { type Audience, audienceOf, type NoticeKind } from './preferences.js';

type HandoffRow = HandoffsTable;

/** A question as a notice tells it. */
interface Question {
  id: string;
  path: string | null;
  body: string;
  asked_by: string;
  answer: string | null;
  answered_by: string | null;
  /** The revision the answer made by correcting the field asked about, if it did. */
  amended_revision?: number | null;
}

/**
 * What a packet field of a handoff is called, in its playbook's words (`"In-scope work" (Scope)`),
 * or null when the path names no field: handed in from the composition root, since the playbooks
 * sit above the notifications.
 */
export type FieldNamer = (db: Tx, handoff: HandoffRow, path: string) => Promise<string | null>;

/** What a handoff's decision column says of a rejection, as far as a notice tells it. */
interface Decision {
  reason_code: string | null;
  reason_label: string | null;
  explanation: string | null;
}

/**
 * The lifecycle moments someone must hear about, so no packet sits unread: a packet waits for
 * its receivers, its senders learn it was rejected or questioned, an asker learns the answer,
 * and the receivers are nudged once when a submitted packet is still unopened. Each is told by a
 * subscriber of the handoff event it follows (below), registered at the composition root.
 */
export type HandoffNotice =
  | { kind: 'handoff_submitted'; handoff: HandoffRow; by: string | null }
  | { kind: 'handoff_rejected'; handoff: HandoffRow; by: string | null }
  | { kind: 'question_asked'; handoff: HandoffRow; question: Question }
  | { kind: 'question_answered'; handoff: HandoffRow; question: Question }
  | { kind: 'review_nudge'; handoff: HandoffRow; window: string };

/** The words of one notice, and whom it concerns. */
interface Message {
  eventKey: string;
  subject: string;
  text: string;
  audience: Audience;
  /** The organisation's chat webhook, read with the names (null: none). */
  chatWebhookUrl: string | null;
}

/**
 * Puts the notice in the outbox in the caller's transaction: an e-mail to the people it concerns
 * (as their preferences allow) and a message to the organisation's chat channel naming them, each
 * with a link to the handoff.
 */
export async function tellAboutHandoff(
  trx: Tx,
  notice: HandoffNotice,
  now: Date,
  nameField: FieldNamer,
): Promise<void> {
  const message = await messageOf(trx, notice, nameField);
  await notify(
    trx,
    {
      orgId: notice.handoff.org_id,
      kind: notice.kind,
      eventKey: message.eventKey,
      to: message.audience.email,
      users: message.audience.users,
      subject: message.subject,
      text: message.text,
      link: `/handoffs/${notice.handoff.id}`,
      mention: message.audience.mention,
      chatWebhookUrl: message.chatWebhookUrl,
    },
    now,
  );
}

/**
 * The notices as subscribers of the handoff events they follow, naming packet fields with
 * `nameField`.
 *
 * @example
 *   const notices = handoffNotices(fieldTitleOf);
 *   subscribers.on('handoff.submitted', 'notifications: tell the receivers', notices.tellOfSubmission);
 */
export function handoffNotices(nameField: FieldNamer) {
  const tell = (trx: Tx, notice: HandoffNotice, at: Date) => tellAboutHandoff(trx, notice, at, nameField);
  return {
    /** Tells the receivers a packet waits for their review. */
    tellOfSubmission: ((trx, event) =>
      tell(
        trx,
        { kind: 'handoff_submitted', handoff: event.handoff, by: event.actor.id },
        event.at,
      )) satisfies Subscriber<'handoff.submitted'>,
    /** Tells the senders their packet was rejected, and why. */
    tellOfRejection: ((trx, event) =>
      tell(
        trx,
        { kind: 'handoff_rejected', handoff: event.handoff, by: event.actor.id },
        event.at,
      )) satisfies Subscriber<'handoff.rejected'>,
    /** Tells the senders what the receivers asked. */
    tellOfQuestion: ((trx, event) =>
      tell(
        trx,
        { kind: 'question_asked', handoff: event.handoff, question: event.question },
        event.at,
      )) satisfies Subscriber<'handoff.question_asked'>,
    /** Tells the asker the answer. */
    tellOfAnswer: ((trx, event) =>
      tell(
        trx,
        { kind: 'question_answered', handoff: event.handoff, question: event.question },
        event.at,
      )) satisfies Subscriber<'handoff.question_answered'>,
    /** Nudges the receivers of a packet still unopened at the end of its review window. */
    tellOfUnopenedPacket: ((trx, event) =>
      tell(
        trx,
        { kind: 'review_nudge', handoff: event.handoff, window: event.window },
        event.at,
      )) satisfies Subscriber<'handoff.review_overdue'>,
  };
}

async function messageOf(trx: Tx, notice: HandoffNotice, nameField: FieldNamer): Promise<Message> {
  const names = await namesOf(trx, notice.handoff, notice);
  return { ...(await wordsOf(trx, notice, names, nameField)), chatWebhookUrl: names.chatWebhookUrl };
}

async function wordsOf(
  trx: Tx,
  notice: HandoffNotice,
  names: Names,
  nameField: FieldNamer,
): Promise<Omit<Message, 'chatWebhookUrl'>> {
  const h = notice.handoff;
  const revision = Number(h.revision);
  const title = `"${h.title}"`;
  switch (notice.kind) {
    case 'handoff_submitted':
      return {
        eventKey: `handoff_submitted:${h.id}:${revision}`,
        subject: `To review: ${h.title}`,
        text: [
          revision > 1
            ? `${names.actor} (${names.sending}) resubmitted ${title} to ${names.receiving} as revision ${revision}.`
            : `${names.actor} (${names.sending}) submitted ${title} to ${names.receiving}.`,
          'It waits for your review: read it, ask about anything unclear, then accept or reject it.',
        ].join('\n'),
        audience: await receivers(trx, h, notice.kind, notice.by),
      };
    case 'handoff_rejected': {
      const decision = h.decision ? (JSON.parse(h.decision) as Decision) : null;
      const reason = decision?.reason_label ?? decision?.reason_code ?? 'no reason given';
      return {
        eventKey: `handoff_rejected:${h.id}:${revision}`,
        subject: `Rejected: ${h.title}`,
        text: [
          `${names.actor} (${names.receiving}) rejected revision ${revision} of ${title}: ${reason}.`,
          ...(decision?.explanation ? ['', decision.explanation, ''] : []),
          'Revise the packet and submit it again.',
        ].join('\n'),
        audience: await senders(trx, h, notice.kind, notice.by),
      };
    }
    case 'question_asked':
      return {
        eventKey: `question_asked:${notice.question.id}`,
        subject: `Question on ${h.title}`,
        text: [
          `${askerOf(notice.question, names)} asked about ${await subjectOf(trx, h, notice.question.path, nameField)} in ${title}:`,
          '',
          notice.question.body,
          '',
          'Open questions hold up acceptance until you answer them.',
        ].join('\n'),
        audience: await senders(trx, h, notice.kind, notice.question.asked_by),
      };
    case 'question_answered':
      return {
        eventKey: `question_answered:${notice.question.id}`,
        subject: `Answered: your question on ${h.title}`,
        text: [
          `${names.actor} (${names.sending}) answered your question about ${await subjectOf(trx, h, notice.question.path, nameField)} in ${title}.`,
          '',
          `You asked: ${notice.question.body}`,
          `Answer: ${notice.question.answer ?? ''}`,
          ...(notice.question.amended_revision
            ? ['', `The field is corrected in the packet: revision ${notice.question.amended_revision}.`]
            : []),
        ].join('\n'),
        audience: await audienceOf(
          trx,
          h.org_id,
          { userIds: [notice.question.asked_by] },
          notice.kind,
          notice.question.answered_by,
        ),
      };
    case 'review_nudge':
      return {
        eventKey: `review_nudge:${h.id}:${revision}`,
        subject: `Not opened yet: ${h.title}`,
        text: [
          `${title} was submitted to ${names.receiving} on ${names.submittedAt()}, and nobody there has opened it within its review window (${notice.window}).`,
          'Please read it, ask about anything unclear, then accept or reject it.',
        ].join('\n'),
        audience: await receivers(trx, h, notice.kind, null),
      };
    default:
      return assertUnreachable(notice);
  }
}

/** Who asked, in a notice's words: a user and their team, or the client (through the portal, `contact:<id>`). */
function askerOf(question: Question, names: { actor: string; receiving: string }): string {
  return question.asked_by.startsWith('contact:')
    ? 'The client, through the portal,'
    : `${names.actor} (${names.receiving})`;
}

/** The receiving side: the assignee when there is one, otherwise the receiving team. */
function receivers(trx: Tx, h: HandoffRow, kind: NoticeKind, except: string | null): Promise<Audience> {
  return audienceOf(
    trx,
    h.org_id,
    h.assignee_user_id ? { userIds: [h.assignee_user_id] } : { teamIds: [h.receiving_team_id] },
    kind,
    except,
  );
}

/**
 * The sending side: whoever opened the handoff and whoever submitted its current revision; the
 * sending team when neither is an active user any more.
 */
async function senders(trx: Tx, h: HandoffRow, kind: NoticeKind, except: string | null): Promise<Audience> {
  const revision = await selectSubmitter.first(trx, {
    orgId: h.org_id,
    handoffId: h.id,
    number: Number(h.revision),
  });
  const people = await audienceOf(
    trx,
    h.org_id,
    { userIds: [h.created_by, revision?.submitted_by ?? null] },
    kind,
    except,
  );
  return people.matched > 0
    ? people
    : audienceOf(trx, h.org_id, { teamIds: [h.sending_team_id] }, kind, except);
}

const selectSubmitter = preparedQuery((db, v: { orgId: string; handoffId: string; number: number }) =>
  db
    .selectFrom('handoff_revisions')
    .select('submitted_by')
    .where('org_id', '=', v.orgId)
    .where('handoff_id', '=', v.handoffId)
    .where('number', '=', v.number),
);

type Names = Awaited<ReturnType<typeof namesOf>>;

/**
 * Names the notice's text uses (who acted, both teams, and when the packet was submitted), and
 * the organisation's chat webhook, in one read.
 */
async function namesOf(trx: Tx, h: HandoffRow, notice: HandoffNotice) {
  const actorId =
    notice.kind === 'question_asked'
      ? notice.question.asked_by
      : notice.kind === 'question_answered'
        ? notice.question.answered_by
        : notice.kind === 'review_nudge'
          ? null
          : notice.by;
  const names = await selectNames.firstOrThrow(trx, {
    orgId: h.org_id,
    sendingTeamId: h.sending_team_id,
    receivingTeamId: h.receiving_team_id,
    actorId,
  });
  return {
    actor: names.actor ?? 'Someone',
    sending: names.sending ?? 'the sending team',
    receiving: names.receiving ?? 'the receiving team',
    chatWebhookUrl: names.chat_webhook_url ?? null,
    /** When the packet was submitted, as the organisation reads the time. */
    submittedAt: () =>
      h.submitted_at ? localTime(new Date(h.submitted_at), names.time_zone) : 'an earlier date',
  };
}

// One row: the organisation's time zone, the two teams' names, the actor's name and the chat webhook.
const selectNames = preparedQuery(
  (db, v: { orgId: string; sendingTeamId: string; receivingTeamId: string; actorId: string | null }) =>
    db
      .selectFrom('organisations')
      .select((eb) => [
        'organisations.time_zone',
        eb
          .selectFrom('teams')
          .select('teams.name')
          .whereRef('teams.org_id', '=', 'organisations.id')
          .where('teams.id', '=', v.sendingTeamId)
          .as('sending'),
        eb
          .selectFrom('teams')
          .select('teams.name')
          .whereRef('teams.org_id', '=', 'organisations.id')
          .where('teams.id', '=', v.receivingTeamId)
          .as('receiving'),
        eb
          .selectFrom('users')
          .select('users.name')
          .whereRef('users.org_id', '=', 'organisations.id')
          .where('users.id', '=', v.actorId)
          .as('actor'),
        eb
          .selectFrom('notification_settings')
          .select('notification_settings.chat_webhook_url')
          .whereRef('notification_settings.org_id', '=', 'organisations.id')
          .as('chat_webhook_url'),
      ])
      .where('organisations.id', '=', v.orgId),
);

/** "Fri 6 Mar 2026, 11:00 (America/New_York)": an instant as the organisation reads it. */
function localTime(at: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${text.replace(/^(\w+),? /, '$1 ')} (${timeZone})`;
}

/** What a question is about, in the playbook's words: "In-scope work (Scope)" or "the packet". */
async function subjectOf(
  trx: Tx,
  h: HandoffRow,
  path: string | null,
  nameField: FieldNamer,
): Promise<string> {
  if (!path || !/^\/packet\/[^/]+\/[^/]+$/.test(path)) return 'the packet';
  return (await nameField(trx, h, path)) ?? path;
}
