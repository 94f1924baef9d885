import type { Db } from '../kernel/context.js';
import { AppError } from '../kernel/errors.js';
import { buildInvitation } from '../notifications/ics.js';
import type { CheckpointRow } from './checkpoint-records.js';

/** What scheduling a checkpoint stores in `invitees`. */
export interface MeetingPlan {
  organizer: { name: string; email: string };
  attendees: { name: string; email: string; role?: string }[];
  location: string | null;
}

/** The RFC 5545 invitation of a scheduled checkpoint, in the organisation's time zone. */
export async function invitationOf(db: Db, row: CheckpointRow): Promise<string> {
  if (!row.scheduled_start || !row.scheduled_end || !row.invitees)
    throw new AppError(
      'illegal_transition',
      'The checkpoint has not been scheduled, so it has no invitation.',
    );
  const org = await db
    .selectFrom('organisations')
    .select(['time_zone'])
    .where('id', '=', row.org_id)
    .executeTakeFirstOrThrow();
  const handoff = await db
    .selectFrom('handoffs')
    .select('title')
    .where('id', '=', row.handoff_id)
    .executeTakeFirstOrThrow();
  const plan = JSON.parse(row.invitees) as MeetingPlan;
  return buildInvitation({
    uid: `${row.id}@baton`,
    sequence: Number(row.version),
    start: new Date(row.scheduled_start),
    end: new Date(row.scheduled_end),
    timeZone: org.time_zone,
    summary: `${row.name} — ${handoff.title}`,
    description: `Baton checkpoint ${row.def_key} for "${handoff.title}".`,
    ...(plan.location ? { location: plan.location } : {}),
    organizer: plan.organizer,
    attendees: plan.attendees,
    stamp: new Date(row.updated_at),
  });
}
