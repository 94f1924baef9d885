import type { Db } from '../../kernel/context.js';

/** What an engagement is for and what it covers, as another feature reads it (the client portal). */
export interface EngagementSubstance {
  /** The client's goal and how success is measured, from the success ladder; null when unset. */
  goal: string | null;
  metric: string | null;
  /** In before out, oldest first. */
  scope: { kind: 'in' | 'out'; description: string }[];
  /** Oldest first. */
  promises: { text: string; in_contract: boolean; status: string }[];
}

/**
 * The goal, success metric, scope and promises of one engagement of the organisation (an unknown
 * engagement reads as empty: the caller has already loaded it).
 *
 * @example
 *   const { goal, scope } = await engagementSubstance(db, orgId, engagementId);
 */
export async function engagementSubstance(
  db: Db,
  orgId: string,
  engagementId: string,
): Promise<EngagementSubstance> {
  const [ladder, scope, promises] = await Promise.all([
    db
      .selectFrom('success_ladders')
      .select(['goal', 'metric'])
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .executeTakeFirst(),
    db
      .selectFrom('scope_items')
      .select(['kind', 'description'])
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .orderBy('kind')
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('promises')
      .select(['text', 'in_contract', 'status'])
      .where('org_id', '=', orgId)
      .where('engagement_id', '=', engagementId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  return {
    goal: ladder?.goal ?? null,
    metric: ladder?.metric ?? null,
    scope: scope.map((s) => ({ kind: s.kind === 'out' ? 'out' : 'in', description: s.description })),
    promises: promises.map((p) => ({
      text: p.text,
      in_contract: Number(p.in_contract) === 1,
      status: p.status,
    })),
  };
}
