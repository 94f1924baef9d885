import { loadEngagement } from '../../accounts/public.js';
import { type Deps, inTransaction } from '../../kernel/context.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { publish } from '../../kernel/events.js';
import { newId } from '../../kernel/ids.js';
import { type Principal, requireCapability } from '../../kernel/principal.js';
import { dayOf, lineOf, notesOf } from '../domain/record-fields.js';
import type { Debrief } from '../records-schema.js';
import { toDebriefView } from './closeout-records.js';

/**
 * Records the internal debrief held before the closeout meeting: when, who attended (at least
 * one), what was said. A debrief cannot be held in the future. Publishes `debrief.recorded`.
 */
export async function recordDebrief(
  deps: Deps,
  principal: Principal,
  engagementId: string,
  input: { held_on: string; notes?: string | null; attendees: string[] },
): Promise<Debrief> {
  requireCapability(principal, 'write_records', 'record a debrief');
  const now = deps.clock.now();
  return inTransaction(deps, async (trx) => {
    const engagement = await loadEngagement(trx, principal.orgId, engagementId);
    const issues: ErrorDetail[] = [];
    const heldOn = dayOf('/held_on', input.held_on, { required: true }, issues);
    if (heldOn && heldOn > now.toISOString().slice(0, 10))
      issues.push({ path: '/held_on', message: 'must not be in the future: record the debrief once held' });
    const notes = notesOf('/notes', input.notes, 20_000, issues);
    const attendees = (Array.isArray(input.attendees) ? input.attendees : []).flatMap((a, i) => {
      const name = lineOf(`/attendees/${i}`, a, { max: 200 }, issues);
      return name ? [name] : [];
    });
    if (attendees.length === 0)
      issues.push({ path: '/attendees', message: 'must name at least one attendee' });
    if (issues.length) throw new AppError('validation_failed', 'The debrief is not valid.', issues);
    const row = {
      id: newId(),
      org_id: principal.orgId,
      engagement_id: engagement.id,
      held_on: heldOn!,
      notes,
      attendees: JSON.stringify(attendees),
      created_by: principal.userId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx.insertInto('closeout_debriefs').values(row).execute();
    await publish(trx, {
      type: 'debrief.recorded',
      orgId: principal.orgId,
      actor: { type: 'user', id: principal.userId },
      at: now,
      debrief: row,
    });
    return toDebriefView(row);
  });
}
