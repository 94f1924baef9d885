import type { Store } from '../../src/kernel/db/dialect.js';
import { newId } from '../../src/kernel/ids.js';
import type { TestOrg } from './app.js';

/**
 * Hand-built fact rows for the metrics tests: each helper writes the fact row the lead's
 * subscribers would write (docs/metrics.md), and the bare live row it points at (handoff,
 * checkpoint, promise) so the foreign keys hold, straight into the store, without events.
 * Instants fall on the 10th of the month named, at 09:00 UTC; durations are given in hours.
 */
export interface FactOrg {
  orgId: string;
  teams: { sales: string; operations: string; service: string };
  /** Two playbook versions of the organisation, the one whose key sorts first first. */
  playbooks: [{ id: string; key: string }, { id: string; key: string }];
  users: { sam: string; olive: string };
}

export interface HandoffSpec {
  engagement: string;
  sender: string;
  sending: string;
  receiving: string;
  playbook: { id: string; key: string };
  /** The month it was drafted in. */
  created: string;
  /** The month it was first submitted in; absent for a draft. */
  submitted?: string;
  signedToSubmittedHours?: number;
  submittedToAcceptedHours?: number;
  acceptedToKickoffHours?: number;
  firstPass?: 0 | 1;
  closed?: boolean;
  questions?: number;
  rounds?: number;
  rejections?: number;
  state?: string;
}

export interface CheckpointSpec {
  kind: string;
  defKey?: string;
  required: 0 | 1;
  period: string;
  state: 'open' | 'done' | 'waived';
  onTime: 0 | 1 | null;
  changed?: 0 | 1 | null;
  rating?: number | null;
  gaps?: number | null;
}

const at = (period: string, hours = 0) =>
  new Date(Date.parse(`${period}-10T09:00:00.000Z`) + hours * 3_600_000).toISOString();

export async function factOrg(store: Store, org: TestOrg): Promise<FactOrg> {
  const db = store.db;
  const teams = await db.selectFrom('teams').select(['id', 'key']).where('org_id', '=', org.id).execute();
  const team = (key: string) => teams.find((t) => t.key === key)!.id;
  const playbooks = await db
    .selectFrom('playbooks')
    .select(['id', 'key'])
    .where('org_id', '=', org.id)
    .orderBy('key')
    .execute();
  const keys = [...new Set(playbooks.map((p) => p.key))];
  const first = playbooks.find((p) => p.key === keys[0])!;
  const second = playbooks.find((p) => p.key === keys[1])!;
  return {
    orgId: org.id,
    teams: { sales: team('sales'), operations: team('operations'), service: team('service') },
    playbooks: [first, second],
    users: { sam: org.userIds.sales, olive: org.userIds.operations },
  };
}

