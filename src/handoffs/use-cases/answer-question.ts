import type { Principal } from '../../identity/domain/roles.js';
import { insertRows } from '../../kernel/batch-writes.js';
import { type Deps, inTransaction, type Tx } from '../../kernel/context.js';
import type { QuestionsTable } from '../../kernel/db/schema.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publishAll } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import type { Packet } from '../../playbooks/domain/playbook.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { changedFields, mergePacket } from '../domain/merge-packet.js';
import { type HandoffRow, loadHandoff } from '../handoff-records.js';
import type { Question } from '../question-schema.js';
import { applyCommand } from './apply-command.js';
import { draftIssues, readinessIssues } from './packet-issues.js';
import { keepSecretsInVault, secretFieldsOf } from './packet-secrets.js';
import { loadQuestion, toQuestionView } from './question-records.js';

export interface AnswerInput {
  answer: string;
  /**
   * The corrected value of the field the question is about (null removes it): the packet so
   * amended becomes the handoff's next revision, still waiting for review.
   */
  amend?: { value: unknown };
}

/**
 * The sending team answers an open question in writing and, while the packet waits for review,
 * may correct the field the question is about in the same step: a typo no longer waits for a
 * rejection. The correction is a new revision (diffed, audited as `handoff.amended`), refused,
 * naming every problem, unless the amended packet is still ready; the question then names the
 * revision its answer made.
 */
export async function answerQuestion(
  deps: Deps,
  principal: Principal,
  questionId: string,
  input: AnswerInput,
): Promise<Question> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const question = await loadQuestion(trx, principal.orgId, questionId);
    const row = await loadHandoff(trx, principal.orgId, question.handoff_id);
    const errors: ErrorDetail[] = [];
    if (input.answer.trim() === '') errors.push({ path: '/answer', message: 'the answer must not be blank' });
    const field = input.amend ? fieldOf(question.path) : null;
    if (input.amend && !field) {
      errors.push({
        path: '/amend',
        message:
          'the question is about the whole packet, not one field: edit the packet after a rejection instead',
      });
    }
    if (errors.length) throw new AppError('validation_failed', 'The answer is not valid.', errors);
    const answered = {
      ...question,
      state: 'answered',
      answer: input.answer.trim(),
      answered_by: principal.userId,
      answered_at: now.toISOString(),
      // The revision a correction will make (the transaction fails whole if it cannot).
      amended_revision: input.amend && field ? Number(row.revision) + 1 : null,
    };
    const answer = await applyCommand(trx, principal, now, row, { type: 'answer', question: answered });
    if (question.state !== 'open')
      throw new AppError('illegal_transition', 'This question has already been answered.');
    const amended =
      input.amend && field
        ? await amend(trx, deps, principal, now, answer.row, field, input.amend.value, question.id)
        : null;
    const stored: QuestionsTable = answered;
    await trx
      .updateTable('questions')
      .set({
        state: stored.state,
        answer: stored.answer,
        answered_by: stored.answered_by,
        answered_at: stored.answered_at,
        amended_revision: stored.amended_revision,
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', question.id)
      .execute();
    await publishAll(trx, [...answer.events, ...(amended?.events ?? [])]);
    return toQuestionView(stored);
  });
}

/** A field's place in the packet, from a question's path (`/packet/<section>/<field>`). */
function fieldOf(path: string | null): { section: string; field: string; path: string } | null {
  const match = path ? /^\/packet\/([^/]+)\/([^/]+)$/.exec(path) : null;
  return match ? { section: match[1]!, field: match[2]!, path: path! } : null;
}

/**
 * Sets the field to `value` in the handoff's packet and keeps the result as the next revision,
 * answering the question `questionId`: refused, naming every problem, when the value changes
 * nothing, breaks the field's type, or leaves the packet short of ready.
 */
async function amend(
  trx: Tx,
  deps: Deps,
  principal: Principal,
  now: Date,
  row: HandoffRow,
  field: { section: string; field: string; path: string },
  value: unknown,
  questionId: string,
) {
  const { ports } = deps;
  const playbook = await playbookById(trx, principal.orgId, row.playbook_id);
  const compiled = playbook.transition(row.transition_key);
  if (!compiled) throw new Error(`Handoff ${row.id} names a missing transition ${row.transition_key}`);
  const before = JSON.parse(row.packet) as Packet;
  const given = mergePacket(before, { [field.section]: { [field.field]: value } });
  // Problems with the value itself are named as the request's: /amend/value…
  const asRequest = (issues: ErrorDetail[]) =>
    issues.map((i) =>
      i.path === field.path || i.path.startsWith(`${field.path}/`)
        ? { ...i, path: `/amend/value${i.path.slice(field.path.length)}` }
        : i,
    );
  const shape = asRequest(draftIssues(compiled.validator, given));
  if (shape.length) throw new AppError('validation_failed', 'The corrected value is not valid.', shape);
  // A corrected secret goes to the vault: the revision keeps only its reference.
  const after = await keepSecretsInVault(trx, deps, {
    principal,
    handoff: row,
    now,
    def: compiled.def,
    before,
    after: given,
  });
  // A secret typed anew changes its vault entry, not the reference the packet keeps: still a correction.
  const secretReplaced =
    typeof value === 'string' &&
    secretFieldsOf(compiled.def).some((f) => f.section === field.section && f.field === field.field);
  const changed = secretReplaced ? [`${field.section}.${field.field}`] : changedFields(before, after);
  if (changed.length === 0) {
    throw new AppError('validation_failed', 'The correction changes nothing.', [
      { path: '/amend/value', message: 'is the value the field already has' },
    ]);
  }
  const number = Number(row.revision) + 1;
  const key = `${field.section}.${field.field}`;
  const pick = (p: Packet) => ({
    [key]: (p[field.section] as Record<string, unknown> | undefined)?.[field.field] ?? null,
  });
  const { row: updated, events } = await applyCommand(
    trx,
    principal,
    now,
    row,
    {
      type: 'amend',
      fields: { before: pick(before), after: pick(after) },
      packet: after,
      issues: asRequest(
        await readinessIssues(trx, principal.orgId, compiled.validator, after, {
          transition: compiled.def,
          engagementId: row.engagement_id,
          ports,
        }),
      ),
      questionId,
    },
    { packet: JSON.stringify(after), revision: number },
  );
  await insertRows(trx, 'handoff_revisions', [
    {
      id: newId(),
      org_id: principal.orgId,
      handoff_id: row.id,
      number,
      packet: updated.packet,
      submitted_by: principal.userId,
      submitted_at: now.toISOString(),
      answering_question_id: questionId,
    },
  ]);
  return { revision: number, events };
}
