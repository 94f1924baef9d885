import type { AuditFields } from '../../audit/audit-entry.js';
import type { Role } from './roles.js';

/** The audit entries of organisations, teams, users, tokens and sessions. */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'organisation.created': {
      entityType: 'organisation';
      after: { slug: string; name: string; timeZone: string };
    };
    /** An admin changed the locale or default currency (both recorded, before and after). */
    'organisation.formats_updated': {
      entityType: 'organisation';
      before: { locale: string; currency: string; brand_color?: string | null };
      after: { locale: string; currency: string; brand_color?: string | null };
    };
    'team.created': { entityType: 'team'; after: { key: string; name: string } };
    'user.created': {
      entityType: 'user';
      after: { email: string; name: string; role: Role; teams: string[] };
    };
    /** The fields an admin changed (name, role, disabled, teams); before, the ones they had. */
    'user.updated': {
      entityType: 'user';
      before: { name: string; role: string; disabled: boolean };
      after: AuditFields;
    };
    'user.password_set': { entityType: 'user'; after: { password: 'set'; sessions_ended: boolean } };
    'token.issued': {
      entityType: 'api_token';
      after: { user_id: string; name: string; prefix: string; scopes: string };
    };
    'token.revoked': { entityType: 'api_token'; before: { revoked: false }; after: { revoked: true } };
    'session.signed_in': { entityType: 'session'; after: { user_id: string; expires_at: string } };
    'session.signed_out': { entityType: 'session'; before: { ended: false }; after: { ended: true } };
  }
}
