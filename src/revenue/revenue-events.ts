import type { AuditEntry } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';

/**
 * What happens to revenue records: a batch (posted or imported) was stored, audited as one entry
 * with its counts and the periods and currencies it touched; a record was removed, audited with
 * what it said.
 */
export interface RevenueEvents {
  'revenue.recorded': {
    batchId: string;
    source: 'api' | 'csv';
    accepted: number;
    duplicates: number;
    periods: string[];
    currencies: string[];
  };
  'revenue.removed': {
    record: {
      id: string;
      account_id: string;
      period: string;
      kind: string;
      amount_minor: number;
      currency: string;
      external_id: string | null;
    };
  };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends RevenueEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'revenue.recorded': {
      entityType: 'revenue_batch';
      before?: null;
      after: {
        source: 'api' | 'csv';
        accepted: number;
        duplicates: number;
        periods: string[];
        currencies: string[];
      };
    };
    'revenue.removed': {
      entityType: 'revenue_record';
      before: RevenueEvents['revenue.removed']['record'];
      after?: null;
    };
  }
}

/** The audit entries of the revenue events. */
export const REVENUE_AUDIT = {
  'revenue.recorded': (e: EventOf<'revenue.recorded'>): [AuditEntry<'revenue.recorded'>] => [
    {
      action: 'revenue.recorded',
      entityType: 'revenue_batch',
      entityId: e.batchId,
      after: {
        source: e.source,
        accepted: e.accepted,
        duplicates: e.duplicates,
        periods: e.periods,
        currencies: e.currencies,
      },
    },
  ],
  'revenue.removed': (e: EventOf<'revenue.removed'>): [AuditEntry<'revenue.removed'>] => [
    { action: 'revenue.removed', entityType: 'revenue_record', entityId: e.record.id, before: e.record },
  ],
};
