import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publishAll } from '../../kernel/events.js';
import { loadHandoff } from '../handoff-records.js';
import type { Question } from '../question-schema.js';
import { applyCommand } from './apply-command.js';
import { loadQuestion, toQuestionView } from './question-records.js';

/** The sending team answers an open question in writing. */
export async function answerQuestion(
  deps: Deps,
  principal: Principal,
  questionId: string,
  input: { answer: string },
): Promise<Question> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const question = await loadQuestion(trx, principal.orgId, questionId);
    const row = await loadHandoff(trx, principal.orgId, question.handoff_id);
    if (input.answer.trim() === '') {
      throw new AppError('validation_failed', 'The answer is not valid.', [
        { path: '/answer', message: 'the answer must not be blank' },
      ]);
    }
    const answered = {
      ...question,
      state: 'answered',
      answer: input.answer.trim(),
      answered_by: principal.userId,
      answered_at: now.toISOString(),
    };
    const { events } = await applyCommand(trx, principal, now, row, { type: 'answer', question: answered });
    if (question.state !== 'open')
      throw new AppError('illegal_transition', 'This question has already been answered.');
    await trx
      .updateTable('questions')
      .set({
        state: answered.state,
        answer: answered.answer,
        answered_by: answered.answered_by,
        answered_at: answered.answered_at,
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', question.id)
      .execute();
    await publishAll(trx, events);
    return toQuestionView(answered);
  });
}
