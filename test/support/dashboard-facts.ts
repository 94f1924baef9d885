import type { Store } from '../../src/kernel/db/dialect.js';
import { markEveryMonth } from '../../src/metrics/rollups/refresh-rollups.js';
import { ROLLUPS } from '../../src/metrics/rollups/rollups.js';
import type { TestOrg } from './app.js';
import { factOrg, factWriter } from './metric-facts.js';

/**
 * One handoff of a hand-built history, by the days things happened to it (`YYYY-MM-DD`; the facts
 * count it to the month, and its durations from the days). A handoff without `submitted`
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
  /** The statuses of promises made in its packet (kept, broken, renegotiated, open). */
  promises?: readonly string[];
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

const month = (day: string) => day.slice(0, 7);
const hours = (from?: string, to?: string) =>
  from && to ? (Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 3_600_000 : undefined;

/** The client engagements a history's handoffs are spread over, a few handoffs each. */
const CLIENTS = [
  'Harbor Logistics',
  'Northgate Clinics',
  'Brightline Retail',
  'Alder & Finch',
  'Copperfield Schools',
  'Meridian Foods',
];

/**
 * Writes `history` into the demo organisation's fact tables (migration 0030), the figures the
 * metrics and the dashboard read, after removing every fact it had: the numbers on screen are
 * then exactly the history's. The rows are written by the metrics tests' own writers
 * (`factWriter`, test/support/metric-facts.ts), which add the bare live rows the facts point at;
 * days fall on their month's 10th there, so a history is exact to the month. Senders are
 * named by e-mail; handoffs go from sales to operations on the organisation's first playbook.
 *
 * @example
 *   await writeFactHistory(store, 'demo', { handoffs: [{ sender: 'sam@demo.example', drafted: '2026-03-02', submitted: '2026-03-03' }] });
 */
export async function writeFactHistory(store: Store, orgSlug: string, history: History): Promise<void> {
  // One transaction, begun as a writer: the server writes to the same file meanwhile.
  await store.db.transaction().execute(async (trx) => {
    const inTrx: Store = { ...store, db: trx };
    const db = trx;
    const org = await db
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
      await db.deleteFrom(table).where('org_id', '=', org.id).execute();
    // And what was rolled up of them: the history below is marked and read from its facts alone.
    for (const rollup of ROLLUPS) await db.deleteFrom(rollup.table).where('org_id', '=', org.id).execute();
    await db.deleteFrom('metric_rollup_marks').where('org_id', '=', org.id).execute();
    const users = await db.selectFrom('users').select(['id', 'email']).where('org_id', '=', org.id).execute();
    const userId = (email: string) => {
      const found = users.find((u) => u.email === email);
      if (!found) throw new Error(`no user ${email} in ${orgSlug}`);
      return found.id;
    };
    const facts = await factOrg(inTrx, {
      id: org.id,
      userIds: { sales: userId('sam@demo.example'), operations: userId('olive@demo.example') },
    } as TestOrg);
    const write = factWriter(inTrx, facts);
    const engagements: string[] = [];
    for (const client of CLIENTS) engagements.push(await write.engagement(client));
    for (const [n, h] of history.handoffs.entries()) {
      const rejections = h.rejections ?? [];
      const engagement = engagements[n % engagements.length]!;
      const id = await write.handoff({
        engagement,
        sender: userId(h.sender),
        sending: facts.teams.sales,
        receiving: facts.teams.operations,
        playbook: facts.playbooks[0],
        created: month(h.drafted),
        ...(h.submitted ? { submitted: month(h.submitted) } : {}),
        ...optional('signedToSubmittedHours', hours(h.signed, h.submitted)),
        ...optional('submittedToAcceptedHours', hours(h.submitted, h.accepted)),
        ...optional('acceptedToKickoffHours', hours(h.accepted, h.kickoff)),
        ...(h.accepted || rejections.length ? { firstPass: h.accepted && !rejections.length ? 1 : 0 } : {}),
        closed: h.closed !== undefined,
        questions: h.questions ?? 0,
        rounds: Math.min(h.questions ?? 0, 2),
        rejections: rejections.length,
        state: h.closed
          ? 'closed'
          : h.kickoff
            ? 'in_delivery'
            : h.accepted
              ? 'accepted'
              : rejections.length
                ? 'rejected'
                : h.submitted
                  ? 'submitted'
                  : 'draft',
      });
      for (const reason of rejections) await write.rejection(id, reason, month(h.submitted!));
      for (const cp of h.checkpoints ?? []) {
        const gaps = (cp.fields ?? []).filter(([, gap]) => gap).length;
        const checkpoint = await write.checkpoint(id, {
          kind: cp.kind,
          required: 1,
          period: month(cp.due),
          state: 'done',
          onTime: cp.onTime ? 1 : 0,
          changed: cp.kind === 'confirmation_call' ? (cp.changed ? 1 : 0) : null,
          rating: cp.kind === 'satisfaction_check' ? (cp.rating ?? null) : null,
          gaps: cp.kind === 'follow_up_review' ? gaps : null,
        });
        for (const [field, gap] of cp.fields ?? [])
          await write.reviewGap(id, checkpoint, field, gap ? 1 : 0, month(cp.due));
      }
      for (const status of h.promises ?? []) await write.promise(engagement, id, status, month(h.drafted));
    }
    for (const [s, survey] of (history.surveys ?? []).entries())
      await write.survey(
        engagements[s % engagements.length]!,
        survey.csat,
        survey.nps,
        month(survey.answered),
      );
    // Written directly, so their months are marked: the metrics read them from the facts.
    await markEveryMonth(trx);
  });
}

/** `{ [key]: value }` when there is a value, `{}` when not (the specs' optional fields take no undefined). */
function optional<K extends string>(key: K, value: number | undefined): { [k in K]?: number } {
  return value === undefined ? {} : ({ [key]: value } as { [k in K]?: number });
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
    new Date(Date.parse(`${iso}T12:00:00Z`) + Math.round(days * 24) * 3600_000).toISOString().slice(0, 10);
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
      promises: accepted ? [pick(['kept', 'kept', 'kept', 'kept', 'broken', 'renegotiated', 'open'])] : [],
    });
  }
  const surveys = Array.from({ length: 40 }, (_, i) => ({
    answered: day(Math.floor(i / 7), random() * 27),
    csat: pick([3, 4, 4, 5, 5]),
    nps: pick([6, 8, 9, 9, 10, 10, 7]),
  }));
  return { handoffs, surveys };
}
