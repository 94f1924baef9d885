import type { AuditEntry } from '../audit/audit-entry.js';
import type { EventOf } from '../kernel/event-types.js';
import type { HealthSettings } from './health-schema.js';

/**
 * What happens to health scores: an admin changed how they are computed (audited with the
 * settings before and after), and a day's scoring of an organisation finished (audited once per
 * run with its counts, as the system: the scores themselves are the record, in `health_scores`,
 * so no entry per account).
 */
export interface HealthEvents {
  'health_settings.updated': { before: HealthSettings; after: HealthSettings };
  'health.scored': {
    scoredOn: string;
    scored: number;
    unscored: number;
    healthy: number;
    watch: number;
    atRisk: number;
  };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends HealthEvents {}
}

declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'health_settings.updated': { entityType: 'organisation'; before: HealthSettings; after: HealthSettings };
    'health.scored': {
      entityType: 'organisation';
      before?: null;
      after: {
        scored_on: string;
        scored: number;
        unscored: number;
        healthy: number;
        watch: number;
        at_risk: number;
      };
    };
  }
}

/** The audit entries of the health events. */
export const HEALTH_AUDIT = {
  'health_settings.updated': (
    e: EventOf<'health_settings.updated'>,
  ): [AuditEntry<'health_settings.updated'>] => [
    {
      action: 'health_settings.updated',
      entityType: 'organisation',
      entityId: e.orgId,
      before: e.before,
      after: e.after,
    },
  ],
  'health.scored': (e: EventOf<'health.scored'>): [AuditEntry<'health.scored'>] => [
    {
      action: 'health.scored',
      entityType: 'organisation',
      entityId: e.orgId,
      after: {
        scored_on: e.scoredOn,
        scored: e.scored,
        unscored: e.unscored,
        healthy: e.healthy,
        watch: e.watch,
        at_risk: e.atRisk,
      },
    },
  ],
};
