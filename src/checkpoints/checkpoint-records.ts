import { requireCapability } from '../identity/domain/authorize.js';
import type { Principal } from '../identity/domain/roles.js';
import type { Db } from '../kernel/context.js';
import type { CheckpointsTable } from '../kernel/db/schema.js';
import { AppError, notFound } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import { definedEntries, preparedByShape, preparedQuery } from '../kernel/prepared-query.js';
import type { Recipient } from '../notifications/notify.js';
import type { CheckpointSettings } from './domain/checkpoint-settings.js';
import { type CheckpointState, effectiveState } from './domain/checkpoint-state.js';

export type CheckpointRow = CheckpointsTable;

export interface ClockEventView {
  kind: 'pause' | 'resume';
  at: string;
  by: string | null;
  reason: string | null;
  due_before: string | null;
  due_after: string | null;
  remaining_minutes: number | null;
}

/** A checkpoint as the API shows it. */
export interface CheckpointView {
  id: string;
  handoff_id: string;
  engagement_id: string;
  key: string;
  name: string;
  description: string | null;
  kind: string;
  state: CheckpointState;
  due: string;
  due_at: string;
  anchor_at: string;
  owner: { team: { id: string; key: string; name: string }; user_id: string | null };
  escalate_to: { role?: string; team?: string } | null;
  overdue_at: string | null;
  escalated_at: string | null;
  paused: boolean;
  paused_at: string | null;
  remaining_minutes: number | null;
  schedule: { start: string; end: string; invitees: unknown[] } | null;
  outcome: unknown;
  waive_reason: string | null;
  completed_at: string | null;
  completed_by: string | null;
  required_attendees: string[];
  script: { key: string; question: string }[];
  compare: string[];
  gap_categories: string[];
  clock_events: ClockEventView[];
  created_at: string;
  updated_at: string;
  version: number;
}

/** A checkpoint of the organisation, or 404. */
export async function loadCheckpoint(db: Db, orgId: string, id: string): Promise<CheckpointRow> {
  const row = isId(id)
    ? await db
        .selectFrom('checkpoints')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('checkpoint', id);
  return row;
}

/** Only the owner, the owner team's members and admins act on a checkpoint; `verb` names the act. */
export function requireCheckpointActor(principal: Principal, row: CheckpointRow, verb: string): void {
  requireCapability(principal, 'act_on_handoffs', `${verb} checkpoints`);
  if (principal.role === 'admin') return;
  if (row.owner_user_id === principal.userId || principal.teamIds.includes(row.owner_team_id)) return;
  throw new AppError(
    'forbidden',
    `Only the checkpoint's owner, its team or an admin may ${verb} this checkpoint.`,
  );
}

export function settingsOfRow(row: CheckpointRow): CheckpointSettings {
  return JSON.parse(row.settings) as CheckpointSettings;
}

/** The API form of checkpoint rows, with their teams and clock events (two queries in all). */
export async function toCheckpointViews(
  db: Db,
  orgId: string,
  rows: CheckpointRow[],
  now: Date,
): Promise<CheckpointView[]> {
  if (rows.length === 0) return [];
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'key', 'name'])
    .where('org_id', '=', orgId)
    .where('id', 'in', [...new Set(rows.map((r) => r.owner_team_id))])
    .execute();
  const events = await db
    .selectFrom('clock_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .where(
      'checkpoint_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const s = settingsOfRow(r);
    const team = teams.find((t) => t.id === r.owner_team_id) ?? { id: r.owner_team_id, key: '?', name: '?' };
    return {
      id: r.id,
      handoff_id: r.handoff_id,
      engagement_id: r.engagement_id,
      key: r.def_key,
      name: r.name,
      description: s.description ?? null,
      kind: r.kind,
      state: effectiveState(r, now),
      due: r.due_expr,
      due_at: r.due_at,
      anchor_at: r.anchor_at,
      owner: { team, user_id: r.owner_user_id },
      escalate_to: s.escalateTo,
      overdue_at: r.overdue_at,
      escalated_at: r.escalated_at,
      paused: r.paused_at !== null,
      paused_at: r.paused_at,
      remaining_minutes: r.remaining_minutes === null ? null : Number(r.remaining_minutes),
      schedule:
        r.scheduled_start && r.scheduled_end
          ? {
              start: r.scheduled_start,
              end: r.scheduled_end,
              invitees: (JSON.parse(r.invitees ?? '{}') as { attendees?: unknown[] }).attendees ?? [],
            }
          : null,
      outcome: r.outcome === null ? null : (JSON.parse(r.outcome) as unknown),
      waive_reason: r.waive_reason,
      completed_at: r.completed_at,
      completed_by: r.completed_by,
      required_attendees: s.requiredAttendees,
      script: s.script,
      compare: s.compare,
      gap_categories: s.gapCategories,
      clock_events: events
        .filter((e) => e.checkpoint_id === r.id)
        .map((e) => ({
          kind: e.kind as 'pause' | 'resume',
          at: e.at,
          by: e.by_user_id,
          reason: e.reason,
          due_before: e.due_before,
          due_after: e.due_after,
          remaining_minutes: e.remaining_minutes === null ? null : Number(e.remaining_minutes),
        })),
      created_at: r.created_at,
      updated_at: r.updated_at,
      version: Number(r.version),
    };
  });
}

