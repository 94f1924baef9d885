import type { Store } from '../../src/kernel/db/dialect.js';

/**
 * One handoff of a hand-built history, by the days things happened to it (`YYYY-MM-DD`, read as
 * noon UTC so its month is the same in every zone the demo uses). A handoff without `submitted`
 * stays a draft; one with rejections and no `accepted` stays rejected.
 */
export interface HistoryHandoff {
  sender: string;
  drafted: string;
  signed?: string;
  submitted?: string;
  accepted?: string;
  kickoff?: string;
  closed?: string;
  rejections?: readonly string[];
  questions?: number;
  /** Settled checkpoints of the handoff: their kind, due day, whether on time, what they found. */
  checkpoints?: readonly HistoryCheckpoint[];
}

export interface HistoryCheckpoint {
  kind: 'task' | 'confirmation_call' | 'follow_up_review' | 'satisfaction_check';
  due: string;
  onTime: boolean;
  changed?: boolean;
  rating?: number;
  /** A follow-up review's comparisons: each field and whether the client's experience differed. */
  fields?: readonly (readonly [string, boolean])[];
}

export interface History {
  handoffs: readonly HistoryHandoff[];
  surveys?: readonly { answered: string; csat: number; nps: number }[];
}

const at = (day: string) => `${day}T12:00:00.000Z`;
const period = (day: string) => day.slice(0, 7);
const seconds = (from?: string, to?: string) =>
  from && to ? Math.round((Date.parse(at(to)) - Date.parse(at(from))) / 1000) : null;

/**
 * Writes `history` into the organisation's fact tables (migration 0030), the figures the metrics
 * and the dashboard read, after removing every fact the organisation had: the numbers on screen
 * are then exactly the history's. Each handoff is a copy of one of the organisation's own (its
 * engagement, playbook and teams), so every reference holds; its checkpoints are written settled
 * (done), so no job ever acts on them. Senders are named by e-mail.
 *
 * @example
 *   await writeFactHistory(store, 'demo', { handoffs: [{ sender: 'sam@demo.example', drafted: '2026-03-02', submitted: '2026-03-03' }] });
 */
