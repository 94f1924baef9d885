import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError } from '../../kernel/errors.js';
import { publishAll } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { playbookById } from '../../playbooks/playbook-cache.js';
import { loadHandoff } from '../handoff-records.js';
import type { Question } from '../question-schema.js';
import { applyCommand } from './apply-command.js';
import { toQuestionView } from './question-records.js';

/**
 * The receiving team asks a clarifying question in writing, on the whole packet or on one field
 * (`/packet/<section>/<field>`). An open question blocks acceptance until the sender answers.
 */
export async function askQuestion(
  deps: Deps,
  principal: Principal,
  handoffId: string,
  input: { body: string; path?: string | null },
): Promise<Question> {
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const row = await loadHandoff(trx, principal.orgId, handoffId);
    const errors = [];
    if (input.body.trim() === '') errors.push({ path: '/body', message: 'the question must not be blank' });
    const path = input.path ?? null;
    if (path !== null) {
      const playbook = await playbookById(trx, principal.orgId, row.playbook_id);
      const def = playbook.transition(row.transition_key)?.def;
      const match = /^\/packet\/([^/]+)\/([^/]+)$/.exec(path);
      const section = match ? def?.sections.find((s) => s.key === match[1]) : undefined;
      const field = match ? section?.fields.find((f) => f.key === match[2]) : undefined;
      if (!field) {
        errors.push({
          path: '/path',
          message: 'must name a field of the packet, as /packet/<section>/<field>',
        });
      }
    }
    if (errors.length) throw new AppError('validation_failed', 'The question is not valid.', errors);
    const question = {
      id: newId(),
      org_id: principal.orgId,
      handoff_id: row.id,
      path,
      body: input.body.trim(),
      revision: Number(row.revision),
      asked_by: principal.userId,
      asked_at: now.toISOString(),
      state: 'open',
      answer: null,
      answered_by: null,
      answered_at: null,
      amended_revision: null,
    };
    const { events } = await applyCommand(trx, principal, now, row, { type: 'ask', question });
    await trx.insertInto('questions').values(question).execute();
    await publishAll(trx, events);
    return toQuestionView(question);
  });
}