export async function toCheckpointView(
  db: Db,
  orgId: string,
  row: CheckpointRow,
  now: Date,
): Promise<CheckpointView> {
  return (await toCheckpointViews(db, orgId, [row], now))[0]!;
}

/** Active users with e-mail addresses in any of the teams, or holding the role. */
export async function recipientsOf(
  db: Db,
  orgId: string,
  who: { teamIds?: string[]; role?: string; userIds?: (string | null)[] },
): Promise<Recipient[]> {
  const out = new Map<string, Recipient>();
  const add = (rows: { name: string; email: string }[]) => {
    for (const r of rows) out.set(r.email.toLowerCase(), { name: r.name, email: r.email });
  };
  if (who.teamIds?.length) {
    add(
      await db
        .selectFrom('team_members')
        .innerJoin('users', 'users.id', 'team_members.user_id')
        .select(['users.name', 'users.email'])
        .where('team_members.org_id', '=', orgId)
        .where('team_members.team_id', 'in', who.teamIds)
        .where('users.disabled_at', 'is', null)
        .execute(),
    );
  }
  if (who.role) {
    add(
      await db
        .selectFrom('users')
        .select(['name', 'email'])
        .where('org_id', '=', orgId)
        .where('role', '=', who.role)
        .where('disabled_at', 'is', null)
        .execute(),
    );
  }
  const ids = (who.userIds ?? []).filter((u): u is string => !!u);
  if (ids.length) {
    add(
      await db
        .selectFrom('users')
        .select(['name', 'email'])
        .where('org_id', '=', orgId)
        .where('id', 'in', ids)
        .where('disabled_at', 'is', null)
        .execute(),
    );
  }
  return [...out.values()];
}

/** Updates a checkpoint only if nobody changed it since it was read; 409 otherwise. */
export async function updateCheckpoint(
  db: Db,
  row: CheckpointRow,
  changes: Partial<Omit<CheckpointRow, 'id' | 'org_id' | 'version'>>,
): Promise<CheckpointRow> {
  const values = definedEntries({ ...changes, version: Number(row.version) + 1 });
  const updated = await checkpointUpdate(Object.keys(values)).first(db, {
    ...values,
    $id: row.id,
    $version: row.version,
  });
  if (!updated)
    throw new AppError(
      'conflict',
      'The checkpoint was changed by someone else at the same time; reload and retry.',
    );
  return updated;
}

/** The new values of the columns changed, and which checkpoint at which version (`$` keys). */
type CheckpointUpdate = Record<string, unknown> & { $id: string; $version: number };

/** The update of these columns of a checkpoint still at the version read. */
const checkpointUpdate = preparedByShape(
  (columns: string[]) => columns.join(','),
  (columns) =>
    preparedQuery((db, v: CheckpointUpdate) =>
      db
        .updateTable('checkpoints')
        .set(Object.fromEntries(columns.map((c) => [c, v[c]])))
        .where('id', '=', v.$id)
        .where('version', '=', v.$version)
        .returningAll(),
    ),
);

/** Refuses to act on a checkpoint that is already done or waived. */
export function requirePending(row: CheckpointRow, action: string): void {
  if (row.state !== 'open' && row.state !== 'overdue')
    throw new AppError('illegal_transition', `The checkpoint is ${row.state}; it cannot be ${action}.`);
}
