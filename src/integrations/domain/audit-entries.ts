/**
 * The audit entries of outbound webhooks: endpoints made, changed, removed, and their secrets
 * rotated. Only the URL's host is recorded (a path or password in it may be a credential), and
 * never a secret.
 */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'webhook_endpoint.created': {
      entityType: 'webhook_endpoint';
      before?: null;
      after: { host: string; event_types: string[]; description: string };
    };
    'webhook_endpoint.updated': {
      entityType: 'webhook_endpoint';
      before: { host: string; event_types: string[]; description: string; enabled: boolean };
      after: { host: string; event_types: string[]; description: string; enabled: boolean };
    };
    'webhook_endpoint.deleted': {
      entityType: 'webhook_endpoint';
      before: { host: string; event_types: string[] };
      after?: null;
    };
    'webhook_endpoint.secret_rotated': {
      entityType: 'webhook_endpoint';
      before?: null;
      after: { previous_expires_at: string | null };
    };
    'webhook_delivery.replayed': {
      entityType: 'webhook_delivery';
      before: { state: string };
      after: { state: 'pending'; message_id: string };
    };
  }
}

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
