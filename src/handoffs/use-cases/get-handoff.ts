import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { diffPackets } from '../../playbooks/domain/packet-diff.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { loadHandoff, toView } from '../handoff-records.js';
import type { Handoff, HandoffState, Readiness } from '../handoff-schema.js';
import { recordFirstOpen } from '../review-nudge.js';
import type { Revision, RevisionDiff } from '../revision-schema.js';
import { readinessIssues } from './packet-issues.js';

/** One handoff of the caller's organisation. */
export async function getHandoff(deps: Deps, principal: Principal, id: string): Promise<Handoff> {
  const row = await loadHandoff(deps.store.db, principal.orgId, id);
  await recordFirstOpen(deps.store.db, principal, row, deps.clock.now());
  return toView(deps.store.db, principal, row, deps.ports);
}

/** What stands between the current packet and a submit, every issue listed. */
export async function checkReadiness(deps: Deps, principal: Principal, id: string): Promise<Readiness> {
  const db = deps.store.db;
  const row = await loadHandoff(db, principal.orgId, id);
  const playbook = await playbookById(db, principal.orgId, row.playbook_id);
  const compiled = playbook.transition(row.transition_key);
  if (!compiled) throw new Error(`Handoff ${row.id} names a missing transition ${row.transition_key}`);
  const issues = await readinessIssues(db, principal.orgId, compiled.validator, JSON.parse(row.packet));
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
