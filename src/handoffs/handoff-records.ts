import type { Db } from '../kernel/context.js';
import type { HandoffsTable } from '../kernel/db/schema.js';
import { AppError } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import type { Packet } from '../playbooks/domain/playbook.js';
import type { HandoffState } from './domain/lifecycle.js';

export type HandoffRow = HandoffsTable;

export interface Decision {
  outcome: 'accepted' | 'rejected';
  reason_code: string | null;
  reason_label: string | null;
  explanation: string | null;
  by: string;
  at: string;
}

export interface HandoffView {
  id: string;
  engagement_id: string;
  playbook: { id: string; key: string; version: number };
  transition: string;
  title: string;
  state: HandoffState;
  sending_team: TeamRef;
  receiving_team: TeamRef;
  assignee_id: string | null;
  packet: Packet;
  revision: number;
  decision: Decision | null;
  open_questions: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  version: number;
}

/** The handoff with this id in the organisation, or `not_found` (also for another org's id). */
export async function loadHandoff(db: Db, orgId: string, id: string): Promise<HandoffRow> {
  const row = isId(id)
    ? await db
        .selectFrom('handoffs')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No handoff ${id}.`);
  return row;
}

export interface TeamRef {
  id: string;
  key: string;
  name: string;
}

/** A handoff row with the rest of what its view shows: its two teams and its open questions. */
export interface HandoffInHand {
  row: HandoffRow;
  sendingTeam: TeamRef;
  receivingTeam: TeamRef;
  openQuestions: number;
}

const selectHandoffInHand = preparedQuery((db, v: { orgId: string; id: string }) =>
  db
    .selectFrom('handoffs')
    .leftJoin('teams as sending', (join) =>
      join
        .onRef('sending.id', '=', 'handoffs.sending_team_id')
        .onRef('sending.org_id', '=', 'handoffs.org_id'),
    )
    .leftJoin('teams as receiving', (join) =>
      join
        .onRef('receiving.id', '=', 'handoffs.receiving_team_id')
        .onRef('receiving.org_id', '=', 'handoffs.org_id'),
    )
    .selectAll('handoffs')
    .select((eb) => [
      'sending.key as sending_team_key',
      'sending.name as sending_team_name',
      'receiving.key as receiving_team_key',
      'receiving.name as receiving_team_name',
      eb
        .selectFrom('questions')
        .select((q) => q.fn.countAll<number>().as('n'))
        .whereRef('questions.org_id', '=', 'handoffs.org_id')
        .whereRef('questions.handoff_id', '=', 'handoffs.id')
        .where('questions.state', '=', 'open')
        .as('open_questions'),
    ])
    .where('handoffs.org_id', '=', v.orgId)
    .where('handoffs.id', '=', v.id),
);

/**
 * The handoff with this id in the organisation, read together with its teams and its count of
 * open questions (one query), or `not_found`. For use cases that answer with the handoff's view
 * and change neither its teams nor its questions.
 */
export async function loadHandoffInHand(db: Db, orgId: string, id: string): Promise<HandoffInHand> {
  const found = isId(id) ? await selectHandoffInHand.first(db, { orgId, id }) : undefined;
  if (!found) throw new AppError('not_found', `No handoff ${id}.`);
  const {
    sending_team_key,
    sending_team_name,
    receiving_team_key,
    receiving_team_name,
    open_questions,
    ...row
  } = found;
  const team = (teamId: string, key: string | null, name: string | null): TeamRef =>
    key === null || name === null ? unknownTeam(teamId) : { id: teamId, key, name };
  return {
    row,
    sendingTeam: team(row.sending_team_id, sending_team_key, sending_team_name),
    receivingTeam: team(row.receiving_team_id, receiving_team_key, receiving_team_name),
    openQuestions: Number(open_questions ?? 0),
  };
}

const unknownTeam = (id: string): TeamRef => ({ id, key: '?', name: '?' });

/** Shapes handoff rows for the API, with their teams and open question counts (two queries in all). */
export async function toViews(db: Db, orgId: string, rows: HandoffRow[]): Promise<HandoffView[]> {
  if (rows.length === 0) return [];
  const teams = await db
    .selectFrom('teams')
    .select(['id', 'key', 'name'])
    .where('org_id', '=', orgId)
    .execute();
  const teamById = new Map(teams.map((t) => [t.id, t]));
  const counts = await db
    .selectFrom('questions')
    .select(['handoff_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('org_id', '=', orgId)
    .where('state', '=', 'open')
    .where(
      'handoff_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('handoff_id')
    .execute();
  const openBy = new Map(counts.map((c) => [c.handoff_id, Number(c.n)]));
  const team = (id: string) => teamById.get(id) ?? unknownTeam(id);
  return rows.map((r) =>
    viewOf({
      row: r,
      sendingTeam: team(r.sending_team_id),
      receivingTeam: team(r.receiving_team_id),
      openQuestions: openBy.get(r.id) ?? 0,
    }),
  );
}

export async function toView(db: Db, orgId: string, row: HandoffRow): Promise<HandoffView> {
  const [view] = await toViews(db, orgId, [row]);
  return view!;
}

/** The API form of a handoff whose teams and open questions are in hand; no query. */
export function viewOf({ row: r, sendingTeam, receivingTeam, openQuestions }: HandoffInHand): HandoffView {
  return {
    id: r.id,
    engagement_id: r.engagement_id,
    playbook: { id: r.playbook_id, key: r.playbook_key, version: Number(r.playbook_version) },
    transition: r.transition_key,
    title: r.title,
    state: r.state as HandoffState,
    sending_team: sendingTeam,
    receiving_team: receivingTeam,
    assignee_id: r.assignee_user_id,
    packet: JSON.parse(r.packet) as Packet,
    revision: Number(r.revision),
    decision: r.decision ? (JSON.parse(r.decision) as Decision) : null,
    open_questions: openQuestions,
    created_by: r.created_by,
    created_at: r.created_at,
    updated_at: r.updated_at,
    submitted_at: r.submitted_at,
    decided_at: r.decided_at,
    version: Number(r.version),
  };
}

/** Which side of this handoff the principal is on. */
export function sidesOf(principal: { teamIds: readonly string[] }, row: HandoffRow) {
  return {
    sender: principal.teamIds.includes(row.sending_team_id),
    receiver: principal.teamIds.includes(row.receiving_team_id),
  };
}
