import type { Principal } from '../../identity/domain/roles.js';
import type { Tx } from '../../kernel/context.js';
import type { EventOf } from '../../kernel/event-types.js';
import type { Subscriber } from '../../kernel/events.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { reconcileSubstance } from './reconcile-substance.js';

/**
 * Reconciles the engagement's records with a submitted packet (see `reconcileSubstance`), in the
 * submit's transaction: two submits for one account take turns on the account's row lock.
 */
export const reconcileOnSubmit: Subscriber<'handoff.submitted'> = (trx, event) => reconcile(trx, event);

/**
 * Reconciles them again with a packet amended in an answer: the promise or scope item the
 * corrected field maps to changes with it, as at a resubmit.
 */
export const reconcileOnAmendment: Subscriber<'handoff.amended'> = (trx, event) => reconcile(trx, event);

async function reconcile(trx: Tx, event: EventOf<'handoff.submitted'> | EventOf<'handoff.amended'>) {
  const { handoff } = event;
  // Cached since the submit read it: no query.
  const playbook = await playbookById(trx, event.orgId, handoff.playbook_id);
  const transition = playbook.transition(handoff.transition_key)?.def;
  if (!transition)
    throw new Error(`Handoff ${handoff.id} names a missing transition ${handoff.transition_key}`);
  await reconcileSubstance(trx, submitter(event.orgId, event.actor.id), event.at, {
    handoffId: handoff.id,
    engagementId: handoff.engagement_id,
    transition,
    packet: event.packet,
  });
}

/**
 * Who the reconciliation writes as: the user who submitted. It reads only their organisation and
 * id; the submit was authorised already, so this principal carries no authority of its own.
 */
function submitter(orgId: string, userId: string | null): Principal {
  return { orgId, userId: userId ?? '', email: '', role: 'viewer', teamIds: [], scopes: [] };
}
