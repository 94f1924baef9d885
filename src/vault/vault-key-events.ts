import type { AuditEntry } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';

/** What happens to an organisation's data keys: a rotation rewraps one under a new KEK. */
export interface VaultKeyEvents {
  /** No secret was decrypted: only the data key was unwrapped and wrapped again. */
  'vault.data_key_rewrapped': { dataKeyId: string; fromKek: string; toKek: string };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends VaultKeyEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'vault.data_key_rewrapped': {
      entityType: 'organisation_data_key';
      before: { kek_id: string };
      after: { kek_id: string };
    };
  }
}

/** The audit entry of a rewrap: which data key, from which KEK id to which (never a key). */
export const VAULT_KEY_AUDIT = {
  'vault.data_key_rewrapped': (
    e: EventOf<'vault.data_key_rewrapped'>,
  ): [AuditEntry<'vault.data_key_rewrapped'>] => [
    {
      action: 'vault.data_key_rewrapped',
      entityType: 'organisation_data_key',
      entityId: e.dataKeyId,
      before: { kek_id: e.fromKek },
      after: { kek_id: e.toKek },
    },
  ],
};
