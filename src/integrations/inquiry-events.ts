import type { AuditEntry } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';
import type { InquiriesTable } from './inquiry-records.js';

/**
 * What happens to an inquiry (docs/design-integrations.md). `inquiry.routed`: a client's e-mail to
 * the implementation lead became a task for `assigneeUserId` (the service owner after closeout);
 * the checkpoints feature opens it on the engagement's latest handoff (its subscriber, registered
 * at the composition root). Unmatched and refused inquiries are recorded, not published: nothing
 * changed but the log. Never carries the source's secret.
 */
export interface InquiryEvents {
  'inquiry.routed': {
    inquiry: InquiriesTable;
    engagementId: string;
    handoffId: string;
    assigneeUserId: string;
    /** The team that owns the task beside its owner. */
    ownerTeamId: string;
    /** The task's name, and the client's words (an excerpt) for its description. */
    taskName: string;
    taskDescription: string;
    /** When it is due, counted from `received` (the playbook's `task_due`). */
    taskDue: string;
  };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends InquiryEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'inquiry.routed': {
      entityType: 'inquiry';
      before?: null;
      after: { source_id: string; sender: string; assignee_user_id: string; replied_to: string | null };
    };
  }
}

/** The audit entry each inquiry event is recorded as. */
export const INQUIRY_AUDIT = {
  'inquiry.routed': (e: EventOf<'inquiry.routed'>): [AuditEntry<'inquiry.routed'>] => [
    {
      action: 'inquiry.routed',
      entityType: 'inquiry',
      entityId: e.inquiry.id,
      handoffId: e.handoffId,
      engagementId: e.engagementId,
      after: {
        source_id: e.inquiry.source_id,
        sender: e.inquiry.sender_email ?? '',
        assignee_user_id: e.assigneeUserId,
        replied_to: e.inquiry.replied_to,
      },
    },
  ],
};
