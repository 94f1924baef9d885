import type { AuditFields } from '../../audit/audit-entry.js';

type ExternalIds = Record<string, string>;

/**
 * The audit entries of accounts, contacts and engagements. An update records the fields it
 * changed, before and after; a contact is also created and re-roled by the reconciliation of a
 * submitted packet, which records only what the packet says of them.
 */
declare module '../../audit/audit-entry.js' {
  interface AuditEntries {
    'account.created': {
      entityType: 'account';
      after: { name: string; external_ids: ExternalIds; notes: string | null };
    };
    'account.updated': { entityType: 'account'; before: AuditFields; after: AuditFields };
    'contact.created': {
      entityType: 'contact';
      before?: null;
      after: {
        name: string;
        role: string;
        title: string | null;
        account_id?: string;
        email?: string | null;
        phone?: string | null;
        external_ids?: ExternalIds;
      };
    };
    'contact.updated': { entityType: 'contact'; before: AuditFields; after: AuditFields };
    'engagement.created': {
      entityType: 'engagement';
      after: {
        account_id: string;
        name: string;
        stage: string | null;
        owner_id: string | null;
        external_ids: ExternalIds;
        contract_signed_at: string | null;
      };
    };
    /** Changed by hand, or moved along its journey by one of its handoffs (`handoffId` says which). */
    'engagement.updated': { entityType: 'engagement'; before: AuditFields; after: AuditFields };
  }
}
