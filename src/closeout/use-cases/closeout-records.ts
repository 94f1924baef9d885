import type { Db } from '../../kernel/context.js';
import type {
  CloseoutDebriefsTable,
  PunchItemsTable,
  TrainingRecordsTable,
  WarrantiesTable,
} from '../../kernel/db/schema.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import { reminderDay } from '../domain/warranty-record.js';
import type { Debrief, PunchItem, TrainingRecord, Warranty } from '../records-schema.js';

type RecordTable = 'warranties' | 'punch_items' | 'training_records' | 'closeout_debriefs';

/** The record with this id in the organisation, or `not_found` (also for another organisation's id). */
export async function loadCloseoutRecord<T extends RecordTable>(
  db: Db,
  table: T,
  orgId: string,
  id: string,
  what: string,
) {
  const row = isId(id)
    ? await db
        .selectFrom(table as 'warranties')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No ${what} ${id}.`);
  return row as unknown as {
    warranties: WarrantiesTable;
    punch_items: PunchItemsTable;
    training_records: TrainingRecordsTable;
    closeout_debriefs: CloseoutDebriefsTable;
  }[T];
}

/** The names of these users of the organisation, by id. */
export async function userNames(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter(isId);
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('org_id', '=', orgId)
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

/** A contact of the account (the engagement's), or undefined when the id names none of them. */
export async function accountContactOf(
  db: Db,
  orgId: string,
  accountId: string,
  id: string,
): Promise<{ id: string; name: string } | undefined> {
  if (!isId(id)) return undefined;
  return db
    .selectFrom('contacts')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The problem with naming this user, unless they are an active user of the organisation. */
export async function activeUserIssues(
  db: Db,
  orgId: string,
  id: string,
  path: string,
): Promise<ErrorDetail[]> {
  const found = isId(id)
    ? await db
        .selectFrom('users')
        .select('id')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('disabled_at', 'is', null)
        .executeTakeFirst()
    : undefined;
  return found ? [] : [{ path, message: 'must be an active user of the organisation' }];
}

export function toWarrantyView(row: WarrantiesTable): Warranty {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    kind: row.kind as Warranty['kind'],
    provider: row.provider,
    reference: row.reference,
    starts_on: row.starts_on,
    expires_on: row.expires_on,
    covers: row.covers,
    remind_days_before: Number(row.remind_days_before),
    reminder_due_on: reminderDay({
      expires_on: row.expires_on,
      remind_days_before: Number(row.remind_days_before),
    }),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toPunchItemView(row: PunchItemsTable, names: Map<string, string>): PunchItem {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    title: row.title,
    owner: { id: row.owner_user_id, name: names.get(row.owner_user_id) ?? '(unknown user)' },
    due_on: row.due_on,
    state: row.state as PunchItem['state'],
    reason: row.reason,
    settled_at: row.settled_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toTrainingView(row: TrainingRecordsTable, names: Map<string, string>): TrainingRecord {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    contact_id: row.contact_id,
    trainee_name: row.trainee_name,
    product: row.product,
    trained_on: row.trained_on,
    trainer: { id: row.trainer_user_id, name: names.get(row.trainer_user_id) ?? '(unknown user)' },
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function toDebriefView(row: CloseoutDebriefsTable): Debrief {
  return {
    id: row.id,
    engagement_id: row.engagement_id,
    held_on: row.held_on,
    notes: row.notes,
    attendees: JSON.parse(row.attendees) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
