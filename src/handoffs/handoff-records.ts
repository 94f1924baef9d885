import type { Principal } from '../identity/domain/roles.js';
import type { TeamRef } from '../identity/team-schema.js';
import type { Db, Ports } from '../kernel/context.js';
import type { HandoffsTable } from '../kernel/db/schema.js';
import { AppError } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
import { preparedQuery } from '../kernel/prepared-query.js';
import { actionsFor, type HandoffActions } from './domain/handoff-actions.js';
import type { HandoffState } from './domain/lifecycle.js';
import type { Decision, Handoff, Packet } from './handoff-schema.js';
import type {} from './ports.js';

export type HandoffRow = HandoffsTable;

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

/** Who looks at a handoff: what they may do to it depends on their role and teams. */
export type Viewer = Pick<Principal, 'orgId' | 'role' | 'teamIds'>;

/**
 * Shapes handoff rows for the API as `viewer` sees them, with their teams and open question
 * counts (two queries in all, and one more for the checkpoints of those the viewer could close).
 */
export async function toViews(db: Db, viewer: Viewer, rows: HandoffRow[], ports: Ports): Promise<Handoff[]> {
  if (rows.length === 0) return [];
  const orgId = viewer.orgId;
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
  return viewsFor(
    db,
    viewer,
    rows.map((r) => ({
      row: r,
      sendingTeam: team(r.sending_team_id),
      receivingTeam: team(r.receiving_team_id),
      openQuestions: openBy.get(r.id) ?? 0,
    })),
    ports,
  );
}

export async function toView(db: Db, viewer: Viewer, row: HandoffRow, ports: Ports): Promise<Handoff> {
  const [view] = await toViews(db, viewer, [row], ports);
  return view!;
}

/**
 * The API form of a handoff whose teams and open questions are in hand, as `viewer` sees it. Its
 * checkpoints are read only when the viewer could close it but for them.
 *
 * @example
 *   const loaded = await loadHandoffInHand(trx, principal.orgId, id);
 *   return viewFor(trx, principal, { ...loaded, row: updated }, deps.ports); // actions as the principal sees them
 */
export async function viewFor(db: Db, viewer: Viewer, inHand: HandoffInHand, ports: Ports): Promise<Handoff> {
  const [view] = await viewsFor(db, viewer, [inHand], ports);
  return view!;
}

/**
 * The API form of handoffs in hand, as `viewer` sees them; the checkpoints of those the viewer
 * could close but for them are read in one query for all.
 */
async function viewsFor(
  db: Db,
  viewer: Viewer,
  inHand: readonly HandoffInHand[],
  ports: Ports,
): Promise<Handoff[]> {
  const decided = inHand.map((h) => {
    const caller = { role: viewer.role, sides: sidesOf(viewer, h.row) };
    const facts = { state: h.row.state as HandoffState, openQuestions: h.openQuestions };
    return { h, caller, facts, closable: actionsFor({ ...facts, closeBlockers: [] }, caller).close.allowed };
  });
  const closable = decided.filter((d) => d.closable).map((d) => d.h.row.id);
  const blockers = closable.length ? await ports.closeBlockersOf(db, viewer.orgId, closable) : new Map();
  return decided.map(({ h, caller, facts }) =>
    viewOf(h, actionsFor({ ...facts, closeBlockers: blockers.get(h.row.id) ?? [] }, caller)),
  );
}

/** The API form of a handoff whose teams, open questions and the viewer's actions are in hand; no query. */
function viewOf(
  { row: r, sendingTeam, receivingTeam, openQuestions }: HandoffInHand,
  actions: HandoffActions,
): Handoff {
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
    actions,
  };
}

/** Which side of this handoff the principal is on. */
export function sidesOf(principal: { teamIds: readonly string[] }, row: HandoffRow) {
  return {
    sender: principal.teamIds.includes(row.sending_team_id),
    receiver: principal.teamIds.includes(row.receiving_team_id),
  };
}
