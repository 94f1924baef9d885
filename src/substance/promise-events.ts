import type { AuditEntry, AuditFields } from '../audit/audit-entry.js';
import type { PromisesTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';

/** The fields of a promise an update may change, as its events and audit entries name them. */
export interface PromiseFields {
  text: string;
  made_by: string;
  in_contract: boolean;
  status: string;
  status_note: string | null;
}

/**
 * A promise changed ("promise changed" in the words): recorded on the engagement,
 * reworded or settled (kept, broken, renegotiated), or removed because the packet that carried it
 * no longer does. Each carries the promise as it now is (as it was, when removed); each type is
 * also the action of its audit entry.
 */
export interface PromiseEvents {
  'promise.recorded': { promise: PromisesTable };
  /** `changed`: the fields the update changed, before and after. */
  'promise.updated': { promise: PromisesTable; changed: { before: AuditFields; after: AuditFields } };
  'promise.removed': { promise: PromisesTable };
  /**
   * A submitted or amended packet added or removed promises (the plan's own audit entries record
   * each one): for the features that keep something per promise without reading the packet.
   */
  'promises.reconciled': { added: readonly PromisesTable[]; removed: readonly string[] };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends PromiseEvents {}
}

/** The audit entries of the engagement's substance: promises, scope items, the success ladder. */
declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'promise.recorded': {
      entityType: 'promise';
      before?: null;
      after: { text: string; made_by: string; in_contract: boolean };
    };
    'promise.updated': { entityType: 'promise'; before: AuditFields; after: AuditFields };
    'promise.removed': { entityType: 'promise'; before: { text: string }; after?: null };
    'scope_item.recorded': {
      entityType: 'scope_item';
      before?: null;
      after: { kind: string; description: string };
    };
    'scope_item.updated': { entityType: 'scope_item'; before: AuditFields; after: AuditFields };
    'scope_item.removed': {
      entityType: 'scope_item';
      before: { kind: string; description: string };
      after?: null;
    };
    'success_ladder.recorded': { entityType: 'success_ladder'; before?: null; after: AuditFields };
    'success_ladder.updated': { entityType: 'success_ladder'; before?: AuditFields; after: AuditFields };
  }
}

/** Where a promise's entries belong. */
function linksOf(promise: PromisesTable) {
  return { entityId: promise.id, handoffId: promise.handoff_id, engagementId: promise.engagement_id };
}

/**
 * The audit entry each promise event is recorded as: the one source of both, so they cannot drift.
 *
 * @example
 *   PROMISE_AUDIT['promise.removed'](event) // [{ action: 'promise.removed', before: { text }, … }]
 */
export const PROMISE_AUDIT = {
  // Each promise the plan added or removed is already an entry of its own.
  'promises.reconciled': (): [] => [],
  'promise.recorded': (e: EventOf<'promise.recorded'>): [AuditEntry<'promise.recorded'>] => [
    {
      action: 'promise.recorded',
      entityType: 'promise',
      ...linksOf(e.promise),
      after: {
        text: e.promise.text,
        made_by: e.promise.made_by,
        in_contract: !!Number(e.promise.in_contract),
      },
    },
  ],
  'promise.updated': (e: EventOf<'promise.updated'>): [AuditEntry<'promise.updated'>] => [
    {
      action: 'promise.updated',
      entityType: 'promise',
      ...linksOf(e.promise),
      before: e.changed.before,
      after: e.changed.after,
    },
  ],
  'promise.removed': (e: EventOf<'promise.removed'>): [AuditEntry<'promise.removed'>] => [
    {
      action: 'promise.removed',
      entityType: 'promise',
      ...linksOf(e.promise),
      before: { text: e.promise.text },
    },
  ],
};
