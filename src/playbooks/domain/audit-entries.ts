/** The audit entry of a playbook version installed. */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'playbook.installed': {
      entityType: 'playbook';
      after: { key: string; version: number; name: string; builtin: boolean };
    };
  }
}

export {};
