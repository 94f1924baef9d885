import type { AuditEntry, AuditFields } from '../audit/audit-entry.js';
import type {
  CloseoutDebriefsTable,
  EngagementsTable,
  PunchItemsTable,
  TrainingRecordsTable,
  WarrantiesTable,
} from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';

/**
 * The closeout's records changed: warranties and support contracts (the checkpoints feature opens,
 * moves and waives the reminder before each expiry on these), the punch list, training, the
 * internal debrief, the service lead's introduction; and the engagement closed out (the portal
 * sends the survey on it). Each type is also the action of its audit entry.
 */
export interface CloseoutRecordEvents {
  'warranty.recorded': { warranty: WarrantiesTable };
  'warranty.updated': { warranty: WarrantiesTable; changed: { before: AuditFields; after: AuditFields } };
  'warranty.removed': { warranty: WarrantiesTable };
  'punch_item.added': { item: PunchItemsTable };
  'punch_item.updated': { item: PunchItemsTable; changed: { before: AuditFields; after: AuditFields } };
  'training.recorded': { training: TrainingRecordsTable };
  'training.removed': { training: TrainingRecordsTable };
  'debrief.recorded': { debrief: CloseoutDebriefsTable };
  'service_lead.introduced': { engagement: EngagementsTable };
  'engagement.closed_out': { engagement: EngagementsTable };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends CloseoutRecordEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'warranty.recorded': { entityType: 'warranty'; before?: null; after: AuditFields };
    'warranty.updated': { entityType: 'warranty'; before: AuditFields; after: AuditFields };
    'warranty.removed': { entityType: 'warranty'; before: AuditFields; after?: null };
    'punch_item.added': { entityType: 'punch_item'; before?: null; after: AuditFields };
    'punch_item.updated': { entityType: 'punch_item'; before: AuditFields; after: AuditFields };
    'training.recorded': { entityType: 'training_record'; before?: null; after: AuditFields };
    'training.removed': { entityType: 'training_record'; before: AuditFields; after?: null };
    'debrief.recorded': { entityType: 'debrief'; before?: null; after: AuditFields };
    'service_lead.introduced': {
      entityType: 'engagement';
      before?: null;
      after: { service_lead_user_id: string | null; introduced_at: string | null };
    };
    'engagement.closed_out': {
      entityType: 'engagement';
      before?: null;
      after: { closed_out_at: string | null };
    };
  }
}

/** A row without its bookkeeping: what the audit log keeps of a record. */
function describe(row: {
  id: string;
  org_id: string;
  engagement_id: string;
  created_at: string;
  updated_at: string;
}) {
  const { id: _i, org_id: _o, engagement_id: _e, created_at: _c, updated_at: _u, ...rest } = row;
  return rest as AuditFields;
}

const links = (row: { id: string; engagement_id: string }) => ({
  entityId: row.id,
  engagementId: row.engagement_id,
});

/** The audit entry each closeout record event is recorded as. */
export const CLOSEOUT_RECORDS_AUDIT = {
  'warranty.recorded': (e: EventOf<'warranty.recorded'>): [AuditEntry<'warranty.recorded'>] => [
    {
      action: 'warranty.recorded',
      entityType: 'warranty',
      ...links(e.warranty),
      after: describe(e.warranty),
    },
  ],
  'warranty.updated': (e: EventOf<'warranty.updated'>): [AuditEntry<'warranty.updated'>] => [
    { action: 'warranty.updated', entityType: 'warranty', ...links(e.warranty), ...e.changed },
  ],
  'warranty.removed': (e: EventOf<'warranty.removed'>): [AuditEntry<'warranty.removed'>] => [
    {
      action: 'warranty.removed',
      entityType: 'warranty',
      ...links(e.warranty),
      before: describe(e.warranty),
    },
  ],
  'punch_item.added': (e: EventOf<'punch_item.added'>): [AuditEntry<'punch_item.added'>] => [
    { action: 'punch_item.added', entityType: 'punch_item', ...links(e.item), after: describe(e.item) },
  ],
  'punch_item.updated': (e: EventOf<'punch_item.updated'>): [AuditEntry<'punch_item.updated'>] => [
    { action: 'punch_item.updated', entityType: 'punch_item', ...links(e.item), ...e.changed },
  ],
  'training.recorded': (e: EventOf<'training.recorded'>): [AuditEntry<'training.recorded'>] => [
    {
      action: 'training.recorded',
      entityType: 'training_record',
      ...links(e.training),
      after: describe(e.training),
    },
  ],
  'training.removed': (e: EventOf<'training.removed'>): [AuditEntry<'training.removed'>] => [
    {
      action: 'training.removed',
      entityType: 'training_record',
      ...links(e.training),
      before: describe(e.training),
    },
  ],
  'debrief.recorded': (e: EventOf<'debrief.recorded'>): [AuditEntry<'debrief.recorded'>] => [
    { action: 'debrief.recorded', entityType: 'debrief', ...links(e.debrief), after: describe(e.debrief) },
  ],
  'service_lead.introduced': (
    e: EventOf<'service_lead.introduced'>,
  ): [AuditEntry<'service_lead.introduced'>] => [
    {
      action: 'service_lead.introduced',
      entityType: 'engagement',
      entityId: e.engagement.id,
      engagementId: e.engagement.id,
      after: {
        service_lead_user_id: e.engagement.service_lead_user_id,
        introduced_at: e.engagement.service_lead_introduced_at,
      },
    },
  ],
  'engagement.closed_out': (e: EventOf<'engagement.closed_out'>): [AuditEntry<'engagement.closed_out'>] => [
    {
      action: 'engagement.closed_out',
      entityType: 'engagement',
      entityId: e.engagement.id,
      engagementId: e.engagement.id,
      after: { closed_out_at: e.engagement.closed_out_at },
    },
  ],
};
