import { type Static, Type } from 'typebox';
import { SYSTEM } from '../kernel/actor.js';
import type { Tx } from '../kernel/context.js';
import type { Subscriber } from '../kernel/events.js';
import { defineJob, type JobHandler } from '../scheduler/define-job.js';
import { DEFAULT_LINK_DAYS, expiryOf, linkState, SURVEY_REMINDER_DAYS } from './domain/portal-link.js';
import { issueLink } from './link-records.js';

/** Whom the survey goes to: the first contact of the account with an e-mail, by this order of roles. */
const SURVEY_ROLES = ['sponsor', 'decision_maker', 'buyer', 'champion', 'operator', 'other'];

/** Who answers the survey of an engagement, and what the mail needs. */
async function surveyee(trx: Tx, orgId: string, engagementId: string) {
  const engagement = await trx
    .selectFrom('engagements')
    .innerJoin('organisations', 'organisations.id', 'engagements.org_id')
    .select([
      'engagements.id',
      'engagements.name',
      'engagements.account_id',
      'organisations.name as org_name',
      'organisations.locale',
      'organisations.time_zone',
    ])
    .where('engagements.org_id', '=', orgId)
    .where('engagements.id', '=', engagementId)
    .executeTakeFirst();
  if (!engagement) return null;
  const contacts = await trx
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'role', 'created_at'])
    .where('org_id', '=', orgId)
    .where('account_id', '=', engagement.account_id)
    .where('email', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const rank = (role: string) => {
    const at = SURVEY_ROLES.indexOf(role);
    return at < 0 ? SURVEY_ROLES.length : at;
  };
  const contact = [...contacts].sort((a, b) => rank(a.role) - rank(b.role))[0];
  if (!contact?.email) return null;
  const organisation = {
    name: engagement.org_name,
    locale: engagement.locale,
    time_zone: engagement.time_zone,
  };
  return { engagement, organisation, contact: { id: contact.id, name: contact.name, email: contact.email } };
}

/**
 * When an engagement is closed out, its client is sent the survey (CSAT and NPS) through the
 * outbox, and one reminder is timed `SURVEY_REMINDER_DAYS` later. An account with no contact
 * reachable by e-mail gets none.
 */
export const sendSurveyOnCloseout: Subscriber<'engagement.closed_out'> = async (trx, event) => {
  const who = await surveyee(trx, event.orgId, event.engagement.id);
  if (!who) return;
  const { row } = await issueLink(
    trx,
    {
      orgId: event.orgId,
      engagement: who.engagement,
      contact: who.contact,
      organisation: who.organisation,
      purpose: 'survey',
      days: DEFAULT_LINK_DAYS,
      actor: SYSTEM,
    },
    event.at,
  );
  await surveyReminderJob.setTimer(
    trx,
    {
      dedupeKey: `survey_reminder:${event.engagement.id}`,
      orgId: event.orgId,
      payload: { linkId: row.id },
      availableAt: expiryOf(event.at, SURVEY_REMINDER_DAYS),
    },
    event.at,
  );
};

const SurveyReminder = Type.Object({ linkId: Type.String({ minLength: 1 }) });

/**
 * The survey's one reminder: if the survey is still unanswered (its link neither used nor revoked
 * nor expired), the contact is sent a second link to it, valid as long as the first, since the
 * first one's token is not kept. Answering through either uses up both.
 */
const remind: JobHandler<Static<typeof SurveyReminder>> = {
  async commit(trx, job, now) {
    const link = await trx
      .selectFrom('portal_links')
      .selectAll()
      .where('id', '=', job.payload.linkId)
      .executeTakeFirst();
    if (!link || linkState(link, now) !== 'active') return;
    const who = await surveyee(trx, link.org_id, link.engagement_id);
    const contact = await trx
      .selectFrom('contacts')
      .select(['id', 'name', 'email'])
      .where('org_id', '=', link.org_id)
      .where('id', '=', link.contact_id)
      .executeTakeFirst();
    if (!who || !contact?.email) return;
    const daysLeft = Math.max(1, Math.ceil((Date.parse(link.expires_at) - now.getTime()) / 86_400_000));
    await issueLink(
      trx,
      {
        orgId: link.org_id,
        engagement: who.engagement,
        contact: { id: contact.id, name: contact.name, email: contact.email },
        organisation: who.organisation,
        purpose: 'survey',
        days: daysLeft,
        actor: SYSTEM,
        reminder: true,
      },
      now,
    );
  },
};

export const surveyReminderJob = defineJob({
  kind: 'portal_survey_reminder',
  version: 1,
  schema: SurveyReminder,
  handle: remind,
});
