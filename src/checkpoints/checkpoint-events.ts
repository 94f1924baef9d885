import type { AuditEntry, AuditFields } from '../audit/audit-entry.js';
import type { CheckpointsTable, HandoffsTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';

/**
 * What happens to checkpoints, each with the checkpoint as the change left it (`from`: the state
 * it had). The "checkpoint opened" is `checkpoint.opened`, published when the new row is
 * written; it is audited as `checkpoint.created` by the engine when it decides to open it (the
 * entry records the time first planned), so the two do not share a name.
 */
export interface CheckpointEvents {
  'checkpoint.opened': { checkpoint: CheckpointsTable };
  /** Done, by hand with its outcome, or by a lifecycle event the playbook says completes it. */
  'checkpoint.completed': { checkpoint: CheckpointsTable; from: string; outcome: unknown };
  /** Waived with a reason, by hand or because the handoff's end made it pointless. */
  'checkpoint.waived': { checkpoint: CheckpointsTable; from: string; reason: string };
  /** Its due time passed while it was open and running; it is escalated. */
  'checkpoint.overdue': { checkpoint: CheckpointsTable; from: string };
  /**
   * A milestone recorded on its own (not a lifecycle event's): a visit held or scheduled, the
   * contract signed. `previousAt`: when it was recorded for before, if it was.
   */
  'milestone.recorded': {
    handoff: HandoffsTable;
    key: string;
    milestoneAt: string;
    previousAt: string | null;
  };
}

declare module '../kernel/event-types.js' {
  interface DomainEvents extends CheckpointEvents {}
}

/** The audit entries of checkpoints, milestones and re-scopes. */
declare module '../audit/audit-entry.js' {
  interface AuditEntries {
    'checkpoint.created': {
      entityType: 'checkpoint';
      after: {
        key: string;
        kind: string;
        due: string;
        due_at: string;
        opens_at: string;
        owner_team_id: string;
      };
    };
    'checkpoint.completed': {
      entityType: 'checkpoint';
      before: { state: string };
      after: { state: 'done'; outcome: unknown; reason: null };
    };
    'checkpoint.waived': {
      entityType: 'checkpoint';
      before: { state: string };
      after: { state: 'waived'; outcome: null; reason: string };
    };
    'checkpoint.rescheduled': {
      entityType: 'checkpoint';
      before: { due_at: string; opens_at: string | null; state: string };
      after: { due_at: string; opens_at: string; state: string };
    };
    'checkpoint.scheduled': {
      entityType: 'checkpoint';
      before: { start: string | null; end: string | null };
      after: { start: string; end: string; invitees: string[] };
    };
    'checkpoint.clock_paused': {
      entityType: 'checkpoint';
      before: { due_at: string };
      after: { paused_at: string; remaining_minutes: number; basis: string; reason: string | null };
    };
    'checkpoint.clock_resumed': {
      entityType: 'checkpoint';
      before: { due_at: string; paused_at: string | null; remaining_minutes: number };
      after: { due_at: string; opens_at?: string };
    };
    'checkpoint.overdue': {
      entityType: 'checkpoint';
      before: { state: 'open'; due_at: string };
      after: { state: 'overdue' };
    };
    'checkpoint.escalated': {
      entityType: 'checkpoint';
      after: { escalate_to: { role?: string; team?: string } | null; recipients: string[] };
    };
    'milestone.recorded': {
      entityType: 'milestone';
      before: { at: string } | null;
      after: { key: string; at: string };
    };
    'rescope.opened': { entityType: 'rescope'; after: { checkpoint: string; changes: AuditFields[] } };
    'rescope.resolved': {
      entityType: 'rescope';
      before: { status: string };
      after: { status: 'resolved'; outcome: string; note: string };
    };
  }
}

/** Where a checkpoint's entries belong. */
function linksOf(row: CheckpointsTable) {
  return { entityId: row.id, handoffId: row.handoff_id, engagementId: row.engagement_id };
}

/**
 * The audit entries each checkpoint event is recorded as: derived from the event, so the two
 * cannot drift. `checkpoint.opened` answers none (see `CheckpointEvents`).
 *
 * @example
 *   CHECKPOINT_AUDIT['checkpoint.overdue'](event) // [{ action: 'checkpoint.overdue', … }]
 */
export const CHECKPOINT_AUDIT = {
  'checkpoint.opened': (_e: EventOf<'checkpoint.opened'>): AuditEntry[] => [],
  'checkpoint.completed': (e: EventOf<'checkpoint.completed'>): [AuditEntry<'checkpoint.completed'>] => [
    {
      action: 'checkpoint.completed',
      entityType: 'checkpoint',
      ...linksOf(e.checkpoint),
      before: { state: e.from },
      after: { state: 'done', outcome: e.outcome, reason: null },
    },
  ],
  'checkpoint.waived': (e: EventOf<'checkpoint.waived'>): [AuditEntry<'checkpoint.waived'>] => [
    {
      action: 'checkpoint.waived',
      entityType: 'checkpoint',
      ...linksOf(e.checkpoint),
      before: { state: e.from },
      after: { state: 'waived', outcome: null, reason: e.reason },
    },
  ],
  'checkpoint.overdue': (e: EventOf<'checkpoint.overdue'>): [AuditEntry<'checkpoint.overdue'>] => [
    {
      action: 'checkpoint.overdue',
      entityType: 'checkpoint',
      ...linksOf(e.checkpoint),
      before: { state: 'open', due_at: e.checkpoint.due_at },
      after: { state: 'overdue' },
    },
  ],
  'milestone.recorded': (e: EventOf<'milestone.recorded'>): [AuditEntry<'milestone.recorded'>] => [
    {
      action: 'milestone.recorded',
      entityType: 'milestone',
      entityId: `${e.handoff.id}:${e.key}`,
      handoffId: e.handoff.id,
      engagementId: e.handoff.engagement_id,
      before: e.previousAt === null ? null : { at: e.previousAt },
      after: { key: e.key, at: e.milestoneAt },
    },
  ],
};
