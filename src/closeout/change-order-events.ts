import type { AuditEntry, AuditFields } from '../audit/audit-entry.js';
import type { ChangeOrdersTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';
import type { ChangeOrderAction, ChangeOrderState } from './domain/change-order.js';

/**
 * Scope creep: out-of-scope work logged as a change order (`identified`), and each move of it
 * (quoted, approved, billed, declined). Each type is also the action of its audit entry.
 */
export interface ChangeOrderEvents {
  'change_order.identified': { changeOrder: ChangeOrdersTable };
  'change_order.moved': {
    changeOrder: ChangeOrdersTable;
    action: ChangeOrderAction;
    from: ChangeOrderState;
    to: ChangeOrderState;
    /** The amount before the move (quoting may replace the estimate). */
    previousAmountMinor: number;
  };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends ChangeOrderEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'change_order.identified': { entityType: 'change_order'; before?: null; after: AuditFields };
    'change_order.moved': {
      entityType: 'change_order';
      before: { state: string; amount_minor: number };
      after: { state: string; amount_minor: number; at: string | null };
    };
  }
}

/** The audit entry each change order event is recorded as. */
export const CHANGE_ORDER_AUDIT = {
  'change_order.identified': (
    e: EventOf<'change_order.identified'>,
  ): [AuditEntry<'change_order.identified'>] => {
    const { id: _i, org_id: _o, engagement_id: _e, created_at: _c, updated_at: _u, ...rest } = e.changeOrder;
    return [
      {
        action: 'change_order.identified',
        entityType: 'change_order',
        entityId: e.changeOrder.id,
        engagementId: e.changeOrder.engagement_id,
        after: rest as AuditFields,
      },
    ];
  },
  'change_order.moved': (e: EventOf<'change_order.moved'>): [AuditEntry<'change_order.moved'>] => [
    {
      action: 'change_order.moved',
      entityType: 'change_order',
      entityId: e.changeOrder.id,
      engagementId: e.changeOrder.engagement_id,
      before: { state: e.from, amount_minor: e.previousAmountMinor },
      after: { state: e.to, amount_minor: e.changeOrder.amount_minor, at: e.changeOrder.updated_at },
    },
  ],
};
