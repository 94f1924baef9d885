import { loadHandoff } from '../../handoffs/public.js';
import type { Principal } from '../../identity/domain/roles.js';
import type { Db, Deps } from '../../kernel/context.js';
import { fileRefsOf } from '../../playbooks/domain/file-refs.js';
import type { Packet, TransitionDef } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { signoffsOf } from '../../portal/public.js';
import {
  LADDER_RUNGS,
  type SheetFormats,
  type SummarySheet,
  summarySheetOf,
} from '../domain/summary-sheet.js';

/** The ladder record's column of each rung. */
const RUNG_COLUMNS = {
  'success.metric': 'metric',
  'success.earliest_signal': 'earliest_signal',
  'success.early_win': 'early_win',
  'success.minimum_outcome': 'minimum_outcome',
  'success.ultimate_objective': 'ultimate_objective',
} as const;

/**
 * Gathers the one-page summary of a handoff: the client's goal and success ladder, scope,
 * promises, the people and dates the packet names, what is still open, and the rest of the
 * packet, curated (see `SummarySheet`).
 */
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
    .innerJoin('organisations', 'organisations.id', 'engagements.org_id')
    .select([
      'engagements.name',
      'engagements.stage',
      'engagements.contract_signed_at',
      'accounts.name as account',
      'organisations.time_zone',
      'organisations.locale',
    ])
    .where('engagements.org_id', '=', org)
    .where('engagements.id', '=', h.engagement_id)
    .executeTakeFirstOrThrow();
  const formats: SheetFormats = { locale: engagement.locale, timeZone: engagement.time_zone };
  const [teams, promises, scope, ladder, openQuestions, signoffs] = await Promise.all([
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
      .selectFrom('success_ladders')
      .selectAll()
      .where('org_id', '=', org)
      .where('engagement_id', '=', h.engagement_id)
      .executeTakeFirst(),
    db
      .selectFrom('questions')
      .select(['body', 'path'])
      .where('org_id', '=', org)
      .where('handoff_id', '=', h.id)
      .where('state', '=', 'open')
      .orderBy('asked_at')
      .execute(),
    signoffsOf(db, org, h.engagement_id),
  ]);
  const decision = h.decision ? JSON.parse(h.decision) : null;
  const stageName = (key: string) => playbook.playbook.stages.find((s) => s.key === key)?.name ?? key;
  return summarySheetOf({
    handoff: {
      title: h.title,
      state: h.state,
      revision: Number(h.revision),
      submittedAt: h.submitted_at,
      decidedAt: h.decided_at,
      decision: decision
        ? {
            outcome: decision.outcome,
            reason: decision.reason_label ?? decision.reason_code ?? null,
            explanation: decision.explanation ?? null,
            at: decision.at,
          }
        : null,
    },
    playbook: { key: h.playbook_key, version: Number(h.playbook_version), name: playbook.playbook.name },
    transition: def,
    stages: { from: stageName(def.from), to: stageName(def.to) },
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
    packet: await withFileNames(db, org, h.engagement_id, def, JSON.parse(h.packet) as Packet),
    // Never submitted: the packet says it; submitted: the engagement's records, as they are now.
    records:
      h.submitted_at === null
        ? null
        : {
            goal: ladder?.goal ?? null,
            ladder: ladder
              ? LADDER_RUNGS.flatMap(([rung, label]) => {
                  const value = ladder[RUNG_COLUMNS[rung]];
                  return value ? [{ label, value }] : [];
                })
              : [],
            scope: {
              in: scope.filter((s) => s.kind === 'in').map((s) => s.description),
              out: scope.filter((s) => s.kind === 'out').map((s) => s.description),
            },
            promises: promises.map((p) => ({
              text: p.text,
              kind: Number(p.in_contract) === 1 ? ('in the contract' as const) : ('verbal' as const),
              owner: p.made_by,
              status: p.status.replace('_', ' '),
            })),
          },
    openQuestions,
    signoffs,
    formats,
    now: deps.clock.now(),
  });
}

/**
 * The packet with each `file` value given the name of the engagement's file it points at, so the
 * sheet says "As-built floor 2, version 3" rather than an id.
 */
async function withFileNames(
  db: Db,
  orgId: string,
  engagementId: string,
  def: TransitionDef,
  packet: Packet,
) {
  const refs = fileRefsOf(def, packet);
  if (refs.length === 0) return packet;
  const files = await db
    .selectFrom('engagement_files')
    .select(['id', 'name'])
    .where('org_id', '=', orgId)
    .where('engagement_id', '=', engagementId)
    .where(
      'id',
      'in',
      refs.map((r) => r.fileId.slice(0, 64)),
    )
    .execute();
  const named = structuredClone(packet);
  for (const ref of refs) {
    const name = files.find((f) => f.id === ref.fileId)?.name;
    const [section, field] = ref.parts;
    if (name)
      (named[section] as Record<string, unknown>)[field] = {
        file_id: ref.fileId,
        version: ref.version,
        name,
      };
  }
  return named;
}
