import type { AuditEntry } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';

/**
 * What happens to signals and quiet accounts: a batch was stored (the signals are the record; no
 * audit entry), an account went quiet (a spell raised and its owner told, as the system), the
 * quiet threshold changed (by an admin). Each audited one is also the action of its entry.
 */
export interface SignalEvents {
  'signal.batch_ingested': { accepted: number; duplicates: number };
  'account.went_quiet': {
    accountId: string;
    quietSince: string;
    quietDays: number;
    ownerUserId: string | null;
  };
  'signal_settings.updated': { before: number; after: number };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends SignalEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'account.went_quiet': {
      entityType: 'account';
      before?: null;
      after: { quiet_since: string; quiet_days: number; owner_user_id: string | null };
    };
    'signal_settings.updated': {
      entityType: 'organisation';
      before: { quiet_days: number };
      after: { quiet_days: number };
    };
  }
}

/** The audit entries of the signal events. */
export const SIGNAL_AUDIT = {
  'signal.batch_ingested': (): [] => [],
  'account.went_quiet': (e: EventOf<'account.went_quiet'>): [AuditEntry<'account.went_quiet'>] => [
    {
      action: 'account.went_quiet',
      entityType: 'account',
      entityId: e.accountId,
      after: { quiet_since: e.quietSince, quiet_days: e.quietDays, owner_user_id: e.ownerUserId },
    },
  ],
  'signal_settings.updated': (
    e: EventOf<'signal_settings.updated'>,
  ): [AuditEntry<'signal_settings.updated'>] => [
    {
      action: 'signal_settings.updated',
      entityType: 'organisation',
      entityId: e.orgId,
      before: { quiet_days: e.before },
      after: { quiet_days: e.after },
    },
  ],
};
