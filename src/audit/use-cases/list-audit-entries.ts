import type { Deps } from '../../kernel/context.js';
import type { Principal } from '../../kernel/principal.js';
import { sealAuditLog } from '../seal-audit-log.js';

export interface AuditEntryView {
  seq: number;
  at: string;
  actor: { type: string; id: string | null };
  action: string;
  entity: { type: string; id: string };
  before: unknown;
  after: unknown;
  hash: string;
}

/**
 * The audit entries of one handoff or engagement (or of the whole organisation), oldest first.
 * What was appended before the call is sealed first, so the caller sees every change committed
 * before it asked.
 */
export async function listAuditEntries(
  deps: Deps,
  principal: Principal,
  filter: { handoffId?: string; engagementId?: string; limit?: number; afterSeq?: number },
): Promise<AuditEntryView[]> {
  await sealAuditLog(deps.store.db, principal.orgId, deps.clock.now());
  let q = deps.store.db.selectFrom('audit_log').selectAll().where('org_id', '=', principal.orgId);
  if (filter.handoffId) q = q.where('handoff_id', '=', filter.handoffId);
  if (filter.engagementId) q = q.where('engagement_id', '=', filter.engagementId);
  if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
  const rows = await q
    .orderBy('seq')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    actor: { type: r.actor_type, id: r.actor_id },
    action: r.action,
    entity: { type: r.entity_type, id: r.entity_id },
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
    hash: r.hash,
  }));
}
