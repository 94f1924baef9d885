/** The audit entries of integration sources: set up, changed, secret replaced (never the secret). */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'integration_source.created': {
      entityType: 'integration_source';
      after: { name: string; kind: string; config: Record<string, unknown>; enabled: boolean };
    };
    'integration_source.updated': {
      entityType: 'integration_source';
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    };
    'integration_source.secret_rotated': {
      entityType: 'integration_source';
      after: { secret_updated_at: string };
    };
  }
}

export {};
