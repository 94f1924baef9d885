/** The audit entry of a dead-lettered job put back in the queue by hand. */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'job.retried': {
      entityType: 'job';
      before: { status: 'dead'; kind: string; attempts: number; last_error: string | null };
      after: { status: 'pending' };
    };
  }
}

export {};