/** Writers of fact rows for one organisation. */
export function factWriter(store: Store, org: FactOrg) {
  const db = store.db;
  const handoffs = new Map<string, HandoffSpec>();
  const now = '2026-01-01T00:00:00.000Z';
  const copies = (id: string) => {
    const h = handoffs.get(id)!;
    return {
      playbook_id: h.playbook.id,
      sending_team_id: h.sending,
      receiving_team_id: h.receiving,
      sender_user_id: h.sender,
    };
  };
  return {
    async engagement(name: string): Promise<string> {
      const account = newId();
      await db
        .insertInto('accounts')
        .values({
          id: account,
          org_id: org.orgId,
          name,
          external_ids: '{}',
          notes: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const id = newId();
      await db
        .insertInto('engagements')
        .values({
          id,
          org_id: org.orgId,
          account_id: account,
          name,
          stage: null,
          owner_user_id: null,
          external_ids: '{}',
          contract_signed_at: null,
          created_at: now,
          updated_at: now,
          service_lead_user_id: null,
          service_lead_introduced_at: null,
          closed_out_at: null,
          closed_out_by: null,
        })
        .execute();
      return id;
    },

    async handoff(spec: HandoffSpec): Promise<string> {
      const id = newId();
      handoffs.set(id, spec);
      const engagement = await db
        .selectFrom('engagements')
        .select('account_id')
        .where('id', '=', spec.engagement)
        .executeTakeFirstOrThrow();
      const created = at(spec.created);
      const submitted = spec.submitted ? at(spec.submitted) : null;
      const signed =
        submitted && spec.signedToSubmittedHours !== undefined
          ? at(spec.submitted!, -spec.signedToSubmittedHours)
          : null;
      const accepted =
        submitted && spec.submittedToAcceptedHours !== undefined
          ? at(spec.submitted!, spec.submittedToAcceptedHours)
          : null;
      const kickoff =
        accepted && spec.acceptedToKickoffHours !== undefined
          ? new Date(Date.parse(accepted) + spec.acceptedToKickoffHours * 3_600_000).toISOString()
          : null;
      const state =
        spec.state ?? (spec.closed ? 'closed' : accepted ? 'accepted' : submitted ? 'submitted' : 'draft');
      await db
        .insertInto('handoffs')
        .values({
          id,
          org_id: org.orgId,
          engagement_id: spec.engagement,
          playbook_id: spec.playbook.id,
          playbook_key: spec.playbook.key,
          playbook_version: 1,
          transition_key: 'fixture',
          title: `Fixture ${id}`,
          sending_team_id: spec.sending,
          receiving_team_id: spec.receiving,
          assignee_user_id: null,
          state,
          packet: '{}',
          revision: 1,
          decision: null,
          created_by: spec.sender,
          created_at: created,
          updated_at: created,
          submitted_at: submitted,
          decided_at: accepted,
          version: 1,
          opened_revision: null,
          opened_at: null,
          opened_by: null,
        })
        .execute();
      const seconds = (hours: number | undefined) => (hours === undefined ? null : Math.round(hours * 3600));
      await db
        .insertInto('handoff_facts')
        .values({
          handoff_id: id,
          org_id: org.orgId,
          engagement_id: spec.engagement,
          account_id: engagement.account_id,
          playbook_id: spec.playbook.id,
          playbook_key: spec.playbook.key,
          playbook_version: 1,
          transition_key: 'fixture',
          sending_team_id: spec.sending,
          receiving_team_id: spec.receiving,
          sender_user_id: spec.sender,
          state,
          created_period: spec.created,
          period: spec.submitted ?? null,
          created_at: created,
          contract_signed_at: signed,
          first_submitted_at: submitted,
          accepted_at: accepted,
          kickoff_at: kickoff,
          closed_at: spec.closed ? (kickoff ?? accepted) : null,
          signed_to_submitted_s: signed ? seconds(spec.signedToSubmittedHours) : null,
          submitted_to_accepted_s: accepted ? seconds(spec.submittedToAcceptedHours) : null,
          accepted_to_kickoff_s: kickoff ? seconds(spec.acceptedToKickoffHours) : null,
          submissions: submitted ? 1 + (spec.rejections ?? 0) : 0,
          rejections: spec.rejections ?? 0,
          questions: spec.questions ?? 0,
          question_rounds: spec.rounds ?? 0,
          last_question_revision: null,
          first_pass: spec.firstPass ?? null,
          updated_at: created,
        })
        .execute();
      return id;
    },

    async rejection(handoff: string, reason: string, period: string): Promise<void> {
      await db
        .insertInto('handoff_rejection_facts')
        .values({
          id: newId(),
          org_id: org.orgId,
          handoff_id: handoff,
          reason,
          revision: 1,
          at: at(period),
          period,
          ...copies(handoff),
        })
        .execute();
    },

    async checkpoint(handoff: string, spec: CheckpointSpec): Promise<string> {
      const id = newId();
      const h = handoffs.get(handoff)!;
      const due = at(spec.period);
      await db
        .insertInto('checkpoints')
        .values({
          id,
          org_id: org.orgId,
          handoff_id: handoff,
          engagement_id: h.engagement,
          def_key: spec.defKey ?? spec.kind,
          name: spec.kind,
          kind: spec.kind,
          state: spec.state,
          due_expr: 'fixture',
          anchor_at: due,
          due_at: due,
          opens_at: null,
          owner_team_id: h.receiving,
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
          completed_at: null,
          completed_by: null,
          created_at: due,
          updated_at: due,
          version: 1,
        })
        .execute();
      await db
        .insertInto('checkpoint_facts')
        .values({
          checkpoint_id: id,
          org_id: org.orgId,
          handoff_id: handoff,
          engagement_id: h.engagement,
          ...copies(handoff),
          def_key: spec.defKey ?? spec.kind,
          kind: spec.kind,
          required: spec.required,
          due_at: due,
          period: spec.period,
          state: spec.state,
          overdue_at: spec.onTime === 0 ? due : null,
          settled_at: spec.state === 'open' ? null : due,
          on_time: spec.onTime,
          changed: spec.changed ?? null,
          rating: spec.rating ?? null,
          gaps: spec.gaps ?? null,
        })
        .execute();
      return id;
    },

    async reviewGap(
      handoff: string,
      checkpoint: string,
      field: string,
      gap: 0 | 1,
      period: string,
    ): Promise<void> {
      const h = handoffs.get(handoff)!;
      await db
        .insertInto('review_gap_facts')
        .values({
          id: newId(),
          org_id: org.orgId,
          checkpoint_id: checkpoint,
          handoff_id: handoff,
          ...copies(handoff),
          playbook_key: h.playbook.key,
          playbook_version: 1,
          field,
          gap,
          category: gap ? 'missing' : null,
          reviewed_at: at(period),
          period,
        })
        .execute();
    },

    async promise(engagement: string, handoff: string | null, status: string, period: string): Promise<void> {
      const id = newId();
      await db
        .insertInto('promises')
        .values({
          id,
          org_id: org.orgId,
          engagement_id: engagement,
          handoff_id: handoff,
          text: 'Fixture promise',
          made_by: 'Fixture',
          in_contract: 0,
          status,
          status_note: null,
          from_packet: 0,
          created_at: at(period),
          updated_at: at(period),
        })
        .execute();
      const none = {
        playbook_id: null,
        sending_team_id: null,
        receiving_team_id: null,
        sender_user_id: null,
      };
      await db
        .insertInto('promise_facts')
        .values({
          promise_id: id,
          org_id: org.orgId,
          engagement_id: engagement,
          handoff_id: handoff,
          ...(handoff ? copies(handoff) : none),
          status,
          period,
          updated_at: at(period),
        })
        .execute();
    },

    /** A revenue record of the account of an engagement (migration 0032). */
    async revenue(
      engagement: string,
      period: string,
      kind: string,
      amount: number,
      currency: string,
    ): Promise<void> {
      const e = await db
        .selectFrom('engagements')
        .select('account_id')
        .where('id', '=', engagement)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('revenue_records')
        .values({
          id: newId(),
          org_id: org.orgId,
          account_id: e.account_id,
          period,
          kind,
          amount_minor: amount,
          currency,
          external_id: null,
          note: null,
          created_by: org.users.sam,
          created_at: now,
        })
        .execute();
    },

    /** A daily health score of an account (migration 0031), as the health job writes it. */
    async healthScore(account: string, scoredOn: string, score: number, band: string): Promise<void> {
      await db
        .insertInto('health_scores')
        .values({
          org_id: org.orgId,
          account_id: account,
          scored_on: scoredOn,
          score,
          band,
          components_json: '[]',
          computed_at: `${scoredOn}T06:00:00.000Z`,
        })
        .execute();
    },

    async survey(engagement: string, csat: number, nps: number, period: string): Promise<void> {
      const e = await db
        .selectFrom('engagements')
        .select('account_id')
        .where('id', '=', engagement)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('survey_facts')
        .values({
          response_id: newId(),
          org_id: org.orgId,
          engagement_id: engagement,
          account_id: e.account_id,
          csat,
          nps,
          answered_at: at(period),
          period,
        })
        .execute();
    },
  };
}

/**
 * The small history the metrics tests work their answers out over by hand (test/metrics.test.ts
 * lists each fact next to the answers). Months 2026-01 to 2026-03; Sam sends sales → operations on
 * the first playbook, Olive operations → service on the second.
 */
export async function writeHistory(store: Store, org: FactOrg) {
  const w = factWriter(store, org);
  const { sales: S, operations: O, service: V } = org.teams;
  const [P1, P2] = org.playbooks;
  const { sam, olive } = org.users;
  const e1 = await w.engagement('Harbor Logistics');
  const e2 = await w.engagement('Elm Clinics');
  const sams = { engagement: e1, sender: sam, sending: S, receiving: O, playbook: P1 };
  const olives = { engagement: e2, sender: olive, sending: O, receiving: V, playbook: P2 };
  const h1 = await w.handoff({
    ...sams,
    created: '2026-01',
    submitted: '2026-01',
    signedToSubmittedHours: 10,
    submittedToAcceptedHours: 2,
    acceptedToKickoffHours: 24,
    firstPass: 1,
    closed: true,
  });
  const h2 = await w.handoff({
    ...sams,
    created: '2026-01',
    submitted: '2026-01',
    signedToSubmittedHours: 20,
    submittedToAcceptedHours: 4,
    firstPass: 0,
    rejections: 1,
    questions: 3,
    rounds: 2,
  });
  const h3 = await w.handoff({
    ...olives,
    created: '2026-01',
    submitted: '2026-02',
    signedToSubmittedHours: 30,
    submittedToAcceptedHours: 6,
    acceptedToKickoffHours: 48,
    firstPass: 1,
    closed: true,
    questions: 1,
    rounds: 1,
  });
  const h4 = await w.handoff({
    ...olives,
    created: '2026-02',
    submitted: '2026-02',
    signedToSubmittedHours: 40,
    firstPass: 0,
    rejections: 2,
    questions: 2,
    rounds: 1,
  });
  const h5 = await w.handoff({
    ...sams,
    created: '2026-02',
    submitted: '2026-03',
    signedToSubmittedHours: 50,
    submittedToAcceptedHours: 8,
    firstPass: 1,
    closed: true,
  });
  await w.handoff({ ...sams, created: '2026-03' });

  await w.rejection(h2, 'missing_info', '2026-01');
  await w.rejection(h4, 'missing_info', '2026-02');
  await w.rejection(h4, 'wrong_scope', '2026-02');

  const cp = w.checkpoint;
  await cp(h1, {
    kind: 'meeting',
    defKey: 'kickoff',
    required: 1,
    period: '2026-01',
    state: 'done',
    onTime: 1,
  });
  await cp(h1, {
    kind: 'confirmation_call',
    required: 1,
    period: '2026-01',
    state: 'done',
    onTime: 1,
    changed: 1,
  });
  await cp(h2, {
    kind: 'confirmation_call',
    required: 0,
    period: '2026-01',
    state: 'done',
    onTime: 0,
    changed: 0,
  });
  const c4 = await cp(h3, {
    kind: 'follow_up_review',
    required: 1,
    period: '2026-02',
    state: 'done',
    onTime: 0,
    gaps: 2,
  });
  await cp(h3, {
    kind: 'satisfaction_check',
    required: 0,
    period: '2026-03',
    state: 'done',
    onTime: 1,
    rating: 4,
  });
  await cp(h5, {
    kind: 'satisfaction_check',
    required: 0,
    period: '2026-03',
    state: 'done',
    onTime: 1,
    rating: 5,
  });
  const c7 = await cp(h5, {
    kind: 'follow_up_review',
    required: 1,
    period: '2026-03',
    state: 'done',
    onTime: 1,
    gaps: 1,
  });
  await cp(h4, { kind: 'confirmation_call', required: 1, period: '2026-02', state: 'open', onTime: null });
  await cp(h5, { kind: 'meeting', required: 0, period: '2026-03', state: 'done', onTime: 0 });
  await cp(h1, {
    kind: 'satisfaction_check',
    required: 0,
    period: '2026-02',
    state: 'done',
    onTime: 1,
    rating: 2,
  });
  const c11 = await cp(h1, {
    kind: 'follow_up_review',
    required: 0,
    period: '2026-02',
    state: 'done',
    onTime: 1,
    gaps: 0,
  });

  await w.reviewGap(h3, c4, 'scope.deliverables', 1, '2026-02');
  await w.reviewGap(h3, c4, 'contacts.primary', 1, '2026-02');
  await w.reviewGap(h3, c4, 'schedule.start', 0, '2026-02');
  await w.reviewGap(h5, c7, 'scope.deliverables', 1, '2026-03');
  await w.reviewGap(h5, c7, 'schedule.start', 0, '2026-03');
  await w.reviewGap(h1, c11, 'scope.deliverables', 0, '2026-02');

  await w.promise(e1, h1, 'kept', '2026-01');
  await w.promise(e1, h2, 'broken', '2026-01');
  await w.promise(e2, h3, 'renegotiated', '2026-02');
  await w.promise(e2, h3, 'kept', '2026-02');
  await w.promise(e1, h5, 'open', '2026-03');
  await w.promise(e1, null, 'kept', '2026-03');

  await w.survey(e1, 5, 10, '2026-01');
  await w.survey(e1, 4, 9, '2026-02');
  await w.survey(e2, 2, 3, '2026-02');
  await w.survey(e2, 3, 7, '2026-03');
  return { e1, e2, h1, h2, h3, h4, h5 };
}
