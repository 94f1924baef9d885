import { type Static, Type } from 'typebox';
import { loadCalendar } from '../calendar/calendar-records.js';
import { type DueExpression, dueAt, parseDueExpression } from '../calendar/domain/due-expression.js';
import type { Principal } from '../identity/domain/roles.js';
import { SYSTEM } from '../kernel/actor.js';
import type { Db, Tx } from '../kernel/context.js';
import { publish } from '../kernel/events.js';
import type { TransitionDef } from '../playbooks/domain/playbook.js';
import { playbookById } from '../playbooks/playbook-cache.js';
import { defineJob, type JobHandler } from '../scheduler/define-job.js';
import type { HandoffRow } from './handoff-records.js';

/** The review window of a transition without an acceptance SLA of its own. */
export const DEFAULT_REVIEW_WINDOW = '2 business days after submitted';

/**
 * How long a submitted packet may wait unopened before its receivers are nudged: the
 * transition's acceptance SLA (a checkpoint due after `submitted` that acceptance completes),
 * or two business days.
 */
export function reviewWindowOf(def: TransitionDef | undefined): ReviewWindow {
  const known = def ? windows.get(def) : undefined;
  if (known) return known;
  let found: ReviewWindow | undefined;
  for (const c of def?.checkpoints ?? []) {
    if (!c.due || !c.completedBy?.includes('accepted')) continue;
    const parsed = parseDueExpression(c.due);
    if (parsed.ok && parsed.value.anchor === 'submitted' && parsed.value.direction === 'after') {
      found = { text: c.due, due: parsed.value };
      break;
    }
  }
  const window = found ?? defaultWindow();
  if (def) windows.set(def, window);
  return window;
}

interface ReviewWindow {
  text: string;
  due: DueExpression;
}

// A transition's definition never changes once written: its window is found once.
const windows = new WeakMap<TransitionDef, ReviewWindow>();

function defaultWindow(): ReviewWindow {
  const parsed = parseDueExpression(DEFAULT_REVIEW_WINDOW);
  if (!parsed.ok) throw new Error(`The default review window does not parse: ${parsed.message}`);
  return { text: DEFAULT_REVIEW_WINDOW, due: parsed.value };
}

/** The nudge timer's payload: the submission it watches, and the window's words for the message. */
const NudgePayload = Type.Object({
  handoffId: Type.String({ minLength: 1 }),
  revision: Type.Integer({ minimum: 1 }),
  window: Type.String(),
});
type NudgePayload = Static<typeof NudgePayload>;

/**
 * Sets the review nudge of a submission: one timer per handoff, moved by each resubmission, due
 * at the end of the review window in the organisation's business calendar.
 */
export async function setReviewNudge(trx: Tx, handoff: HandoffRow, now: Date): Promise<void> {
  const playbook = await playbookById(trx, handoff.org_id, handoff.playbook_id);
  const window = reviewWindowOf(playbook.transition(handoff.transition_key)?.def);
  const submittedAt = new Date(handoff.submitted_at ?? now.toISOString());
  const payload: NudgePayload = {
    handoffId: handoff.id,
    revision: Number(handoff.revision),
    window: window.text,
  };
  await reviewNudgeJob.setTimer(
    trx,
    {
      dedupeKey: `review_nudge:${handoff.id}`,
      orgId: handoff.org_id,
      payload,
      availableAt: dueAt(window.due, submittedAt, await loadCalendar(trx, handoff.org_id)),
    },
    now,
  );
}

/**
 * The review window of a submission ended. If the packet still waits in that revision and nobody
 * of the receiving team has opened it (or asked about it), `handoff.review_overdue` is published
 * once (the notifications tell its receivers).
 */
const nudgeIfUnopened: JobHandler<NudgePayload> = {
  async commit(trx, job, now) {
    const p = job.payload;
    const handoff = await trx
      .selectFrom('handoffs')
      .selectAll()
      .where('org_id', '=', job.orgId ?? '')
      .where('id', '=', p.handoffId)
      .executeTakeFirst();
    if (handoff?.state !== 'submitted' || Number(handoff.revision) !== p.revision) return;
    if (handoff.opened_revision !== null && Number(handoff.opened_revision) >= p.revision) return;
    const asked = await trx
      .selectFrom('questions')
      .select('id')
      .where('org_id', '=', handoff.org_id)
      .where('handoff_id', '=', handoff.id)
      .where('revision', '=', p.revision)
      .executeTakeFirst();
    if (asked) return;
    await publish(trx, {
      type: 'handoff.review_overdue',
      orgId: handoff.org_id,
      actor: SYSTEM,
      at: now,
      handoff,
      window: p.window,
    });
  },
};

/** The review nudge's timer: one per handoff (`review_nudge:<handoff>`), moved by each submission. */
export const reviewNudgeJob = defineJob({
  kind: 'review_nudge',
  version: 1,
  schema: NudgePayload,
  handle: nudgeIfUnopened,
});

/**
 * Records that the receiving team has opened a submitted packet: the first reading of each
 * submission by one of its members (or its assignee), once. Readings after the first, and
 * anyone else's, write nothing.
 */
export async function recordFirstOpen(
  db: Db,
  principal: Principal,
  row: HandoffRow,
  now: Date,
): Promise<void> {
  if (row.state !== 'submitted') return;
  const revision = Number(row.revision);
  if (row.opened_revision !== null && Number(row.opened_revision) >= revision) return;
  if (!principal.teamIds.includes(row.receiving_team_id) && row.assignee_user_id !== principal.userId) return;
  await db
    .updateTable('handoffs')
    .set({ opened_revision: revision, opened_at: now.toISOString(), opened_by: principal.userId })
    .where('org_id', '=', row.org_id)
    .where('id', '=', row.id)
    .where('state', '=', 'submitted')
    .where('revision', '=', revision)
    .where((eb) => eb.or([eb('opened_revision', 'is', null), eb('opened_revision', '<', revision)]))
    .execute();
}
