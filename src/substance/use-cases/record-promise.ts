import { checkRequiredText, loadEngagement } from '../../accounts/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import type { PromiseRecord } from '../promise-schema.js';
import { toPromiseView } from './promise-records.js';
import { carryingHandoffIssues } from './substance-records.js';

export interface RecordPromiseInput {
  text: string;
  /** Who made it, as the client would say it: "Dana (sales)". */
  made_by: string;
  /** True when the contract says it; false for a verbal or e-mailed promise. */
  in_contract: boolean;
  /** The handoff that carried it, if any; it must be of the same engagement. */
  handoff_id?: string | null;
}

/**
 * Adds a commitment to the engagement's promise register, open until closeout says otherwise.
 * Publishes `promise.recorded` (audited as such).
 */
export async function recordPromise(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: RecordPromiseInput,
): Promise<PromiseRecord> {
  requireCapability(principal, 'write_records', 'record promises');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const errors: ErrorDetail[] = [
      ...checkRequiredText('/text', input.text, 2000),
      ...checkRequiredText('/made_by', input.made_by, 200),
      ...(typeof input.in_contract === 'boolean'
        ? []
        : [{ path: '/in_contract', message: 'must be true or false' }]),
      ...(await carryingHandoffIssues(trx, principal.orgId, engagement.id, input.handoff_id)),
    ];
    if (errors.length) throw new AppError('validation_failed', 'The promise is not valid.', errors);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      handoff_id: input.handoff_id ?? null,
      text: input.text.trim(),
      made_by: input.made_by.trim(),
      in_contract: input.in_contract ? 1 : 0,
      status: 'open',
      status_note: null,
      // Recorded by hand: submitting the handoff leaves it alone.
      from_packet: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('promises').values(row).execute();
    await publish(trx, {
      type: 'promise.recorded',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      promise: row,
    });
    return toPromiseView(row);
  });
}
