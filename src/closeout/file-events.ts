import type { AuditEntry } from '../audit/audit-entry.js';
import type { EngagementFilesTable, EngagementFileVersionsTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';

/**
 * A file was uploaded to an engagement: a new file (version 1) or a new version of one. Carries
 * the file as it now is and the version written; it is also the action of its audit entry.
 */
export interface FileEvents {
  'file.uploaded': { file: EngagementFilesTable; version: EngagementFileVersionsTable };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends FileEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'file.uploaded': {
      entityType: 'engagement_file';
      before?: null;
      after: { name: string; tag: string; version: number; sha256: string; size: number; media_type: string };
    };
  }
}

/** The audit entry of each file event. */
export const FILE_AUDIT = {
  'file.uploaded': (e: EventOf<'file.uploaded'>): [AuditEntry<'file.uploaded'>] => [
    {
      action: 'file.uploaded',
      entityType: 'engagement_file',
      entityId: e.file.id,
      engagementId: e.file.engagement_id,
      after: {
        name: e.file.name,
        tag: e.file.tag,
        version: e.version.version,
        sha256: e.version.sha256,
        size: Number(e.version.size),
        media_type: e.version.media_type,
      },
    },
  ],
};
