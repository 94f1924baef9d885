import { appendAudit } from '../../audit/append-audit.js';
import { loadHandoff } from '../../handoffs/public.js';
import { requireCapability } from '../../identity/domain/authorize.js';
import type { Principal } from '../../identity/domain/roles.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { notify } from '../../notifications/notify.js';
import { RESCOPE_OUTCOMES, type RescopeOutcome } from '../domain/rescope-outcome.js';
import { loadRescope, sellersOf, toRescopeView } from '../rescope-records.js';
import type { Rescope } from '../rescope-schema.js';

const OUTCOME_WORDS: Record<RescopeOutcome, string> = {
  price: 'the price changed',
  crew: 'the crew changed',
  date: 'the date changed',
  nothing_changed: 'nothing changed after all',
};

/**
 * Resolves an open re-scope record with what was done about it — the price, the crew or the
 * date changed, or nothing did — and a note saying how; the seller is told. Either team of the
 * handoff (or an admin) may resolve it, once: a resolved record cannot be resolved again.
 */
export async function resolveRescope(
  deps: Deps,
  principal: Principal,
  id: string,
  input: { outcome: string; note: string },
): Promise<Rescope> {
  requireCapability(principal, 'act_on_handoffs', 'resolve a re-scope');
  const now = deps.clock.now();
  const note = input.note.trim();
  const errors: ErrorDetail[] = [];
  if (!(RESCOPE_OUTCOMES as readonly string[]).includes(input.outcome))
    errors.push({ path: '/outcome', message: `must be one of: ${RESCOPE_OUTCOMES.join(', ')}` });
  if (!note) errors.push({ path: '/note', message: 'say what was done about the change' });
  if (errors.length) throw new AppError('validation_failed', 'The re-scope cannot be resolved.', errors);
  const outcome = input.outcome as RescopeOutcome;
  return inTransaction(deps, async (trx) => {
    const row = await loadRescope(trx, principal.orgId, id);
    const handoff = await loadHandoff(trx, principal.orgId, row.handoff_id);
    const sides = [handoff.sending_team_id, handoff.receiving_team_id];
    if (principal.role !== 'admin' && !principal.teamIds.some((t) => sides.includes(t)))
      throw new AppError(
        'forbidden',
        'Only the sending or receiving team of the handoff (or an admin) may resolve its re-scope.',
      );
    const at = now.toISOString();
    const resolved = await trx
      .updateTable('rescopes')
      .set({
        status: 'resolved',
        resolution_outcome: outcome,
        resolution_note: note,
        resolved_by: principal.userId,
        resolved_at: at,
      })
      .where('org_id', '=', principal.orgId)
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .returningAll()
      .executeTakeFirst();
    if (!resolved)
      throw new AppError(
        'illegal_transition',
        `The re-scope was resolved at ${row.resolved_at ?? 'an earlier time'}; it cannot be resolved again.`,
      );
    await appendAudit(trx, principal.orgId, { type: 'user', id: principal.userId }, now, {
      action: 'rescope.resolved',
      entityType: 'rescope',
      entityId: row.id,
      handoffId: row.handoff_id,
      engagementId: row.engagement_id,
      before: { status: row.status },
      after: { status: 'resolved', outcome, note },
    });
    const engagement = await trx
      .selectFrom('engagements')
      .select(['name', 'owner_user_id'])
      .where('id', '=', row.engagement_id)
      .executeTakeFirstOrThrow();
    const view = toRescopeView(resolved);
    await notify(
      trx,
      {
        orgId: principal.orgId,
        kind: 'rescope_resolved',
        eventKey: `rescope-resolved:${row.id}`,
        actorId: principal.userId,
        link: `/handoffs/${row.handoff_id}`,
        to: await sellersOf(trx, principal.orgId, handoff, engagement.owner_user_id),
        subject: `Re-scope resolved: ${engagement.name}`,
        text: [
          `The re-scope of "${handoff.title}" is resolved: ${OUTCOME_WORDS[outcome]}.`,
          '',
          note,
          '',
          'What had changed:',
          ...view.changes.map((c) => `- ${c.question} ${c.answer}${c.note ? ` (${c.note})` : ''}`),
        ].join('\n'),
      },
      now,
    );
    return view;
  });
}
