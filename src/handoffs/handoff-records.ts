import type { Db } from '../kernel/context.js';
import type { HandoffsTable } from '../kernel/db/schema.js';
import { AppError } from '../kernel/errors.js';
import { isId } from '../kernel/ids.js';
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
  sending_team: { id: string; key: string; name: string };
  receiving_team: { id: string; key: string; name: string };
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
  return rows.map((r) => {
    const team = (id: string) => teamById.get(id) ?? { id, key: '?', name: '?' };
    return {
      id: r.id,
      engagement_id: r.engagement_id,
      playbook: { id: r.playbook_id, key: r.playbook_key, version: Number(r.playbook_version) },
      transition: r.transition_key,
      title: r.title,
      state: r.state as HandoffState,
      sending_team: team(r.sending_team_id),
      receiving_team: team(r.receiving_team_id),
      assignee_id: r.assignee_user_id,
      packet: JSON.parse(r.packet) as Packet,
      revision: Number(r.revision),
      decision: r.decision ? (JSON.parse(r.decision) as Decision) : null,
      open_questions: openBy.get(r.id) ?? 0,
      created_by: r.created_by,
      created_at: r.created_at,
      updated_at: r.updated_at,
      submitted_at: r.submitted_at,
      decided_at: r.decided_at,
      version: Number(r.version),
    };
  });
}

export async function toView(db: Db, orgId: string, row: HandoffRow): Promise<HandoffView> {
  const [view] = await toViews(db, orgId, [row]);
  return view!;
}

/** Which side of this handoff the principal is on. */
export function sidesOf(principal: { teamIds: readonly string[] }, row: HandoffRow) {
  return {
    sender: principal.teamIds.includes(row.sending_team_id),
    receiver: principal.teamIds.includes(row.receiving_team_id),
  };
}
