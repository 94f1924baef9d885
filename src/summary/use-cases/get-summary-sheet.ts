import { loadHandoff } from '../../handoffs/public.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Deps } from '../../kernel/context.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { type SummarySheet, sheetSections } from '../domain/summary-sheet.js';

const LADDER: [keyof LadderRow, string][] = [
  ['goal', "Goal, in the client's words"],
  ['metric', 'Success metric'],
  ['ultimate_objective', 'Ultimate objective'],
  ['earliest_signal', 'Earliest signal of progress'],
  ['minimum_outcome', 'Minimum acceptable outcome'],
  ['early_win', 'Early win (first month)'],
];
interface LadderRow {
  goal: string | null;
  metric: string | null;
  ultimate_objective: string | null;
  earliest_signal: string | null;
  minimum_outcome: string | null;
  early_win: string | null;
}

/** Gathers the one-page summary of a handoff: packet, promises, scope, people and success ladder. */
export async function getSummarySheet(deps: Deps, principal: Principal, id: string): Promise<SummarySheet> {
  const db = deps.store.db;
  const org = principal.orgId;
  const h = await loadHandoff(db, org, id);
  const playbook = await playbookById(db, org, h.playbook_id);
  const def = playbook.transition(h.transition_key)?.def;
  if (!def) throw new Error(`Handoff ${h.id} names a missing transition ${h.transition_key}`);
  const engagement = await db
    .selectFrom('engagements')
    .innerJoin('accounts', 'accounts.id', 'engagements.account_id')
    .select([
      'engagements.name',
      'engagements.stage',
      'engagements.contract_signed_at',
      'engagements.account_id',
      'accounts.name as account',
    ])
    .where('engagements.org_id', '=', org)
    .where('engagements.id', '=', h.engagement_id)
    .executeTakeFirstOrThrow();
  const [teams, promises, scope, contacts, ladder, questions] = await Promise.all([
    db.selectFrom('teams').select(['id', 'name']).where('org_id', '=', org).execute(),
    db
      .selectFrom('promises')
      .selectAll()
      .where('org_id', '=', org)
      .where('engagement_id', '=', h.engagement_id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('scope_items')
      .selectAll()
      .where('org_id', '=', org)
      .where('engagement_id', '=', h.engagement_id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('contacts')
      .selectAll()
      .where('org_id', '=', org)
      .where('account_id', '=', engagement.account_id)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('success_ladders')
      .selectAll()
      .where('org_id', '=', org)
      .where('engagement_id', '=', h.engagement_id)
      .executeTakeFirst(),
    db
      .selectFrom('questions')
      .select('state')
      .where('org_id', '=', org)
      .where('handoff_id', '=', h.id)
      .execute(),
  ]);
  const decision = h.decision ? JSON.parse(h.decision) : null;
  const stageName = (key: string) => playbook.playbook.stages.find((s) => s.key === key)?.name ?? key;
  return {
    title: h.title,
    state: h.state,
    revision: Number(h.revision),
    playbook: { key: h.playbook_key, version: Number(h.playbook_version), name: playbook.playbook.name },
    transition: { name: def.name, from: stageName(def.from), to: stageName(def.to) },
    teams: {
      sending: teams.find((t) => t.id === h.sending_team_id)?.name ?? '',
      receiving: teams.find((t) => t.id === h.receiving_team_id)?.name ?? '',
    },
    account: engagement.account,
    engagement: {
      name: engagement.name,
      stage: engagement.stage,
      contractSignedAt: engagement.contract_signed_at,
    },
    sections: sheetSections(def, JSON.parse(h.packet) as Packet),
    promises: promises.map((p) => ({
      text: p.text,
      madeBy: p.made_by,
      inContract: Number(p.in_contract) === 1,
      status: p.status,
    })),
    scope: {
      in: scope.filter((s) => s.kind === 'in').map((s) => s.description),
      out: scope.filter((s) => s.kind === 'out').map((s) => s.description),
    },
    contacts: contacts
      .filter((c) => c.role !== 'other')
      .map((c) => ({ name: c.name, role: c.role, title: c.title, email: c.email })),
    ladder: ladder
      ? LADDER.filter(([k]) => ladder[k]).map(([k, label]) => ({ label, value: ladder[k]! }))
      : [],
    questions: {
      open: questions.filter((q) => q.state === 'open').length,
      answered: questions.filter((q) => q.state === 'answered').length,
    },
    decision: decision
      ? {
          outcome: decision.outcome,
          reason: decision.reason_label ?? decision.reason_code,
          explanation: decision.explanation,
          at: decision.at,
        }
      : null,
    generatedAt: deps.clock.now().toISOString(),
  };
}
