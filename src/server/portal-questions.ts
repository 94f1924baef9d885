import { askForClient } from '../handoffs/public.js';
import type { Subscriber } from '../kernel/events.js';
import { noteDifferenceQuestions } from '../portal/public.js';

const ABOUT: Record<string, string> = {
  goal: 'the goal',
  metric: 'how success is measured',
  scope: 'the scope',
  other: 'the engagement',
};

/**
 * Each difference a client named in the portal becomes a question to the team on the
 * engagement's latest handoff that can take one (the handoffs' public face); where none can, the
 * difference stays on the engagement, listed with the portal's answers. Noted on the confirmation
 * either way, in the transaction of the confirmation.
 */
export const askTeamAboutDifferences: Subscriber<'portal.confirmed'> = async (trx, event) => {
  const asked = [];
  for (const difference of event.differences) {
    asked.push(
      await askForClient(trx, {
        orgId: event.orgId,
        engagementId: event.confirmation.engagement_id,
        body: `From the client portal: ${event.contactName} understands ${ABOUT[difference.about] ?? 'it'} differently: ${difference.text}`,
        askedBy: `contact:${event.confirmation.contact_id}`,
        at: event.at,
      }),
    );
  }
  if (asked.length) await noteDifferenceQuestions(trx, event.confirmation, asked);
};
