import { instantOf } from '../calendar/domain/time-zone.js';
import { latestHandoffOf } from '../handoffs/public.js';
import type { Tx } from '../kernel/context.js';
import type { CheckpointsTable, WarrantiesTable } from '../kernel/db/schema.js';
import type { EventOf } from '../kernel/event-types.js';
import type { Subscriber } from '../kernel/events.js';
import { publish } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { setDueTimer } from './checkpoint-engine.js';
import type { CheckpointSettings } from './domain/checkpoint-settings.js';
import { keptTaskSettings, openCheckpointRow } from './open-checkpoint-row.js';
import { rowOf } from './write-checkpoint-plan.js';

/*
 * Warranties and support contracts are the closeout's; reminding before each expires is the
 * checkpoints'. A checkpoint belongs to a handoff, so the reminder is opened on the engagement's
 * latest handoff (not withdrawn), owned by its receiving team (service, at the end of the journey),
 * due `remind_days_before` days before the expiry, at nine in the morning in the organisation's
 * time zone. It is marked `on_close: keep`: closing that handoff, which happens long before a
 * three-year warranty ends, leaves it running. An engagement with no handoff gets no reminder
 * (docs/decisions/0011-closeout-warranty-checkpoints.md).
 */

/** The anchor every warranty reminder counts back from. */
const ANCHOR = 'warranty_expires';

/** A warranty's reminder is found by its key: one per warranty. */
const keyOf = (warranty: WarrantiesTable) => `warranty_expiry:${warranty.id}`;

function nameOf(w: WarrantiesTable): string {
  const what = w.kind === 'support_contract' ? 'Support contract' : 'Warranty';
  return `${what} ${w.provider}${w.reference ? ` ${w.reference}` : ''} expires ${w.expires_on}: renew or hand over`;
}

function settingsOf(w: WarrantiesTable): CheckpointSettings {
  return keptTaskSettings({
    key: keyOf(w),
    name: nameOf(w),
    description: w.covers ?? undefined,
    due: {
      anchor: ANCHOR,
      direction: 'before',
      amount: Number(w.remind_days_before),
      unit: 'days',
      business: false,
    },
    dueText: `${Number(w.remind_days_before)} days before ${ANCHOR}`,
  });
}

/** The reminder's times: the expiry day's start, and nine o'clock on the reminder day, in the zone. */
async function timesOf(trx: Tx, w: WarrantiesTable): Promise<{ anchorAt: string; dueAt: string }> {
  const org = await trx
    .selectFrom('organisations')
    .select('time_zone')
    .where('id', '=', w.org_id)
    .executeTakeFirstOrThrow();
  const [year, month, day] = w.expires_on.split('-').map(Number) as [number, number, number];
  const anchor = instantOf({ year, month, day, hour: 0, minute: 0 }, org.time_zone);
  const reminder = new Date(Date.UTC(year, month - 1, day - Number(w.remind_days_before)));
  const due = instantOf(
    {
      year: reminder.getUTCFullYear(),
      month: reminder.getUTCMonth() + 1,
      day: reminder.getUTCDate(),
      hour: 9,
      minute: 0,
    },
    org.time_zone,
  );
  return { anchorAt: anchor.toISOString(), dueAt: due.toISOString() };
}

async function openReminderOf(trx: Tx, w: WarrantiesTable): Promise<CheckpointsTable | undefined> {
  return trx
    .selectFrom('checkpoints')
    .selectAll()
    .where('org_id', '=', w.org_id)
    .where('engagement_id', '=', w.engagement_id)
    .where('def_key', '=', keyOf(w))
    .where('state', 'in', ['open', 'overdue'])
    .executeTakeFirst();
}

async function anyReminderOf(trx: Tx, w: WarrantiesTable): Promise<boolean> {
  const found = await trx
    .selectFrom('checkpoints')
    .select('id')
    .where('org_id', '=', w.org_id)
    .where('engagement_id', '=', w.engagement_id)
    .where('def_key', '=', keyOf(w))
    .executeTakeFirst();
  return found !== undefined;
}

/** Opens the reminder of a warranty just recorded, on the engagement's latest handoff. */
export const openWarrantyReminder: Subscriber<'warranty.recorded'> = async (trx, event) => {
  const w = event.warranty;
  const handoff = await latestHandoffOf(trx, w.org_id, w.engagement_id);
  if (!handoff) return;
  const { anchorAt, dueAt } = await timesOf(trx, w);
  const settings = settingsOf(w);
  const now = event.at.toISOString();
  const row = rowOf(w.org_id, {
    id: newId(),
    handoff_id: handoff.id,
    engagement_id: w.engagement_id,
    def_key: settings.key,
    name: settings.name,
    kind: settings.kind,
    due_expr: settings.dueText,
    anchor_at: anchorAt,
    due_at: dueAt,
    opens_at: now,
    owner_team_id: handoff.receiving_team_id,
    owner_user_id: null,
    settings: JSON.stringify(settings),
    created_at: now,
  });
  await openCheckpointRow(trx, row, event.actor, event.at);
};

/**
 * Moves the open reminder when the expiry, the notice or the provider changes. With none open, a
 * new expiry (a renewal) opens one, as does the first edit of a warranty that never had one.
 */
export const moveWarrantyReminder: Subscriber<'warranty.updated'> = async (trx, event) => {
  const w = event.warranty;
  const open = await openReminderOf(trx, w);
  if (!open) {
    // A new expiry (a renewal) deserves a new reminder; so does a warranty that never had one.
    const retimed = 'expires_on' in event.changed.after || 'remind_days_before' in event.changed.after;
    if (retimed || !(await anyReminderOf(trx, w)))
      await openWarrantyReminder(trx, {
        ...event,
        type: 'warranty.recorded',
      } as EventOf<'warranty.recorded'>);
    return;
  }
  const { anchorAt, dueAt } = await timesOf(trx, w);
  const settings = settingsOf(w);
  const moved = dueAt !== open.due_at;
  await trx
    .updateTable('checkpoints')
    .set({
      name: settings.name,
      settings: JSON.stringify(settings),
      due_expr: settings.dueText,
      anchor_at: anchorAt,
      due_at: dueAt,
      // A reminder moved later is no longer overdue.
      ...(moved && dueAt > event.at.toISOString() ? { state: 'open', overdue_at: null } : {}),
      updated_at: event.at.toISOString(),
      version: Number(open.version) + 1,
    })
    .where('id', '=', open.id)
    .execute();
  if (moved) await setDueTimer(trx, w.org_id, open.id, new Date(dueAt), event.at);
};

/** Waives the open reminder of a warranty removed: there is nothing left to renew. */
export const waiveWarrantyReminder: Subscriber<'warranty.removed'> = async (trx, event) => {
  const open = await openReminderOf(trx, event.warranty);
  if (!open) return;
  const reason = 'The warranty record was removed.';
  const waived = {
    state: 'waived',
    waive_reason: reason,
    completed_at: event.at.toISOString(),
    completed_by: event.actor.id,
    updated_at: event.at.toISOString(),
    version: Number(open.version) + 1,
  };
  await trx.updateTable('checkpoints').set(waived).where('id', '=', open.id).execute();
  await publish(trx, {
    type: 'checkpoint.waived',
    orgId: open.org_id,
    actor: event.actor,
    at: event.at,
    checkpoint: { ...open, ...waived },
    from: open.state,
    reason,
  });
};
