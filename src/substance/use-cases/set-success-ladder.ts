import { changedValues, checkOptionalText, loadEngagement, optionalText } from '../../accounts/public.js';
import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { isUniqueViolation } from '../../kernel/db/dialect.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { SuccessLadder } from '../success-ladder-schema.js';
import {
  LADDER_FIELDS,
  type LadderValues,
  ladderValues,
  toSuccessLadderView,
} from './success-ladder-records.js';

/**
 * Replaces the engagement's success ladder as a whole (PUT): every rung is given, text or null;
 * blank text counts as null. Only the rungs that change are audited.
 */
export async function setSuccessLadder(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: LadderValues,
): Promise<SuccessLadder> {
  requireCapability(principal, 'write_records', 'set success ladders');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const errors: ErrorDetail[] = [];
    for (const field of LADDER_FIELDS) {
      if (input[field] === undefined)
        errors.push({ path: `/${field}`, message: 'is required (text or null)' });
      else errors.push(...checkOptionalText(`/${field}`, input[field], 2000));
    }
    if (errors.length) throw new AppError('validation_failed', 'The success ladder is not valid.', errors);
    const existing = await trx
      .selectFrom('success_ladders')
      .selectAll()
      .where('org_id', '=', principal.orgId)
      .where('engagement_id', '=', engagement.id)
      .executeTakeFirst();
    const after = Object.fromEntries(LADDER_FIELDS.map((f) => [f, optionalText(input[f])])) as LadderValues;
    const diff = changedValues(ladderValues(existing), after);
    if (!diff.changed) return toSuccessLadderView(engagement.id, existing);
    const at = now.toISOString();
    const row = existing
      ? await trx
          .updateTable('success_ladders')
          .set({ ...after, updated_at: at })
          .where('org_id', '=', principal.orgId)
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('success_ladders')
          .values({
            id: newId(),
            org_id: principal.orgId,
            engagement_id: engagement.id,
            handoff_id: null,
            ...after,
            updated_at: at,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
          .catch((e: unknown) => {
            // Another writer recorded the first ladder of this engagement a moment ago.
            if (isUniqueViolation(e))
              throw new AppError('conflict', 'The success ladder was set at the same time; retry.');
            throw e;
          });
    const links = { entityId: row.id, handoffId: row.handoff_id, engagementId: engagement.id };
    await appendAudit(
      trx,
      principal.orgId,
      { type: 'user', id: principal.userId },
      now,
      existing
        ? {
            action: 'success_ladder.updated',
            entityType: 'success_ladder',
            ...links,
            before: diff.before,
            after: diff.after,
          }
        : { action: 'success_ladder.recorded', entityType: 'success_ladder', ...links, after: diff.after },
    );
    return toSuccessLadderView(engagement.id, row);
  });
}
