import { loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { PortalActivity } from '../portal-schema.js';

/**
 * What came back through the portal on an engagement, newest first: confirmations with each
 * difference and the question it became (or none, kept here), sign-offs, survey answers.
 */
export async function getPortalActivity(
  deps: Deps,
  principal: Principal,
  engagementId: string,
): Promise<PortalActivity> {
  requireCapability(principal, 'read', "read the client portal's answers");
  const db = deps.store.db;
  const org = principal.orgId;
  await loadEngagement(db, org, engagementId);
  const [confirmations, signoffs, responses] = await Promise.all([
    db
      .selectFrom('portal_confirmations')
      .innerJoin('contacts', 'contacts.id', 'portal_confirmations.contact_id')
      .select([
        'portal_confirmations.id',
        'portal_confirmations.differences',
        'portal_confirmations.confirmed_at',
        'contacts.name as contact_name',
      ])
      .where('portal_confirmations.org_id', '=', org)
      .where('portal_confirmations.engagement_id', '=', engagementId)
      .orderBy('portal_confirmations.confirmed_at', 'desc')
      .execute(),
    db
      .selectFrom('closeout_signoffs')
      .innerJoin('contacts', 'contacts.id', 'closeout_signoffs.contact_id')
      .select([
        'closeout_signoffs.id',
        'closeout_signoffs.signer_name',
        'closeout_signoffs.signed_at',
        'closeout_signoffs.package_sha256',
        'contacts.name as contact_name',
      ])
      .where('closeout_signoffs.org_id', '=', org)
      .where('closeout_signoffs.engagement_id', '=', engagementId)
      .orderBy('closeout_signoffs.signed_at', 'desc')
      .execute(),
    db
      .selectFrom('survey_responses')
      .innerJoin('contacts', 'contacts.id', 'survey_responses.contact_id')
      .select([
        'survey_responses.id',
        'survey_responses.csat',
        'survey_responses.nps',
        'survey_responses.comment',
        'survey_responses.answered_at',
        'contacts.name as contact_name',
      ])
      .where('survey_responses.org_id', '=', org)
      .where('survey_responses.engagement_id', '=', engagementId)
      .orderBy('survey_responses.answered_at', 'desc')
      .execute(),
  ]);
  return {
    confirmations: confirmations.map((c) => ({
      id: c.id,
      contact_name: c.contact_name,
      confirmed_at: c.confirmed_at,
      differences: (
        JSON.parse(c.differences) as {
          about: string;
          text: string;
          question_id: string | null;
          handoff_id: string | null;
        }[]
      ).map((d) => ({ about: d.about, text: d.text, question_id: d.question_id, handoff_id: d.handoff_id })),
    })),
    signoffs,
    survey_responses: responses.map((r) => ({ ...r, csat: Number(r.csat), nps: Number(r.nps) })),
  };
}
