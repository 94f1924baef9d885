import type { AuditEntry, AuditFields } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';

/** A vault entry as events and audit entries name it: never its secret, sealed or not. */
export interface VaultEntryFacts {
  id: string;
  engagement_id: string;
  system: string;
  username: string | null;
  url: string | null;
}

/**
 * What happens in an engagement's vault. None carries a secret: `secret_changed` says only that
 * a new value was sealed.
 */
export interface VaultEvents {
  /** Made (`before` null) or changed: the fields changed, and whether the secret was replaced. */
  'vault.entry_saved': {
    entry: VaultEntryFacts;
    before: AuditFields | null;
    after: AuditFields;
    secretChanged: boolean;
  };
  'vault.entry_removed': { entry: VaultEntryFacts };
  /** Someone was shown the secret, for the reason they gave. */
  'vault.revealed': { entry: VaultEntryFacts; reason: string };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends VaultEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'vault.entry_saved': {
      entityType: 'vault_entry';
      before?: AuditFields | null;
      after: AuditFields & { secret_changed: boolean };
    };
    'vault.entry_removed': {
      entityType: 'vault_entry';
      before: { system: string; username: string | null };
      after?: null;
    };
    'vault.revealed': {
      entityType: 'vault_entry';
      before?: null;
      after: { system: string; username: string | null; reason: string };
    };
  }
}

const linksOf = (entry: VaultEntryFacts) => ({ entityId: entry.id, engagementId: entry.engagement_id });

/** The audit entry of each vault event: who (the event's actor), what, why; never the value. */
export const VAULT_AUDIT = {
  'vault.entry_saved': (e: EventOf<'vault.entry_saved'>): [AuditEntry<'vault.entry_saved'>] => [
    {
      action: 'vault.entry_saved',
      entityType: 'vault_entry',
      ...linksOf(e.entry),
      before: e.before,
      after: { ...e.after, secret_changed: e.secretChanged },
    },
  ],
  'vault.entry_removed': (e: EventOf<'vault.entry_removed'>): [AuditEntry<'vault.entry_removed'>] => [
    {
      action: 'vault.entry_removed',
      entityType: 'vault_entry',
      ...linksOf(e.entry),
      before: { system: e.entry.system, username: e.entry.username },
    },
  ],
  'vault.revealed': (e: EventOf<'vault.revealed'>): [AuditEntry<'vault.revealed'>] => [
    {
      action: 'vault.revealed',
      entityType: 'vault_entry',
      ...linksOf(e.entry),
      after: { system: e.entry.system, username: e.entry.username, reason: e.reason },
    },
  ],
};
