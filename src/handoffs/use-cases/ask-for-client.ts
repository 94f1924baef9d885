import { SYSTEM } from '../../kernel/actor.js';
import type { Tx } from '../../kernel/context.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import type { HandoffState } from '../domain/lifecycle.js';
// The event it publishes, declared (this file reaches programs, such as the web UI's, that hold no other events).
import type {} from '../handoff-events.js';

/**
 * States whose handoff can take a client's question: ones its senders can still answer in
 * (`answer` moves from submitted, rejected and accepted), so the question is not stranded.
 */
const TAKES_CLIENT_QUESTIONS: readonly HandoffState[] = ['submitted', 'accepted', 'rejected'];

/** A question the client asked through the portal, on their engagement. */
export interface ClientQuestion {
  orgId: string;
  engagementId: string;
  body: string;
  /** Who asked, as the question records it: `contact:<id>` (no user asks it). */
  askedBy: string;
  at: Date;
}

/**
 * Asks the team a client's question on the engagement's latest handoff that can take one (see
 * `TAKES_CLIENT_QUESTIONS`), in the caller's transaction, and publishes `handoff.question_asked`
 * (as the system: the client has no account), so the senders are told and the audit log records
 * it. Answers the question's id and its handoff, or null when no handoff of the engagement can
 * take it (the caller keeps the difference on the engagement instead).
 *
 * The question does not move the handoff: an open one holds up acceptance of a submitted packet,
 * as any question does, and the senders answer it in the usual way.
 *
 * @example
 *   const asked = await askForClient(trx, { orgId, engagementId, body: 'Scope differs: …', askedBy: `contact:${id}`, at });
 */
export async function askForClient(
  trx: Tx,
  input: ClientQuestion,
): Promise<{ questionId: string; handoffId: string } | null> {
  const handoff = await trx
    .selectFrom('handoffs')
    .selectAll()
    .where('org_id', '=', input.orgId)
    .where('engagement_id', '=', input.engagementId)
    .where('state', 'in', TAKES_CLIENT_QUESTIONS)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!handoff) return null;
  const question = {
    id: newId(),
    org_id: input.orgId,
    handoff_id: handoff.id,
    path: null,
    body: input.body,
    revision: Number(handoff.revision),
    asked_by: input.askedBy,
    asked_at: input.at.toISOString(),
    state: 'open',
    answer: null,
    answered_by: null,
    answered_at: null,
    amended_revision: null,
  };
  await trx.insertInto('questions').values(question).execute();
  await publish(trx, {
    type: 'handoff.question_asked',
    orgId: input.orgId,
    actor: SYSTEM,
    at: input.at,
    from: handoff.state as HandoffState,
    handoff,
    question,
  });
  return { questionId: question.id, handoffId: handoff.id };
}
