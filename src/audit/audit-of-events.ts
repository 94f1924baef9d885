import type { DomainEvent, DomainEventType, EventOf } from '../kernel/event-types.js';
import type { EverySubscriber } from '../kernel/events.js';
import { appendAudit } from './append-audit.js';
import type { AuditAction, AuditEntry } from './audit-entry.js';

/**
 * How one type of event is recorded in the audit log. Where an audit action has the event's own
 * name the two coincide, and the entry of that action must come first: the entry is derived from
 * the event, so they cannot drift. An event that changes nothing worth auditing answers none.
 */
export type AuditOf<K extends DomainEventType> = (
  event: EventOf<K>,
) => K extends AuditAction ? readonly [AuditEntry<K>, ...AuditEntry[]] : readonly AuditEntry[];

/** How every type of event is recorded: complete, so a new event type must say how. */
export type AuditOfEvents = { [K in DomainEventType]: AuditOf<K> };

/**
 * The audit trail as a subscriber of every event: appends the entries `table` derives from it,
 * as the event's actor, at its time, in its organisation. Registered first at the composition
 * root, so an event's own entries precede those of the reactions to it.
 *
 * @example
 *   Subscribers.empty().onEvery('audit: the entries each event is recorded as', auditTrailOf(table))
 */
export function auditTrailOf(table: AuditOfEvents): EverySubscriber {
  return async (trx, event) => {
    const derive = table[event.type] as (event: DomainEvent) => readonly AuditEntry[];
    for (const entry of derive(event)) await appendAudit(trx, event.orgId, event.actor, event.at, entry);
  };
}
