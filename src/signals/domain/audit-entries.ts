/** The audit entries of signals: a quiet spell raised, the quiet threshold changed. */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'account.went_quiet': {
      entityType: 'account';
      after: { quiet_since: string; quiet_days: number; owner_user_id: string | null };
    };
    'signal_settings.updated': {
      entityType: 'organisation';
      before: { quiet_days: number };
      after: { quiet_days: number };
    };
  }
}

export {};
