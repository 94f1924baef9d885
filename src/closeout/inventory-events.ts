import type { AuditEntry, AuditFields } from '../audit/audit-entry.js';
import type { InventoryItemsTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';

/**
 * The inventory of an engagement changed: an item added, edited or removed by hand, or a CSV
 * file imported whole (one event for the file, not one per row: the audit log records that the
 * import happened and how many items it added; the rows are the record of what).
 */
export interface InventoryEvents {
  'inventory.item_added': { item: InventoryItemsTable };
  /** `changed`: the fields the update changed, before and after. */
  'inventory.item_updated': {
    item: InventoryItemsTable;
    changed: { before: AuditFields; after: AuditFields };
  };
  'inventory.item_removed': { item: InventoryItemsTable };
  'inventory.imported': { engagementId: string; count: number; bytes: number };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends InventoryEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'inventory.item_added': { entityType: 'inventory_item'; before?: null; after: AuditFields };
    'inventory.item_updated': { entityType: 'inventory_item'; before: AuditFields; after: AuditFields };
    'inventory.item_removed': { entityType: 'inventory_item'; before: AuditFields; after?: null };
    'inventory.imported': {
      entityType: 'engagement';
      before?: null;
      after: { count: number; bytes: number };
    };
  }
}

/** What the audit log keeps of an item: its description, not its row bookkeeping. */
function describe(item: InventoryItemsTable): AuditFields {
  const {
    id: _id,
    org_id: _org,
    engagement_id: _e,
    created_by: _by,
    created_at: _c,
    updated_at: _u,
    ...rest
  } = item;
  return rest;
}

const linksOf = (item: InventoryItemsTable) => ({ entityId: item.id, engagementId: item.engagement_id });

/** The audit entry each inventory event is recorded as. */
export const INVENTORY_AUDIT = {
  'inventory.item_added': (e: EventOf<'inventory.item_added'>): [AuditEntry<'inventory.item_added'>] => [
    {
      action: 'inventory.item_added',
      entityType: 'inventory_item',
      ...linksOf(e.item),
      after: describe(e.item),
    },
  ],
  'inventory.item_updated': (
    e: EventOf<'inventory.item_updated'>,
  ): [AuditEntry<'inventory.item_updated'>] => [
    {
      action: 'inventory.item_updated',
      entityType: 'inventory_item',
      ...linksOf(e.item),
      before: e.changed.before,
      after: e.changed.after,
    },
  ],
  'inventory.item_removed': (
    e: EventOf<'inventory.item_removed'>,
  ): [AuditEntry<'inventory.item_removed'>] => [
    {
      action: 'inventory.item_removed',
      entityType: 'inventory_item',
      ...linksOf(e.item),
      before: describe(e.item),
    },
  ],
  'inventory.imported': (e: EventOf<'inventory.imported'>): [AuditEntry<'inventory.imported'>] => [
    {
      action: 'inventory.imported',
      entityType: 'engagement',
      entityId: e.engagementId,
      engagementId: e.engagementId,
      after: { count: e.count, bytes: e.bytes },
    },
  ],
};
