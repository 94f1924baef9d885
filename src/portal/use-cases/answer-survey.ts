import { type Deps, inTransaction } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { invalidLink, markUsed, openLink } from '../link-records.js';
import type { PortalReceipt } from '../portal-schema.js';

/**
 * The client answers the closeout survey: satisfaction (CSAT, 1–5), likelihood to recommend (NPS,
 * 0–10) and an optional comment. Once per contact and engagement: the survey link and its
 * reminder's are both used up by the first answer.
 */
export async function answerSurvey(
  deps: Deps,
  token: string,
  input: { csat: number; nps: number; comment?: string | null },
): Promise<PortalReceipt> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const open = await openLink(trx, token, now, 'survey');
    const { link } = open;
    const answered = await trx
      .selectFrom('survey_responses')
      .select('id')
      .where('org_id', '=', link.org_id)
      .where('engagement_id', '=', link.engagement_id)
      .where('contact_id', '=', link.contact_id)
      .executeTakeFirst();
    if (answered) throw invalidLink();
    await markUsed(trx, link, now);
    // The other survey link of this contact (the reminder's, or the first) opens nothing now.
    await trx
      .updateTable('portal_links')
      .set({ used_at: now.toISOString() })
      .where('org_id', '=', link.org_id)
      .where('engagement_id', '=', link.engagement_id)
      .where('contact_id', '=', link.contact_id)
      .where('purpose', '=', 'survey')
      .where('used_at', 'is', null)
      .execute();
    const comment = input.comment?.trim() || null;
    const response = {
      id: newId(),
      org_id: link.org_id,
      engagement_id: link.engagement_id,
      link_id: link.id,
      contact_id: link.contact_id,
      csat: input.csat,
      nps: input.nps,
      comment,
      answered_at: now.toISOString(),
    };
    await trx.insertInto('survey_responses').values(response).execute();
    await publish(trx, {
      type: 'survey.answered',
      orgId: link.org_id,
      actor: { type: 'system', id: null },
      at: now,
      response,
    });
    return { at: response.answered_at, message: 'Thank you for your answers.' };
  });
}
