import { loadEngagement } from '../../accounts/public.js';
import { loadHandoff } from '../../handoffs/public.js';
import type { Db } from '../../kernel/context.js';
import type { ErrorDetail } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';

/** Whose records to list: an engagement's (all of them), or those one handoff carried. */
export type SubstanceOf = { engagementId: string } | { handoffId: string };

/**
 * The column and id that select the records of `of`, after checking that the engagement or
 * handoff is the organisation's (`not_found` otherwise, another organisation's included).
 */
export async function ownerFilter(
  db: Db,
  orgId: string,
  of: SubstanceOf,
): Promise<{ column: 'engagement_id' | 'handoff_id'; id: string }> {
  if ('engagementId' in of)
    return { column: 'engagement_id', id: (await loadEngagement(db, orgId, of.engagementId)).id };
  return { column: 'handoff_id', id: (await loadHandoff(db, orgId, of.handoffId)).id };
}

/** A record may name the handoff that carried it only if that handoff is of the same engagement. */
export async function carryingHandoffIssues(
  db: Db,
  orgId: string,
  engagementId: string,
  handoffId: string | null | undefined,
): Promise<ErrorDetail[]> {
  if (handoffId === undefined || handoffId === null) return [];
  const found = isId(handoffId)
    ? await db
        .selectFrom('handoffs')
        .select('id')
        .where('org_id', '=', orgId)
        .where('engagement_id', '=', engagementId)
        .where('id', '=', handoffId)
        .executeTakeFirst()
    : undefined;
  return found ? [] : [{ path: '/handoff_id', message: 'no such handoff on this engagement' }];
}
