import type { AuditEntry } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';
import type { RecordImport } from './record-import-schema.js';

/**
 * A CSV file of accounts, contacts or engagements imported whole: one event for the file, not one
 * per row (the audit log records that the import happened and what it did; the records are the
 * record of what).
 */
export interface RecordImportEvents {
  'records.imported': RecordImport & { importId: string; bytes: number };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends RecordImportEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'records.imported': {
      entityType: 'import';
      before?: null;
      after: RecordImport & { bytes: number };
    };
  }
}

/** The audit entry an import is recorded as. */
export const RECORD_IMPORT_AUDIT = {
  'records.imported': (e: EventOf<'records.imported'>): [AuditEntry<'records.imported'>] => [
    {
      action: 'records.imported',
      entityType: 'import',
      entityId: e.importId,
      after: {
        kind: e.kind,
        rows: e.rows,
        created: e.created,
        updated: e.updated,
        unchanged: e.unchanged,
        accounts_created: e.accounts_created,
        bytes: e.bytes,
      },
    },
  ],
};
