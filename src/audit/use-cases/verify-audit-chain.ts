import type { Deps } from '../../kernel/context.js';
import { type ChainBreak, findChainBreak } from '../domain/chain.js';

export interface ChainReport {
  org: string;
  entries: number;
  ok: boolean;
  firstBreak: ChainBreak | null;
}

/** Checks every organisation's audit chain (or one, by slug) from its first entry to its head. */
export async function verifyAuditChain(deps: Deps, input: { orgSlug?: string } = {}): Promise<ChainReport[]> {
  let orgs = deps.store.db.selectFrom('organisations').select(['id', 'slug', 'audit_seq', 'audit_head']);
  if (input.orgSlug) orgs = orgs.where('slug', '=', input.orgSlug);
  const reports: ChainReport[] = [];
  for (const org of await orgs.orderBy('slug').execute()) {
    const entries = await deps.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('org_id', '=', org.id)
      .orderBy('seq')
      .execute();
    const firstBreak = findChainBreak(entries, { seq: Number(org.audit_seq), hash: org.audit_head });
    reports.push({ org: org.slug, entries: entries.length, ok: firstBreak === null, firstBreak });
  }
  return reports;
}
