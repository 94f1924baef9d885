import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { dayOf, lineOf } from '../domain/record-fields.js';
import type { TrainingRecord } from '../records-schema.js';
import { accountContactOf, activeUserIssues, toTrainingView, userNames } from './closeout-records.js';

export interface RecordTrainingInput {
  /** A contact of the engagement's account; their name is the trainee's unless one is given. */
  contact_id?: string | null;
  trainee_name?: string | null;
  product: string;
  trained_on: string;
  trainer_id: string;
}

/**
 * Records that an operator of the client's (a contact of the account, or someone named) was
 * trained on a product or system, when and by whom. Publishes `training.recorded`.
 */
export async function recordTraining(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: RecordTrainingInput,
): Promise<TrainingRecord> {
  requireCapability(principal, 'write_records', 'record training');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const issues: ErrorDetail[] = [];
    let trainee = lineOf('/trainee_name', input.trainee_name, { max: 200 }, issues);
    let contactId: string | null = null;
    if (input.contact_id) {
      const contact = await accountContactOf(trx, principal.orgId, engagement.account_id, input.contact_id);
      if (!contact)
        issues.push({ path: '/contact_id', message: "must be a contact of the engagement's account" });
      else {
        contactId = contact.id;
        trainee ??= contact.name;
      }
    } else if (trainee === null)
      issues.push({
        path: '/trainee_name',
        message: 'is required when no contact is named: who was trained?',
      });
    const product = lineOf('/product', input.product, { max: 200, required: true }, issues);
    const trainedOn = dayOf('/trained_on', input.trained_on, { required: true }, issues);
    issues.push(...(await activeUserIssues(trx, principal.orgId, input.trainer_id, '/trainer_id')));
    if (issues.length) throw new AppError('validation_failed', 'The training record is not valid.', issues);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      contact_id: contactId,
      trainee_name: trainee!,
      product: product!,
      trained_on: trainedOn!,
      trainer_user_id: input.trainer_id,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('training_records').values(row).execute();
    await publish(trx, {
      type: 'training.recorded',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      training: row,
    });
    return toTrainingView(row, await userNames(trx, principal.orgId, [row.trainer_user_id]));
  });
}
