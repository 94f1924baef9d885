import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { diffPackets } from '../../playbooks/domain/packet-diff.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { type HandoffRow, loadHandoff, toView } from '../handoff-records.js';
import type { Handoff, HandoffState, Readiness } from '../handoff-schema.js';
import { recordFirstOpen } from '../review-nudge.js';
import type { Revision, RevisionDiff } from '../revision-schema.js';
import { readinessIssues } from './packet-issues.js';

/**
 * One handoff of the caller's organisation, with what changed since the caller last opened an
 * earlier revision of it (`since_seen`); opening it records the revision they now see.
 */
export async function getHandoff(deps: Deps, principal: Principal, id: string): Promise<Handoff> {
  const db = deps.store.db;
  const row = await loadHandoff(db, principal.orgId, id);
  const now = deps.clock.now();
  await recordFirstOpen(db, principal, row, now);
  const view = await toView(db, principal, row, deps.ports);
  return { ...view, since_seen: await sinceSeen(deps, principal, row, now) };
}

/**
 * The fields that changed between the revision the caller saw last and the current one (null
 * when they saw this one, or none), recording the current one as seen. Drafts have no revision.
 */
async function sinceSeen(
  deps: Deps,
  principal: Principal,
  row: HandoffRow,
  now: Date,
): Promise<Handoff['since_seen']> {
  const revision = Number(row.revision);
  if (revision === 0) return null;
  const db = deps.store.db;
  const seen = await db
    .selectFrom('revision_views')
    .select('revision')
    .where('handoff_id', '=', row.id)
    .where('user_id', '=', principal.userId)
    .executeTakeFirst();
  const last = seen ? Number(seen.revision) : null;
  if (last === revision) return null;
  await db
    .insertInto('revision_views')
    .values({
      org_id: principal.orgId,
      handoff_id: row.id,
      user_id: principal.userId,
      revision,
      seen_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc.columns(['handoff_id', 'user_id']).doUpdateSet({ revision, seen_at: now.toISOString() }),
    )
    .execute();
  if (last === null || last > revision) return null;
  const packets = await db
    .selectFrom('handoff_revisions')
    .select(['number', 'packet'])
    .where('org_id', '=', principal.orgId)
    .where('handoff_id', '=', row.id)
    .where('number', 'in', [last, revision])
    .execute();
  const before = packets.find((p) => Number(p.number) === last);
  const after = packets.find((p) => Number(p.number) === revision);
  if (!before || !after) return null;
  const playbook = await playbookById(db, principal.orgId, row.playbook_id);
  const transition = playbook.transition(row.transition_key)?.def;
  if (!transition) return null;
  const changes = diffPackets(
    transition,
    JSON.parse(before.packet) as Packet,
    JSON.parse(after.packet) as Packet,
  );
  return { revision: last, paths: changes.map((c) => c.path) };
}

/** What stands between the current packet and a submit, every issue listed. */
export async function checkReadiness(deps: Deps, principal: Principal, id: string): Promise<Readiness> {
  const db = deps.store.db;
  const row = await loadHandoff(db, principal.orgId, id);
  const playbook = await playbookById(db, principal.orgId, row.playbook_id);
  const compiled = playbook.transition(row.transition_key);
  if (!compiled) throw new Error(`Handoff ${row.id} names a missing transition ${row.transition_key}`);
  const issues = await readinessIssues(db, principal.orgId, compiled.validator, JSON.parse(row.packet), {
    transition: compiled.def,
    engagementId: row.engagement_id,
    ports: deps.ports,
  });
  const open = await db
    .selectFrom('questions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', principal.orgId)
    .where('handoff_id', '=', row.id)
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  return {
    ready: issues.length === 0,
    issues,
    open_questions: Number(open.n),
    state: row.state as HandoffState,
  };
}

/** Every submitted revision of a handoff, first to last. */
export async function listRevisions(deps: Deps, principal: Principal, id: string): Promise<Revision[]> {
  const db = deps.store.db;
  const row = await loadHandoff(db, principal.orgId, id);
  const revisions = await db
    .selectFrom('handoff_revisions')
    .selectAll()
    .where('org_id', '=', principal.orgId)
    .where('handoff_id', '=', row.id)
    .orderBy('number')
    .execute();
  return revisions.map((r) => ({
    number: Number(r.number),
    packet: JSON.parse(r.packet) as Packet,
    submitted_by: r.submitted_by,
    submitted_at: r.submitted_at,
    answering_question_id: r.answering_question_id ?? null,
  }));
}

/** Field-by-field differences between two revisions (`a` before `b`). */
export async function diffRevisions(
  deps: Deps,
  principal: Principal,
  id: string,
  a: number,
  b: number,
): Promise<RevisionDiff> {
  const db = deps.store.db;
  const row = await loadHandoff(db, principal.orgId, id);
  const revisions = await db
    .selectFrom('handoff_revisions')
    .select(['number', 'packet'])
    .where('org_id', '=', principal.orgId)
    .where('handoff_id', '=', row.id)
    .where('number', 'in', [a, b])
    .execute();
  const find = (n: number) => revisions.find((r) => Number(r.number) === n);
  const from = find(a);
  const to = find(b);
  if (!from || !to) {
    throw new AppError(
      'not_found',
      `No revision ${!from ? a : b} of handoff ${id} (it has ${row.revision}).`,
    );
  }
  const playbook = await playbookById(db, principal.orgId, row.playbook_id);
  const def = playbook.transition(row.transition_key)?.def;
  if (!def) throw new Error(`Handoff ${row.id} names a missing transition ${row.transition_key}`);
  return {
    from: a,
    to: b,
    changes: diffPackets(def, JSON.parse(from.packet) as Packet, JSON.parse(to.packet) as Packet).map(
      (c) => ({
        ...c,
        path: `/packet${c.path}`,
      }),
    ),
  };
}
