import { closeRefusal } from '../handoffs/public.js';
import type { Db, Tx } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import type { EventOf } from '../kernel/event-types.js';
import type { Subscriber } from '../kernel/events.js';
import { type HandoffEventName, onHandoffEvent } from './checkpoint-engine.js';
import { openCheckpointsOfEach } from './checkpoint-records.js';
import { closeBlockers } from './domain/settle-checkpoints.js';

/** The handoff events checkpoints are anchored to or completed by, and the engine's name of each. */
const ENGINE_EVENTS = {
  'handoff.created': 'created',
  'handoff.submitted': 'submitted',
  'handoff.accepted': 'accepted',
  'handoff.rejected': 'rejected',
  'handoff.withdrawn': 'withdrawn',
  'handoff.delivery_started': 'delivery_started',
  'handoff.closed': 'closed',
} as const satisfies Record<string, HandoffEventName>;

type EngineEventType = keyof typeof ENGINE_EVENTS;

/**
 * The checkpoint engine as a subscriber of one handoff event: settles the checkpoints it completes
 * or makes pointless, records it as a milestone and opens (or moves) the checkpoints anchored to it.
 *
 * @example
 *   subscribers.on('handoff.accepted', 'checkpoints: settle and open', settleCheckpointsOn('handoff.accepted'))
 */
export function settleCheckpointsOn<K extends EngineEventType>(type: K): Subscriber<K> {
  return (trx: Tx, event: EventOf<K>) =>
    onHandoffEvent(trx, {
      orgId: event.orgId,
      handoff: event.handoff,
      event: ENGINE_EVENTS[type],
      at: event.at,
      actor: event.actor,
    });
}

/**
 * Refuses a close (409, naming each one) while a checkpoint the playbook requires before the
 * close (`on_close: require`) is open: the close and everything done with it roll back.
 * Registered before the engine's own reaction to the close, which would waive the rest.
 */
export const refuseCloseWhileRequiredOpen: Subscriber<'handoff.closed'> = async (trx, event) => {
  const blockers = await closeBlockersOf(trx, event.orgId, [event.handoff.id]);
  const refusal = closeRefusal(blockers.get(event.handoff.id) ?? []);
  if (refusal) throw new AppError('conflict', refusal.message, refusal.issues);
};

/**
 * One problem per open checkpoint the playbook requires done or waived before a close, for each
 * of the handoffs (in one query; handoffs with none are absent): what the close is refused on,
 * and what the handoffs feature asks (its `Ports`) to decide its views' `close` action, handed in
 * at the composition root.
 */
export async function closeBlockersOf(
  db: Db,
  orgId: string,
  handoffIds: readonly string[],
): Promise<Map<string, ReturnType<typeof closeBlockers>>> {
  const blockers = new Map<string, ReturnType<typeof closeBlockers>>();
  for (const [handoffId, open] of await openCheckpointsOfEach(db, orgId, handoffIds)) {
    const found = closeBlockers(open);
    if (found.length > 0) blockers.set(handoffId, found);
  }
  return blockers;
}
