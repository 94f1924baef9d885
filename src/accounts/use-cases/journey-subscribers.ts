import type { Db, Tx } from '../../kernel/context.js';
import type { HandoffsTable } from '../../kernel/db/schema.js';
import type { EventOf } from '../../kernel/event-types.js';
import type { Subscriber } from '../../kernel/events.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { moveEngagementStage, recordContractSigned } from './engagement-journey.js';

/** The playbook's stages in order and the two the handoff's transition joins; null without the transition. */
async function journeyOf(
  db: Db,
  handoff: HandoffsTable,
): Promise<{ stages: string[]; from: string; to: string } | null> {
  // Cached since the use case read it: no query.
  const playbook = await playbookById(db, handoff.org_id, handoff.playbook_id);
  const def = playbook.transition(handoff.transition_key)?.def;
  return def ? { stages: playbook.playbook.stages.map((s) => s.key), from: def.from, to: def.to } : null;
}

/** Moves the handoff's engagement to the stage its transition starts from (`entering`) or leads to. */
async function moveAlong(trx: Tx, event: EventOf<'handoff.created' | 'handoff.accepted'>, entering: boolean) {
  const journey = await journeyOf(trx, event.handoff);
  if (!journey) return;
  await moveEngagementStage(
    trx,
    event.orgId,
    {
      engagementId: event.handoff.engagement_id,
      handoffId: event.handoff.id,
      target: entering ? journey.from : journey.to,
      stages: journey.stages,
      entering,
    },
    event.actor,
    event.at,
  );
}

/** A handoff opened from a stage puts an engagement that has no stage yet at that stage. */
export const enterJourneyOnDraft: Subscriber<'handoff.created'> = (trx, event) => moveAlong(trx, event, true);

/** An accepted handoff moves its engagement on to the stage it hands over to (forward only). */
export const advanceJourneyOnAcceptance: Subscriber<'handoff.accepted'> = (trx, event) =>
  moveAlong(trx, event, false);

/** A `contract_signed` milestone recorded on one of its handoffs is the engagement's contract date. */
export const recordContractDate: Subscriber<'milestone.recorded'> = async (trx, event) => {
  if (event.key !== 'contract_signed') return;
  await recordContractSigned(
    trx,
    event.orgId,
    {
      engagementId: event.handoff.engagement_id,
      handoffId: event.handoff.id,
      signedAt: new Date(event.milestoneAt),
    },
    event.actor,
    event.at,
  );
};
