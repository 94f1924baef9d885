import { requireCapability } from '../identity/domain/authorize.js';
import type { Principal } from '../identity/domain/roles.js';
import type { Db } from '../kernel/context.js';
import type { CheckpointsTable } from '../kernel/db/schema.js';
import { AppError, notFound } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import { definedEntries, preparedByShape, preparedQuery } from '../kernel/prepared-query.js';
import type { Recipient } from '../notifications/notify.js';
import type { CheckpointKind } from '../playbooks/domain/playbook.js';
import type { Checkpoint } from './checkpoint-schema.js';
import { type CheckpointSettings, storedSettings } from './domain/checkpoint-settings.js';
import { effectiveState } from './domain/checkpoint-state.js';
import type { OpenCheckpoint } from './domain/settle-checkpoints.js';

export type CheckpointRow = CheckpointsTable;

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

export function settingsOfRow(row: Pick<CheckpointRow, 'settings'>): CheckpointSettings {
  return storedSettings(row.settings);
}

/** When the checkpoint's window opens: it cannot be completed earlier (rows from before windows: at creation). */
export function opensAtOf(row: Pick<CheckpointRow, 'opens_at' | 'created_at'>): string {
  return row.opens_at ?? row.created_at;
}

/** The handoff's open (or overdue) checkpoints, as closing it sees them. */
export async function openCheckpointsOf(db: Db, orgId: string, handoffId: string): Promise<OpenCheckpoint[]> {
  return (await openCheckpointsOfEach(db, orgId, [handoffId])).get(handoffId) ?? [];
}

/**
 * The open (or overdue) checkpoints of each of the handoffs, by handoff, in one query (handoffs
 * with none are absent): what a list of handoffs needs to decide each one's close.
 */
export async function openCheckpointsOfEach(
  db: Db,
  orgId: string,
  handoffIds: readonly string[],
): Promise<Map<string, OpenCheckpoint[]>> {
  const byHandoff = new Map<string, OpenCheckpoint[]>();
  if (handoffIds.length === 0) return byHandoff;
  const rows = await db
    .selectFrom('checkpoints')
    .innerJoin('teams', 'teams.id', 'checkpoints.owner_team_id')
    .select([
      'checkpoints.id',
      'checkpoints.handoff_id',
      'checkpoints.def_key',
      'checkpoints.name',
      'checkpoints.state',
      'checkpoints.due_at',
      'checkpoints.settings',
      'teams.name as team_name',
    ])
    .where('checkpoints.org_id', '=', orgId)
    .where('checkpoints.handoff_id', 'in', [...handoffIds])
    .where('checkpoints.state', 'in', ['open', 'overdue'])
    .orderBy('checkpoints.due_at')
    .orderBy('checkpoints.id')
    .execute();
  for (const r of rows) {
    const list = byHandoff.get(r.handoff_id) ?? [];
    list.push({
      id: r.id,
      key: r.def_key,
      name: r.name,
      state: r.state,
      dueAt: r.due_at,
      ownerTeam: r.team_name,
      settings: settingsOfRow(r),
    });
    byHandoff.set(r.handoff_id, list);
  }
  return byHandoff;
}

/** The API form of checkpoint rows, with their teams and clock events (two queries in all). */
export async function toCheckpointViews(
  db: Db,
  orgId: string,
  rows: CheckpointRow[],
  now: Date,
): Promise<Checkpoint[]> {
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
      kind: r.kind as CheckpointKind,
      state: effectiveState(r, now),
      due: r.due_expr,
      due_at: r.due_at,
      opens_at: opensAtOf(r),
      anchor_at: r.anchor_at,
      on_close: s.onClose,
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
): Promise<Checkpoint> {
  return (await toCheckpointViews(db, orgId, [row], now))[0]!;
}

/** Active users with e-mail addresses in any of the teams, or holding the role. */
export async function recipientsOf(
  db: Db,
  orgId: string,
  who: { teamIds?: string[]; role?: string; userIds?: (string | null)[] },
): Promise<Recipient[]> {
  const out = new Map<string, Recipient>();
  const add = (rows: { id: string; name: string; email: string }[]) => {
    for (const r of rows) out.set(r.email.toLowerCase(), { name: r.name, email: r.email, userId: r.id });
  };
  if (who.teamIds?.length) {
    add(
      await db
        .selectFrom('team_members')
        .innerJoin('users', 'users.id', 'team_members.user_id')
        .select(['users.id', 'users.name', 'users.email'])
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
        .select(['id', 'name', 'email'])
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
        .select(['id', 'name', 'email'])
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

/**
 * Refuses to complete a checkpoint before its window opens (a 30-day check on day 0); waiving,
 * with a reason, settles it early.
 */
export function requireWindowOpen(row: CheckpointRow, now: Date): void {
  const opensAt = opensAtOf(row);
  if (now.toISOString() < opensAt)
    throw new AppError(
      'illegal_transition',
      `"${row.name}" opens at ${opensAt}: it cannot be completed before then. Waive it with a reason if it will not be done.`,
    );
}

/** Refuses to act on a checkpoint that is already done or waived. */
export function requirePending(row: CheckpointRow, action: string): void {
  if (row.state !== 'open' && row.state !== 'overdue')
    throw new AppError('illegal_transition', `The checkpoint is ${row.state}; it cannot be ${action}.`);
}