export async function writeFactHistory(store: Store, orgSlug: string, history: History): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const org = await trx
      .selectFrom('organisations')
      .select('id')
      .where('slug', '=', orgSlug)
      .executeTakeFirstOrThrow();
    for (const table of [
      'review_gap_facts',
      'checkpoint_facts',
      'handoff_rejection_facts',
      'promise_facts',
      'survey_facts',
      'handoff_facts',
    ] as const)
      await trx.deleteFrom(table).where('org_id', '=', org.id).execute();
    const template = await trx
      .selectFrom('handoffs')
      .selectAll()
      .where('org_id', '=', org.id)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    const engagement = await trx
      .selectFrom('engagements')
      .select(['account_id'])
      .where('id', '=', template.engagement_id)
      .executeTakeFirstOrThrow();
    const users = await trx
      .selectFrom('users')
      .select(['id', 'email'])
      .where('org_id', '=', org.id)
      .execute();
    const userId = (email: string) => {
      const found = users.find((u) => u.email === email);
      if (!found) throw new Error(`no user ${email} in ${orgSlug}`);
      return found.id;
    };
    const run = Math.random().toString(36).slice(2, 8);
    for (const [n, h] of history.handoffs.entries()) {
      const id = `fx-${run}-${n}`;
      const sender = userId(h.sender);
      const rejections = h.rejections ?? [];
      const state = h.closed
        ? 'closed'
        : h.kickoff
          ? 'in_delivery'
          : h.accepted
            ? 'accepted'
            : rejections.length
              ? 'rejected'
              : h.submitted
                ? 'submitted'
                : 'draft';
      const last = h.closed ?? h.kickoff ?? h.accepted ?? h.submitted ?? h.drafted;
      await trx
        .insertInto('handoffs')
        .values({
          ...template,
          id,
          title: `History ${n + 1}`,
          state,
          decision: null,
          created_by: sender,
          created_at: at(h.drafted),
          updated_at: at(last),
          submitted_at: h.submitted ? at(h.submitted) : null,
          decided_at: h.accepted ? at(h.accepted) : null,
          opened_revision: null,
          opened_at: null,
          opened_by: null,
        })
        .execute();
      const scope = {
        org_id: org.id,
        playbook_id: template.playbook_id,
        sending_team_id: template.sending_team_id,
        receiving_team_id: template.receiving_team_id,
        sender_user_id: sender,
      };
      await trx
        .insertInto('handoff_facts')
        .values({
          ...scope,
          handoff_id: id,
          engagement_id: template.engagement_id,
          account_id: engagement.account_id,
          playbook_key: template.playbook_key,
          playbook_version: template.playbook_version,
          transition_key: template.transition_key,
          state,
          created_period: period(h.drafted),
          period: h.submitted ? period(h.submitted) : null,
          created_at: at(h.drafted),
          contract_signed_at: h.signed ? at(h.signed) : null,
          first_submitted_at: h.submitted ? at(h.submitted) : null,
          accepted_at: h.accepted ? at(h.accepted) : null,
          kickoff_at: h.kickoff ? at(h.kickoff) : null,
          closed_at: h.closed ? at(h.closed) : null,
          signed_to_submitted_s: seconds(h.signed, h.submitted),
          submitted_to_accepted_s: seconds(h.submitted, h.accepted),
          accepted_to_kickoff_s: seconds(h.accepted, h.kickoff),
          submissions: h.submitted
            ? 1 + (h.accepted ? rejections.length : Math.max(0, rejections.length - 1))
            : 0,
          rejections: rejections.length,
          questions: h.questions ?? 0,
          question_rounds: Math.min(h.questions ?? 0, 2),
          first_pass: h.accepted ? (rejections.length ? 0 : 1) : rejections.length ? 0 : null,
          updated_at: at(last),
        })
        .execute();
      for (const [r, reason] of rejections.entries()) {
        const day = h.submitted!;
        await trx
          .insertInto('handoff_rejection_facts')
          .values({
            ...scope,
            id: `${id}-r${r}`,
            handoff_id: id,
            reason,
            revision: r + 1,
            at: at(day),
            period: period(day),
          })
          .execute();
      }
      for (const [c, cp] of (h.checkpoints ?? []).entries()) {
        const checkpointId = `${id}-c${c}`;
        await trx
          .insertInto('checkpoints')
          .values({
            id: checkpointId,
            org_id: org.id,
            handoff_id: id,
            engagement_id: template.engagement_id,
            def_key: cp.kind,
            name: cp.kind.replace(/_/g, ' '),
            kind: cp.kind,
            state: 'done',
            due_expr: '3 days after accepted',
            anchor_at: at(h.accepted ?? h.drafted),
            due_at: at(cp.due),
            opens_at: null,
            owner_team_id: template.receiving_team_id,
            owner_user_id: null,
            settings: '{}',
            overdue_at: null,
            escalated_at: null,
            paused_at: null,
            remaining_minutes: null,
            scheduled_start: null,
            scheduled_end: null,
            invitees: null,
            outcome: null,
            waive_reason: null,
            completed_at: at(cp.due),
            completed_by: sender,
            created_at: at(h.accepted ?? h.drafted),
            updated_at: at(cp.due),
            version: 1,
          })
          .execute();
        const gaps = (cp.fields ?? []).filter(([, gap]) => gap).length;
        await trx
          .insertInto('checkpoint_facts')
          .values({
            ...scope,
            checkpoint_id: checkpointId,
            handoff_id: id,
            engagement_id: template.engagement_id,
            def_key: cp.kind,
            kind: cp.kind,
            required: 1,
            due_at: at(cp.due),
            period: period(cp.due),
            state: 'done',
            overdue_at: cp.onTime ? null : at(cp.due),
            settled_at: at(cp.due),
            on_time: cp.onTime ? 1 : 0,
            changed: cp.kind === 'confirmation_call' ? (cp.changed ? 1 : 0) : null,
            rating: cp.kind === 'satisfaction_check' ? (cp.rating ?? null) : null,
            gaps: cp.kind === 'follow_up_review' ? gaps : null,
          })
          .execute();
        for (const [f, [field, gap]] of (cp.fields ?? []).entries())
          await trx
            .insertInto('review_gap_facts')
            .values({
              ...scope,
              id: `${checkpointId}-f${f}`,
              checkpoint_id: checkpointId,
              handoff_id: id,
              playbook_key: template.playbook_key,
              playbook_version: template.playbook_version,
              field,
              gap: gap ? 1 : 0,
              category: gap ? 'different' : null,
              reviewed_at: at(cp.due),
              period: period(cp.due),
            })
            .execute();
      }
    }
    for (const [s, survey] of (history.surveys ?? []).entries())
      await trx
        .insertInto('survey_facts')
        .values({
          response_id: `fx-${run}-s${s}`,
          org_id: org.id,
          engagement_id: template.engagement_id,
          account_id: engagement.account_id,
          csat: survey.csat,
          nps: survey.nps,
          answered_at: at(survey.answered),
          period: period(survey.answered),
        })
        .execute();
  });
}

