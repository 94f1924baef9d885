import type { Db } from '../../kernel/context.js';
import type { QuestionsTable } from '../../kernel/db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { isId } from '../../kernel/ids.js';
import type { Question } from '../question-schema.js';

export function toQuestionView(q: QuestionsTable): Question {
  return {
    id: q.id,
    handoff_id: q.handoff_id,
    path: q.path,
    body: q.body,
    revision: Number(q.revision),
    state: q.state as Question['state'],
    asked_by: q.asked_by,
    asked_at: q.asked_at,
    answer: q.answer,
    answered_by: q.answered_by,
    answered_at: q.answered_at,
    amended_revision:
      q.amended_revision === null || q.amended_revision === undefined ? null : Number(q.amended_revision),
  };
}

export async function loadQuestion(db: Db, orgId: string, id: string): Promise<QuestionsTable> {
  const row = isId(id)
    ? await db
        .selectFrom('questions')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No question ${id}.`);
  return row;
}

/** The questions of one handoff, oldest first. */
export async function listQuestions(db: Db, orgId: string, handoffId: string): Promise<Question[]> {
  const rows = await db
    .selectFrom('questions')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('handoff_id', '=', handoffId)
    .orderBy('asked_at')
    .orderBy('id')
    .execute();
  return rows.map(toQuestionView);
}
