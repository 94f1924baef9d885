/** The audit entries of who hears what: a user's preferences, the organisation's chat channel. */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'notification_preferences.updated': {
      entityType: 'user';
      before: { email: Readonly<Record<string, boolean>>; chat_mention: boolean };
      after: { email: Readonly<Record<string, boolean>>; chat_mention: boolean };
    };
    /** Only the chat webhook's host is recorded: the URL's path is a secret. */
    'notification_settings.updated': {
      entityType: 'notification_settings';
      before: { chat_webhook_host: string | null };
      after: { chat_webhook_host: string | null };
    };
  }
}

export {};