/**
 * A realistic half year of handoffs for pictures of the dashboard (`npm run screens`): about
 * `count` handoffs from three of the demo's people over the six months ending with `lastMonth`, most
 * accepted first time, some rejected for the usual reasons, with their checkpoints, reviews and
 * surveys. Deterministic: the same arguments give the same history.
 */
export function demoHistory(lastMonth: string, count = 160): History {
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const [year, month] = lastMonth.split('-').map(Number) as [number, number];
  const day = (m: number, d: number) => {
    const date = new Date(Date.UTC(year, month - 1 - (5 - m), 1 + Math.min(27, Math.max(0, Math.round(d)))));
    return date.toISOString().slice(0, 10);
  };
  const plus = (iso: string, days: number) =>
    new Date(Date.parse(at(iso)) + Math.round(days * 24) * 3600_000).toISOString().slice(0, 10);
  const reasons = [
    'Site survey missing from the scope',
    'Wrong client contact',
    'No signed contract attached',
    'Budget does not match the quote',
    'Go-live date not agreed',
  ];
  const fields = [
    'scope.site_access',
    'contacts.after_hours',
    'schedule.go_live',
    'scope.exclusions',
    'billing.terms',
  ];
  const handoffs: HistoryHandoff[] = [];
  for (let n = 0; n < count; n++) {
    const m = Math.min(5, Math.floor((n / count) * 6 + random() * 0.6));
    const drafted = day(m, random() * 24);
    const who = random();
    const sender = who < 0.5 ? 'sam@demo.example' : who < 0.8 ? 'admin@demo.example' : 'sid@demo.example';
    const h: HistoryHandoff = { sender, drafted, signed: plus(drafted, -(1 + random() * 6)) };
    const late = m === 5 && random() < 0.5;
    if (random() < 0.08 || late) {
      handoffs.push(h);
      continue;
    }
    const submitted = plus(drafted, random() * 3);
    const rejected = random() < (sender === 'sam@demo.example' ? 0.2 : 0.34) - m * 0.02;
    const rejections = rejected ? [pick(reasons.slice(0, random() < 0.5 ? 2 : 5))] : [];
    // Some are still with the receiver: rejected and not yet sent again, or this month's, in review.
    const stuck = (rejected && random() < 0.35) || (m === 5 && random() < 0.4);
    const accepted = stuck ? undefined : plus(submitted, 0.3 + random() * (rejected ? 6 : 2.5));
    const kickoff = accepted && random() < 0.85 ? plus(accepted, 1 + random() * 8) : undefined;
    const closed = kickoff && m < 4 && random() < 0.7 ? plus(kickoff, 20 + random() * 30) : undefined;
    const checkpoints: HistoryCheckpoint[] = accepted
      ? [
          {
            kind: 'confirmation_call',
            due: plus(accepted, 2),
            onTime: random() < 0.9,
            changed: random() < 0.15,
          },
          {
            kind: 'follow_up_review',
            due: plus(accepted, 3),
            onTime: random() < 0.85,
            fields: fields.map((f, i) => [f, random() < [0.34, 0.22, 0.15, 0.08, 0.04][i]!] as const),
          },
          ...(kickoff
            ? [
                {
                  kind: 'satisfaction_check' as const,
                  due: plus(kickoff, 30),
                  onTime: random() < 0.8,
                  rating: pick([3, 4, 4, 5, 5]),
                },
              ]
            : []),
        ]
      : [];
    handoffs.push({
      ...h,
      submitted,
      rejections,
      questions: Math.floor(random() * 3),
      ...(accepted ? { accepted } : {}),
      ...(kickoff ? { kickoff } : {}),
      ...(closed ? { closed } : {}),
      checkpoints,
    });
  }
  const surveys = Array.from({ length: 40 }, (_, i) => ({
    answered: day(Math.floor(i / 7), random() * 27),
    csat: pick([3, 4, 4, 5, 5]),
    nps: pick([6, 8, 9, 9, 10, 10, 7]),
  }));
  return { handoffs, surveys };
}
