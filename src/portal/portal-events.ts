import type { AuditEntry } from '../audit/audit-entry.js';
import type {
  CloseoutSignoffsTable,
  PortalConfirmationsTable,
  PortalLinksTable,
  SurveyResponsesTable,
} from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';

/** A difference the client named: what it is about, and what they understand instead. */
export interface Difference {
  about: 'goal' | 'metric' | 'scope' | 'other';
  text: string;
}

/**
 * What happens in the client portal. None carries a token: links are known by id. Each type is
 * also the action of its audit entry.
 */
export interface PortalEvents {
  /** A magic link was made for a contact (by a user, or by the system for the survey). */
  'portal.link_created': { link: PortalLinksTable };
  'portal.link_revoked': { link: PortalLinksTable };
  /**
   * The client confirmed the goal, metric and scope as shown, or said what differs: each
   * difference becomes a question to the team (the composition root's subscriber).
   */
  'portal.confirmed': {
    link: PortalLinksTable;
    confirmation: PortalConfirmationsTable;
    contactName: string;
    differences: Difference[];
  };
  /** The client signed off the closeout package (the hash of exactly what was shown). */
  'closeout.signed_off': { signoff: CloseoutSignoffsTable };
  'survey.answered': { response: SurveyResponsesTable };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends PortalEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'portal.link_created': {
      entityType: 'portal_link';
      before?: null;
      after: { purpose: string; contact_id: string; expires_at: string; single_use: boolean };
    };
    'portal.link_revoked': {
      entityType: 'portal_link';
      before: { state: string };
      after: { state: 'revoked' };
    };
    'portal.confirmed': {
      entityType: 'portal_confirmation';
      before?: null;
      after: { contact_id: string; differences: number; shown_sha256: string };
    };
    'closeout.signed_off': {
      entityType: 'closeout_signoff';
      before?: null;
      after: { contact_id: string; signer_name: string; package_sha256: string };
    };
    'survey.answered': {
      entityType: 'survey_response';
      before?: null;
      after: { contact_id: string; csat: number; nps: number };
    };
  }
}

/**
 * The audit entry each portal event is recorded as (and none for the closeout's event, which the
 * closeout feature records).
 */
export const PORTAL_AUDIT = {
  'portal.link_created': (e: EventOf<'portal.link_created'>): [AuditEntry<'portal.link_created'>] => [
    {
      action: 'portal.link_created',
      entityType: 'portal_link',
      entityId: e.link.id,
      engagementId: e.link.engagement_id,
      after: {
        purpose: e.link.purpose,
        contact_id: e.link.contact_id,
        expires_at: e.link.expires_at,
        single_use: Number(e.link.single_use) === 1,
      },
    },
  ],
  'portal.link_revoked': (e: EventOf<'portal.link_revoked'>): [AuditEntry<'portal.link_revoked'>] => [
    {
      action: 'portal.link_revoked',
      entityType: 'portal_link',
      entityId: e.link.id,
      engagementId: e.link.engagement_id,
      before: { state: 'active' },
      after: { state: 'revoked' },
    },
  ],
  'portal.confirmed': (e: EventOf<'portal.confirmed'>): [AuditEntry<'portal.confirmed'>] => [
    {
      action: 'portal.confirmed',
      entityType: 'portal_confirmation',
      entityId: e.confirmation.id,
      engagementId: e.confirmation.engagement_id,
      after: {
        contact_id: e.confirmation.contact_id,
        differences: e.differences.length,
        shown_sha256: e.confirmation.shown_sha256,
      },
    },
  ],
  'closeout.signed_off': (e: EventOf<'closeout.signed_off'>): [AuditEntry<'closeout.signed_off'>] => [
    {
      action: 'closeout.signed_off',
      entityType: 'closeout_signoff',
      entityId: e.signoff.id,
      engagementId: e.signoff.engagement_id,
      after: {
        contact_id: e.signoff.contact_id,
        signer_name: e.signoff.signer_name,
        package_sha256: e.signoff.package_sha256,
      },
    },
  ],
  'survey.answered': (e: EventOf<'survey.answered'>): [AuditEntry<'survey.answered'>] => [
    {
      action: 'survey.answered',
      entityType: 'survey_response',
      entityId: e.response.id,
      engagementId: e.response.engagement_id,
      after: {
        contact_id: e.response.contact_id,
        csat: Number(e.response.csat),
        nps: Number(e.response.nps),
      },
    },
  ],
} as const;
