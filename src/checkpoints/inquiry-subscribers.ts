import { loadCalendar } from '../calendar/calendar-records.js';
import { dueAt, parseDueExpression } from '../calendar/domain/due-expression.js';
import type { Subscriber } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { keptTaskSettings, openCheckpointRow } from './open-checkpoint-row.js';
import { rowOf } from './write-checkpoint-plan.js';

/*
 * A client's inquiry after closeout is the integrations feature's; the task it becomes is the
 * checkpoints'. As with a warranty's reminder (docs/decisions/0011-closeout-warranty-checkpoints.md),
 * a checkpoint belongs to a handoff, so the task is opened on the engagement's latest handoff, owned
 * by the assignee (the service owner) and their team, due as the playbook's `after_closeout.task_due`
 * says counted from when the inquiry arrived, with its due timer (overdue escalation, "My
 * checkpoints"). Kept when that handoff closes (`on_close: keep`): it is long closed at closeout.
 */

/** The anchor the task's due time counts from (no playbook checkpoint uses it). */
const ANCHOR = 'inquiry_received';

/** Opens the task of an inquiry just routed. */
export const openInquiryTask: Subscriber<'inquiry.routed'> = async (trx, event) => {
  const parsed = parseDueExpression(event.taskDue.replace(/\breceived$/, ANCHOR));
  // The playbook's check made sure of it; a day after is what a bad one would have said.
  const due = parsed.ok
    ? parsed.value
    : { anchor: ANCHOR, direction: 'after' as const, amount: 1, unit: 'days' as const, business: true };
  const receivedAt = new Date(event.inquiry.received_at);
  const dueAtTime = dueAt(due, receivedAt, await loadCalendar(trx, event.orgId));
  const settings = keptTaskSettings({
    key: `inquiry:${event.inquiry.id}`,
    name: event.taskName,
    description: event.taskDescription,
    due,
    dueText: event.taskDue,
  });
  const now = event.at.toISOString();
  const row = rowOf(event.orgId, {
    id: newId(),
    handoff_id: event.handoffId,
    engagement_id: event.engagementId,
    def_key: settings.key,
    name: settings.name,
    kind: settings.kind,
    due_expr: settings.dueText,
    anchor_at: receivedAt.toISOString(),
    due_at: dueAtTime.toISOString(),
    opens_at: now,
    owner_team_id: event.ownerTeamId,
    owner_user_id: event.assigneeUserId,
    settings: JSON.stringify(settings),
    created_at: now,
  });
  await openCheckpointRow(trx, row, event.actor, event.at);
};
