import { appendAudit } from '../../audit/append-audit.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import {
  checkExternalIds,
  checkInstant,
  checkOptionalText,
  checkRequiredText,
  normaliseExternalIds,
  normaliseInstant,
  optionalText,
} from '../domain/field-checks.js';
import type { Engagement } from '../engagement-schema.js';
import { findAccount } from './account-records.js';
import { isActiveUser, toEngagementView } from './engagement-records.js';
import { storeExternalIds } from './external-id-records.js';

export interface CreateEngagementInput {
  account_id: string;
  name: string;
  stage?: string | null;
  owner_id?: string | null;
  /** Ids of the deal in other systems, e.g. `{ "salesforce": "006…" }`. */
  external_ids?: Record<string, string>;
  /** ISO-8601 date-time with a time zone; stored as UTC. */
  contract_signed_at?: string | null;
}

/** Opens an engagement: one piece of work sold to an account, which handoffs then carry forward. */
export async function createEngagement(
  deps: Deps,
  principal: Principal,
  input: CreateEngagementInput,
): Promise<Engagement> {
  requireCapability(principal, 'write_records', 'add engagements');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const errors: ErrorDetail[] = [];
    const account = await findAccount(trx, principal.orgId, input.account_id);
    if (!account) errors.push({ path: '/account_id', message: 'no such account in this organisation' });
    errors.push(
      ...checkRequiredText('/name', input.name, 300),
      ...checkOptionalText('/stage', input.stage, 100),
      ...checkExternalIds('/external_ids', input.external_ids),
      ...checkInstant('/contract_signed_at', input.contract_signed_at),
    );
    if (input.owner_id && !(await isActiveUser(trx, principal.orgId, input.owner_id))) {
      errors.push({ path: '/owner_id', message: 'no such user in this organisation' });
    }
    if (errors.length || !account)
      throw new AppError('validation_failed', 'The engagement is not valid.', errors);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      account_id: account.id,
      name: input.name.trim(),
      stage: optionalText(input.stage),
      owner_user_id: input.owner_id || null,
      external_ids: JSON.stringify(normaliseExternalIds(input.external_ids)),
      contract_signed_at: normaliseInstant(input.contract_signed_at),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      // The closeout's (migration 0022): set by the closeout feature.
      service_lead_user_id: null,
      service_lead_introduced_at: null,
      closed_out_at: null,
      closed_out_by: null,
    };
    await trx.insertInto('engagements').values(row).execute();
    const view = toEngagementView(row);
    await storeExternalIds(
      trx,
      { orgId: principal.orgId, type: 'engagement', id: row.id },
      view.external_ids,
      false,
    );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'engagement.created',
      entityType: 'engagement',
      entityId: row.id,
      engagementId: row.id,
      after: {
        account_id: view.account_id,
        name: view.name,
        stage: view.stage,
        owner_id: view.owner_id,
        external_ids: view.external_ids,
        contract_signed_at: view.contract_signed_at,
      },
    });
    return view;
  });
}
