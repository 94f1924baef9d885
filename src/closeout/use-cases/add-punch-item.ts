import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { dayOf, lineOf } from '../domain/record-fields.js';
import type { PunchItem } from '../records-schema.js';
import { activeUserIssues, toPunchItemView, userNames } from './closeout-records.js';

/** Adds an item to the engagement's punch list, open, owned by a user. Publishes `punch_item.added`. */
export async function addPunchItem(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: { title: string; owner_id: string; due_on?: string | null },
): Promise<PunchItem> {
  requireCapability(principal, 'write_records', 'change punch items');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const issues: ErrorDetail[] = [];
    const title = lineOf('/title', input.title, { max: 500, required: true }, issues);
    const dueOn = dayOf('/due_on', input.due_on, {}, issues);
    issues.push(...(await activeUserIssues(trx, principal.orgId, input.owner_id, '/owner_id')));
    if (issues.length) throw new AppError('validation_failed', 'The punch item is not valid.', issues);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      title: title!,
      owner_user_id: input.owner_id,
      due_on: dueOn,
      state: 'open',
      reason: null,
      settled_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('punch_items').values(row).execute();
    await publish(trx, {
      type: 'punch_item.added',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      item: row,
    });
    return toPunchItemView(row, await userNames(trx, principal.orgId, [row.owner_user_id]));
  });
}
