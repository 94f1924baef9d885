import { appendAudit } from '../../audit/append-audit.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Db, type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { notify } from '../../notifications/notify.js';
import { engineContext, recordMilestone } from '../checkpoint-engine.js';
import { invitationOf, type MeetingPlan } from '../checkpoint-invitation.js';
import {
  loadCheckpoint,
  requireCheckpointActor,
  requirePending,
  settingsOfRow,
  toCheckpointView,
  updateCheckpoint,
} from '../checkpoint-records.js';
import type { Checkpoint } from '../checkpoint-schema.js';
import { startAnchorOf } from '../domain/checkpoint-settings.js';
import { requireAcceptedFor } from './complete-checkpoint.js';

export interface ScheduleInput {
  start: string;
  duration_minutes: number;
  location?: string;
  invitees: { name: string; email: string; role?: string }[];
}

/** The ids of the organisation's active users among these people, found by e-mail address. */
async function usersByEmail(db: Db, orgId: string, people: readonly { email: string }[]): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('disabled_at', 'is', null)
    .where((eb) =>
      eb(
        eb.fn('lower', ['email']),
        'in',
        people.map((p) => p.email.toLowerCase()),
      ),
    )
    .execute();
  return rows.map((r) => r.id);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Puts a checkpoint (a meeting, a call) on the calendar and sends every invitee an RFC 5545
 * invitation through the outbox. Rescheduling sends an update (a higher SEQUENCE). The start is
 * recorded as the milestone of the checkpoint's key, so checkpoints due relative to it follow.
 */
export async function scheduleCheckpoint(
  deps: Deps,
  principal: Principal,
  id: string,
  input: ScheduleInput,
): Promise<Checkpoint> {
  const now = deps.clock.now();
  const errors: ErrorDetail[] = [];
  const start = Date.parse(input.start);
  if (Number.isNaN(start)) errors.push({ path: '/start', message: 'must be a date-time' });
  if (
    !Number.isInteger(input.duration_minutes) ||
    input.duration_minutes < 5 ||
    input.duration_minutes > 1440
  )
    errors.push({ path: '/duration_minutes', message: 'must be a whole number of minutes from 5 to 1440' });
  if (input.invitees.length === 0) errors.push({ path: '/invitees', message: 'invite at least one person' });
  input.invitees.forEach((p, i) => {
    if (!p.name.trim()) errors.push({ path: `/invitees/${i}/name`, message: 'must not be blank' });
    if (!EMAIL.test(p.email))
      errors.push({ path: `/invitees/${i}/email`, message: 'must be an e-mail address' });
  });
  if (errors.length) throw new AppError('validation_failed', 'The meeting cannot be scheduled.', errors);
  return inTransaction(deps, async (trx) => {
    const row = await loadCheckpoint(trx, principal.orgId, id);
    requireCheckpointActor(principal, row, 'schedule');
    requirePending(row, 'scheduled');
    const ctx = await engineContext(trx, principal.orgId, row.handoff_id, now, {
      type: 'user',
      id: principal.userId,
    });
    requireAcceptedFor(startAnchorOf(settingsOfRow(row), ctx.byKey), ctx.handoff.state);
    const user = await trx
      .selectFrom('users')
      .select(['name', 'email'])
      .where('id', '=', principal.userId)
      .executeTakeFirstOrThrow();
    const plan: MeetingPlan = {
      organizer: { name: user.name, email: user.email },
      attendees: input.invitees.map((p) => ({
        name: p.name.trim(),
        email: p.email,
        ...(p.role ? { role: p.role } : {}),
      })),
      location: input.location?.trim() || null,
    };
    const startAt = new Date(start);
    const end = new Date(start + input.duration_minutes * 60_000);
    const updated = await updateCheckpoint(trx, row, {
      scheduled_start: startAt.toISOString(),
      scheduled_end: end.toISOString(),
      invitees: JSON.stringify(plan),
      updated_at: now.toISOString(),
    });
    await appendAudit(trx, principal.orgId, ctx.actor, now, {
      action: 'checkpoint.scheduled',
      entityType: 'checkpoint',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: { start: row.scheduled_start, end: row.scheduled_end },
      after: {
        start: startAt.toISOString(),
        end: end.toISOString(),
        invitees: plan.attendees.map((a) => a.email),
      },
    });
    await notify(
      trx,
      {
        orgId: principal.orgId,
        kind: 'checkpoint_invitation',
        eventKey: `invite:${row.id}:${updated.version}`,
        to: plan.attendees,
        // Invitees are typed as e-mail addresses: those of the organisation's users see it in-app.
        users: await usersByEmail(trx, principal.orgId, plan.attendees),
        actorId: principal.userId,
        link: `/handoffs/${row.handoff_id}`,
        subject: `Invitation: ${row.name}`,
        text: `${user.name} invites you to "${row.name}" for ${ctx.handoff.title}. The invitation is attached.`,
        invitation: await invitationOf(trx, updated),
      },
      now,
    );
    await recordMilestone(ctx, row.def_key, startAt);
    return toCheckpointView(trx, principal.orgId, updated, now);
  });
}
