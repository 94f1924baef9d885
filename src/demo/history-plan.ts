import type { Insertable } from 'kysely';
import type { DueExpression } from '../calendar/domain/due-expression.js';
import type { CheckpointSettings } from '../checkpoints/domain/checkpoint-settings.js';
import type { Database } from '../kernel/db/schema.js';
import {
  type FieldDef,
  LIFECYCLE_ANCHORS,
  type Packet,
  type TransitionDef,
} from '../playbooks/domain/playbook.js';
import { DEFAULT_HEALTH_RULES, type ScoredSignal, scoreHealth } from '../signals/domain/health-score.js';
import type { SeedRandom } from './seed-random.js';

/**
 * One handoff's whole history, drawn from a seeded stream and written as the rows the product
 * would have written living through it: the handoff, its revisions and questions, its milestones
 * and checkpoints (some late, some still overdue), its promises, the closeout survey, change
 * orders and signals about its account, and the fact rows the metric subscribers write for each of
 * those events (docs/decisions/0013-seeded-history.md says how each fact column is filled).
 *
 * Everything here is pure: the caller hands in the stream, the organisation's shape and a sink.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * How much of the history to write: all of it, or (benchmarks) only the facts, the accounts and
 * the people the dashboard reads, leaving out the live handoffs, checkpoints and promises the
 * facts describe (facts reference only their organisation: see bench/metrics-dashboard.ts).
 */
export type HistoryDetail = 'full' | 'facts';

export interface PlanTransition {
  playbookId: string;
  playbookKey: string;
  playbookVersion: number;
  def: TransitionDef;
  checkpoints: CheckpointSettings[];
  /** The stored form of each checkpoint's settings (`checkpoints.settings`), by key. */
  settingsJson: Map<string, string>;
  sendingTeamId: string;
  receivingTeamId: string;
  /** The packet field (`section.field`) whose table rows become promises, if any. */
  promiseField: string | null;
  weight: number;
}

export interface Person {
  id: string;
  name: string;
  teamId: string;
  /** 0–1: how complete and clear their packets are (senders), or how prompt (receivers). */
  skill: number;
  /** How many handoffs they send, relative to the others of their team. */
  volume: number;
  /** The rejection reason their packets draw most often (an index into a catalogue). */
  weakSpot: number;
}

export interface Account {
  id: string;
  name: string;
  createdMs: number;
  contacts: { id: string; name: string }[];
  /** Set once an engagement of the account is closed out (go-live). */
  liveMs: number | null;
  quiet: boolean;
  signalsWritten: boolean;
  /** 1 clean so far, 0 not (a rejection or a review gap on any of its handoffs). */
  clean: boolean;
  currency: string;
}

export interface PlanContext {
  orgId: string;
  nowMs: number;
  currency: string;
  detail: HistoryDetail;
  monthOf: (ms: number) => string;
  /** The organisation's local date (`YYYY-MM-DD`) of an instant. */
  dayOf: (ms: number) => string;
  /** Teams by key. */
  teams: Map<string, string>;
  /** People by team id. */
  people: Map<string, Person[]>;
  /** Every account written so far in this run, oldest first. */
  accounts: Account[];
}

export type Sink = <T extends keyof Database & string>(table: T, row: Insertable<Database[T]>) => void;

interface Sim {
  created: number;
  signed: number;
  submissions: number[];
  decisions: { at: number; accepted: boolean; reason: string | null; revision: number; by: string }[];
  accepted?: number;
  rejectedFirst?: number;
  withdrawn?: number;
  started?: number;
  closed?: number;
  revision: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A duration of a due expression, in milliseconds (business time as its calendar equivalent). */
function span(e: Pick<DueExpression, 'amount' | 'unit' | 'business'>): number {
  const unit = { minutes: 60_000, hours: HOUR, days: DAY, weeks: 7 * DAY }[e.unit];
  const business = !e.business ? 1 : e.unit === 'days' ? 1.4 : 3;
  return e.amount * unit * business;
}

/** Busier months review more slowly and miss more deadlines (December, August). */
function seasonalStrain(month: number): number {
  return month === 11 ? 1.6 : month === 7 ? 1.4 : month === 0 ? 1.15 : 1;
}

/** The receiving team's habits: how long a review takes (median hours) and how often a checkpoint slips. */
function teamHabits(teamKey: string): { reviewHours: number; lateRate: number } {
  switch (teamKey) {
    case 'operations':
      return { reviewHours: 18, lateRate: 0.14 };
    case 'service':
      return { reviewHours: 30, lateRate: 0.24 };
    case 'care':
      return { reviewHours: 6, lateRate: 0.06 };
    default:
      return { reviewHours: 20, lateRate: 0.15 };
  }
}

const WORDS = [
  'the client',
  'integration',
  'reporting',
  'rollout',
  'training',
  'access',
  'migration',
  'dashboards',
  'sign-off',
  'go-live',
];

/** A plausible value of a packet field, by its type. */
function fieldValue(field: FieldDef, rnd: SeedRandom, people: { buyer: string; champion: string }): unknown {
  switch (field.type) {
    case 'text':
      return `${field.label}: ${rnd.pick(WORDS)} by week ${rnd.int(2, 12)}`;
    case 'long_text':
      return `${field.label} — agreed with ${people.buyer}: ${rnd.pick(WORDS)} and ${rnd.pick(WORDS)}.`;
    case 'number':
      return rnd.int(field.min ?? 1, Math.max(field.min ?? 1, field.max ?? 40));
    case 'money':
      return { amount_minor: rnd.int(10, 500) * 10_000, currency: field.currency ?? 'EUR' };
    case 'date':
      return iso(Date.UTC(2026, rnd.int(0, 11), rnd.int(1, 28))).slice(0, 10);
    case 'enum':
      return field.options?.length ? rnd.pick(field.options).value : null;
    case 'contact':
      return {
        name: rnd.chance(0.5) ? people.buyer : people.champion,
        role: field.contactRole ?? 'contact',
        email: `${people.buyer.toLowerCase().replace(/[^a-z]+/g, '.')}@client.example`,
      };
    case 'list':
      return Array.from({ length: rnd.int(1, 3) }, () => `${rnd.pick(WORDS)} (${rnd.int(1, 9)})`);
    case 'table':
      return Array.from({ length: rnd.int(1, 2) }, () =>
        Object.fromEntries((field.columns ?? []).map((c) => [c.key, fieldValue(c, rnd, people)])),
      );
    case 'checklist':
      return (field.items ?? []).map((i) => i.key);
    case 'yes_no':
      return rnd.chance(0.7);
    default:
      return null;
  }
}

function packetOf(def: TransitionDef, rnd: SeedRandom, people: { buyer: string; champion: string }): Packet {
  const packet: Packet = {};
  for (const section of def.sections) {
    const values: Record<string, unknown> = {};
    for (const field of section.fields) {
      if (field.type === 'file' || field.type === 'secret' || field.type === 'user') continue;
      if (!field.required && rnd.chance(0.3)) continue;
      values[field.key] = fieldValue(field, rnd, people);
    }
    packet[section.key] = values;
  }
  return packet;
}

const FIRST = ['Alder', 'Birch', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper'];
const SECOND = [
  'Freight',
  'Health',
  'Foods',
  'Logistics',
  'Labs',
  'Retail',
  'Energy',
  'Media',
  'Works',
  'Care',
];
const GIVEN = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Femi',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kai',
  'Lena',
];
const FAMILY = [
  'Abbott',
  'Bauer',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
];

/** Picks the account the next engagement is for: usually a recent client, sometimes a new one. */
function accountFor(ctx: PlanContext, rnd: SeedRandom, createdMs: number, sink: Sink): Account {
  const recent = ctx.accounts.length;
  if (recent > 20 && rnd.chance(0.55))
    return ctx.accounts[recent - 1 - Math.floor(rnd.next() * Math.min(recent, 400))]!;
  const n = ctx.accounts.length + 1;
  const name = `${rnd.pick(FIRST)} ${rnd.pick(SECOND)} ${n}`;
  const account: Account = {
    id: rnd.id(createdMs),
    name,
    createdMs,
    contacts: [],
    liveMs: null,
    quiet: rnd.chance(0.12),
    signalsWritten: false,
    clean: true,
    currency: rnd.chance(0.85) ? ctx.currency : ctx.currency === 'USD' ? 'EUR' : 'USD',
  };
  sink('accounts', {
    id: account.id,
    org_id: ctx.orgId,
    name,
    external_ids: '{}',
    notes: null,
    created_at: iso(createdMs),
    updated_at: iso(createdMs),
  });
  if (ctx.detail === 'full') {
    for (const role of ['buyer', 'champion']) {
      const person = `${rnd.pick(GIVEN)} ${rnd.pick(FAMILY)}`;
      const contact = { id: rnd.id(createdMs), name: person };
      account.contacts.push(contact);
      sink('contacts', {
        id: contact.id,
        org_id: ctx.orgId,
        account_id: account.id,
        name: person,
        email: `${person.toLowerCase().replace(' ', '.')}.${n}@client.example`,
        phone: null,
        title: role === 'buyer' ? 'Director' : 'Project lead',
        role,
        external_ids: '{}',
        created_at: iso(createdMs),
        updated_at: iso(createdMs),
      });
    }
  }
  ctx.accounts.push(account);
  return account;
}

function pickPerson(rnd: SeedRandom, people: Person[]): Person {
  return rnd.weighted(
    people,
    people.map((p) => p.volume),
  );
}

/** What the generator wrote for one handoff, for the counts a caller reports. */
export interface Planned {
  state: string;
}

/** Writes one handoff's history (created at `createdMs`) into `sink`. */
export function planHandoff(
  ctx: PlanContext,
  rnd: SeedRandom,
  transition: PlanTransition,
  createdMs: number,
  sink: Sink,
): Planned {
  const now = ctx.nowMs;
  const def = transition.def;
  const senders = ctx.people.get(transition.sendingTeamId)!;
  const receivers = ctx.people.get(transition.receivingTeamId)!;
  const sender = pickPerson(rnd, senders);
  const receiver = pickPerson(rnd, receivers);
  const s = sender.skill;
  const month = new Date(createdMs).getUTCMonth();
  const strain = seasonalStrain(month);
  const receivingKey = [...ctx.teams].find(([, id]) => id === transition.receivingTeamId)?.[0] ?? '';
  const habits = teamHabits(receivingKey);

  // The engagement and its account.
  const account = accountFor(ctx, rnd, createdMs - rnd.between(1, 20) * DAY, sink);
  const engagementCreated = Math.max(account.createdMs, createdMs - rnd.between(0.5, 10) * DAY);
  const signed = Math.min(
    createdMs - HOUR,
    engagementCreated + rnd.between(0, 1) * (createdMs - engagementCreated),
  );
  const engagementId = rnd.id(engagementCreated);
  const handoffId = rnd.id(createdMs);

  // The lifecycle, event by event, stopping at now.
  const sim: Sim = { created: createdMs, signed, submissions: [], decisions: [], revision: 0 };
  const revisions: { number: number; at: number; answering: string | null }[] = [];
  const questions: {
    id: string;
    revision: number;
    asked: number;
    answered: number | null;
    amended: number | null;
    path: string;
  }[] = [];
  const reasons = def.rejectionReasons.map((r) => r.code);
  const fieldPaths = def.sections.flatMap((sec) => sec.fields.map((f) => `/packet/${sec.key}/${f.key}`));
  let state = 'draft';
  let last = createdMs;
  const lifecycle = () => {
    if (rnd.chance(0.025)) {
      const w = createdMs + rnd.between(1, 12) * DAY;
      if (w <= now) {
        sim.withdrawn = w;
        state = 'withdrawn';
        last = w;
      }
      return;
    }
    if (rnd.chance(0.01)) return; // a draft nobody finished
    let submitAt = createdMs + rnd.logNormal(DAY * (0.6 + 1.4 * (1 - s)), 0.6);
    for (let attempt = 0; attempt < 4; attempt++) {
      if (submitAt > now) return;
      sim.submissions.push(submitAt);
      sim.revision += 1;
      revisions.push({ number: sim.revision, at: submitAt, answering: null });
      state = 'submitted';
      last = submitAt;
      let decideAt =
        submitAt + rnd.logNormal(habits.reviewHours * strain * (1.3 - receiver.skill * 0.5) * HOUR, 0.7);
      // Clarifying questions: rounds of one to three, some answers correcting the field (a new revision).
      const rounds = rnd.chance(0.1 + 0.55 * (1 - s)) ? (rnd.chance(0.3 + 0.4 * (1 - s)) ? 2 : 1) : 0;
      let cursor = submitAt;
      for (let r = 0; r < (attempt === 0 ? rounds : Math.min(rounds, 1)); r++) {
        const asked = cursor + rnd.between(1, 20) * HOUR;
        const count = rnd.int(1, 3);
        let lastAnswer = asked;
        let amendedOne = false;
        for (let q = 0; q < count; q++) {
          const answered = asked + rnd.logNormal(6 * HOUR, 0.8);
          const id = rnd.id(asked);
          const amends = !amendedOne && rnd.chance(0.3);
          questions.push({
            id,
            revision: sim.revision,
            asked,
            answered,
            amended: null,
            path: rnd.pick(fieldPaths),
          });
          if (amends && answered <= now) {
            amendedOne = true;
            sim.revision += 1;
            revisions.push({ number: sim.revision, at: answered, answering: id });
            questions[questions.length - 1]!.amended = sim.revision;
          }
          lastAnswer = Math.max(lastAnswer, answered);
        }
        cursor = lastAnswer;
        decideAt = Math.max(decideAt, lastAnswer + rnd.between(1, 8) * HOUR);
      }
      if (decideAt > now) return;
      const pReject = attempt === 0 ? 0.04 + 0.6 * (1 - s) : attempt === 1 ? 0.04 + 0.3 * (1 - s) : 0.05;
      last = decideAt;
      if (rnd.chance(pReject) && reasons.length) {
        const weights = reasons.map((_, i) => (i === sender.weakSpot % reasons.length ? 5 : i === 0 ? 2 : 1));
        const reason = rnd.weighted(reasons, weights);
        sim.decisions.push({
          at: decideAt,
          accepted: false,
          reason,
          revision: sim.revision,
          by: receiver.id,
        });
        sim.rejectedFirst ??= decideAt;
        state = 'rejected';
        if (rnd.chance(0.06)) {
          const w = decideAt + rnd.between(1, 6) * DAY;
          if (w <= now) {
            sim.withdrawn = w;
            state = 'withdrawn';
            last = w;
          }
          return;
        }
        submitAt = decideAt + rnd.logNormal(1.5 * DAY, 0.5);
        continue;
      }
      sim.decisions.push({
        at: decideAt,
        accepted: true,
        reason: null,
        revision: sim.revision,
        by: receiver.id,
      });
      sim.accepted = decideAt;
      state = 'accepted';
      const start = decideAt + rnd.logNormal(3.5 * DAY * strain, 0.55);
      if (start > now) return;
      sim.started = start;
      state = 'in_delivery';
      last = start;
      const close = start + rnd.logNormal(40 * DAY, 0.45);
      if (close <= now) sim.closed = close;
      return;
    }
  };
  lifecycle();

  // Milestones the checkpoints count from (other than the lifecycle's own events).
  const milestones = new Map<string, number>();
  const lifecycleAt = (name: string): number | undefined => {
    switch (name) {
      case 'created':
        return sim.created;
      case 'submitted':
        return sim.submissions[0];
      case 'accepted':
        return sim.accepted;
      case 'rejected':
        return sim.rejectedFirst;
      case 'withdrawn':
        return sim.withdrawn;
      case 'delivery_started':
        return sim.started;
      case 'closed':
        return sim.closed;
      default:
        return undefined;
    }
  };
  const LIFECYCLE = new Set<string>(LIFECYCLE_ANCHORS);
  const milestoneAt = (name: string): number | undefined => {
    if (milestones.has(name)) return milestones.get(name);
    let at: number | undefined;
    if (name === 'contract_signed') at = sim.signed;
    else if (sim.accepted !== undefined) at = sim.accepted + rnd.between(2, 10) * DAY;
    if (at !== undefined && at <= now) {
      milestones.set(name, at);
      return at;
    }
    return undefined;
  };

  // Checkpoints, in dependency order (a checkpoint counted from another follows it).
  interface Cp {
    id: string;
    s: CheckpointSettings;
    anchorAt: number;
    startAt: number;
    dueAt: number;
    doneAt: number | null;
    waivedAt: number | null;
    overdueAt: number | null;
    outcome: Record<string, unknown> | null;
    changed: number | null;
    rating: number | null;
    gaps: number | null;
    comparisons: { field: string; gap: boolean; category: string | null }[];
  }
  const cps = new Map<string, Cp | null>();
  const byKey = new Map(transition.checkpoints.map((c) => [c.key, c]));
  // The kickoff meeting, when the playbook has one, is held when delivery starts.
  const kickoffKey = transition.checkpoints.find(
    (c) =>
      c.kind === 'meeting' &&
      c.due.anchor === 'accepted' &&
      (c.key === 'kickoff' || c.key.endsWith('_kickoff')),
  )?.key;
  const stop = sim.withdrawn ?? Number.POSITIVE_INFINITY;
  const resolve = (key: string, depth = 0): Cp | null => {
    if (cps.has(key)) return cps.get(key)!;
    const cs = byKey.get(key)!;
    cps.set(key, null);
    let anchorAt: number | undefined;
    let startAt: number | undefined;
    const anchor = cs.due.anchor;
    if (byKey.has(anchor) && depth < 4) {
      const target = resolve(anchor, depth + 1);
      if (target) {
        anchorAt = cs.due.direction === 'before' ? target.dueAt : (target.doneAt ?? undefined);
        startAt = cs.due.direction === 'before' ? target.startAt : anchorAt;
      }
    } else if (LIFECYCLE.has(anchor)) {
      anchorAt = lifecycleAt(anchor);
      startAt = cs.due.direction === 'before' ? sim.created : anchorAt;
    } else if (sim.submissions.length) {
      anchorAt = milestoneAt(anchor);
      startAt = cs.due.direction === 'before' ? Math.min(sim.submissions[0]!, anchorAt ?? now) : anchorAt;
    }
    if (anchorAt === undefined || startAt === undefined || startAt > now || startAt > stop) return null;
    const dueAt = cs.due.direction === 'before' ? anchorAt - span(cs.due) : anchorAt + span(cs.due);
    const window = Math.max(HOUR, dueAt - startAt);
    let doneAt: number;
    if (cs.completedBy.includes('accepted') || cs.completedBy.includes('rejected')) {
      doneAt = sim.decisions[0]?.at ?? Number.POSITIVE_INFINITY;
    } else if (key === kickoffKey) {
      doneAt = sim.started ?? Number.POSITIVE_INFINITY;
    } else if (rnd.chance(0.012)) {
      // Forgotten: overdue until someone notices (a required one holds up the close).
      doneAt = Number.POSITIVE_INFINITY;
    } else if (rnd.chance(habits.lateRate * strain * (cs.owner === 'sender' ? 1.6 - s : 1))) {
      doneAt = dueAt + (rnd.chance(0.7) ? rnd.logNormal(20 * HOUR, 0.8) : rnd.logNormal(5 * DAY, 0.8));
    } else {
      doneAt = Math.max(startAt + 10 * 60_000, dueAt - rnd.between(0.05, 0.8) * window);
    }
    let waivedAt: number | null = null;
    if (doneAt > stop) {
      waivedAt = stop;
      doneAt = Number.POSITIVE_INFINITY;
    } else if (rnd.chance(0.015)) {
      waivedAt = Math.min(now, startAt + 0.5 * window);
      doneAt = Number.POSITIVE_INFINITY;
    }
    const done = doneAt <= now ? doneAt : null;
    const settled = done ?? waivedAt;
    const overdueAt = dueAt <= now && (settled === null || settled > dueAt) ? dueAt : null;
    const cp: Cp = {
      id: rnd.id(startAt),
      s: cs,
      anchorAt,
      startAt,
      dueAt,
      doneAt: done,
      waivedAt: done === null ? waivedAt : null,
      overdueAt,
      outcome: null,
      changed: null,
      rating: null,
      gaps: null,
      comparisons: [],
    };
    if (done !== null) {
      switch (cs.kind) {
        case 'task':
          cp.outcome = { kind: 'task' };
          break;
        case 'meeting':
          cp.outcome = {
            kind: 'meeting',
            held_at: iso(done),
            attendees: [
              ...cs.requiredAttendees.map((role) => ({
                role,
                name: role === 'seller' ? sender.name : receiver.name,
              })),
              { role: 'client', name: account.contacts[0]?.name ?? 'Client lead' },
            ],
          };
          break;
        case 'confirmation_call': {
          const answers = cs.script.map((q) => ({
            key: q.key,
            question: q.question,
            answer: 'Confirmed',
            changed: rnd.chance(0.04 + 0.16 * (1 - s)),
          }));
          const changed = answers.some((a) => a.changed);
          cp.outcome = { kind: 'confirmation_call', answers, changed };
          cp.changed = changed ? 1 : 0;
          break;
        }
        case 'follow_up_review': {
          // Gaps concentrate on a few fields: the second and fourth compared are the weak ones.
          const base = [0.06, 0.34, 0.1, 0.42, 0.05, 0.08];
          const comparisons = cs.compare.map((field, i) => {
            const gap = rnd.chance(Math.min(0.95, (base[i % base.length] ?? 0.08) * (1.5 - s) * 1.2));
            return {
              field,
              communicated: null,
              experienced: gap ? 'Differed from what the packet said' : 'As the packet said',
              gap,
              ...(gap ? { category: rnd.pick(cs.gapCategories) } : {}),
            };
          });
          cp.comparisons = comparisons.map((c) => ({
            field: c.field,
            gap: c.gap,
            category: 'category' in c ? (c.category as string) : null,
          }));
          cp.gaps = comparisons.filter((c) => c.gap).length;
          cp.outcome = { kind: 'follow_up_review', comparisons, gaps: cp.gaps };
          if (cp.gaps > 0) account.clean = false;
          break;
        }
        case 'satisfaction_check': {
          const rating = Math.max(1, Math.min(5, Math.round(1.6 + 3.4 * s + rnd.between(-1, 1))));
          cp.rating = rating;
          cp.outcome = { kind: 'satisfaction_check', rating };
          break;
        }
      }
    }
    cps.set(key, cp);
    return cp;
  };
  // Checkpoints counted from the close come after it; the close waits for the required ones.
  for (const cs of transition.checkpoints) if (cs.due.anchor !== 'closed') resolve(cs.key);
  if (sim.closed !== undefined) {
    let close = sim.closed;
    for (const cp of cps.values()) {
      if (cp?.s.onClose !== 'require') continue;
      if (cp.doneAt === null && cp.waivedAt === null) {
        close = Number.POSITIVE_INFINITY;
        break;
      }
      close = Math.max(close, (cp.doneAt ?? cp.waivedAt!) + HOUR);
    }
    sim.closed = close <= now ? close : undefined;
  }
  if (sim.closed !== undefined) {
    state = 'closed';
    last = sim.closed;
    for (const cs of transition.checkpoints) if (cs.due.anchor === 'closed') resolve(cs.key);
  }
  if (sim.decisions.some((d) => !d.accepted)) account.clean = false;

  // The engagement, closed out (go-live) some days after most closes.
  const closedOut =
    sim.closed !== undefined && rnd.chance(0.75)
      ? sim.closed + rnd.between(1, 14) * DAY
      : Number.POSITIVE_INFINITY;
  const closedOutAt = closedOut <= now ? closedOut : null;
  if (closedOutAt !== null && (account.liveMs === null || closedOutAt < account.liveMs))
    account.liveMs = closedOutAt;
  const full = ctx.detail === 'full';
  if (full)
    sink('engagements', {
      id: engagementId,
      org_id: ctx.orgId,
      account_id: account.id,
      name: `${def.name}: ${account.name}`,
      stage: sim.accepted !== undefined ? def.to : def.from,
      owner_user_id: sender.id,
      external_ids: '{}',
      contract_signed_at: iso(signed),
      created_at: iso(engagementCreated),
      updated_at: iso(Math.max(engagementCreated, closedOutAt ?? last)),
      service_lead_user_id: null,
      service_lead_introduced_at: null,
      closed_out_at: closedOutAt === null ? null : iso(closedOutAt),
      closed_out_by: closedOutAt === null ? null : receiver.id,
    });

  // The handoff and its revisions.
  const names = {
    buyer: account.contacts[0]?.name ?? 'Dana Client',
    champion: account.contacts[1]?.name ?? 'Luis Client',
  };
  const packet = full ? JSON.stringify(packetOf(def, rnd, names)) : '';
  const lastDecision = sim.decisions[sim.decisions.length - 1];
  const decided =
    lastDecision && (state !== 'submitted' || sim.decisions.length === 0) ? lastDecision : undefined;
  const lastSubmitted = sim.submissions[sim.submissions.length - 1];
  const reasonLabel = (code: string | null) =>
    def.rejectionReasons.find((r) => r.code === code)?.label ?? null;
  if (full)
    sink('handoffs', {
      id: handoffId,
      org_id: ctx.orgId,
      engagement_id: engagementId,
      playbook_id: transition.playbookId,
      playbook_key: transition.playbookKey,
      playbook_version: transition.playbookVersion,
      transition_key: def.key,
      title: `${def.name}: ${account.name}`,
      sending_team_id: transition.sendingTeamId,
      receiving_team_id: transition.receivingTeamId,
      assignee_user_id: null,
      state,
      packet,
      revision: sim.revision,
      decision: decided
        ? JSON.stringify({
            outcome: decided.accepted ? 'accepted' : 'rejected',
            reason_code: decided.reason,
            reason_label: reasonLabel(decided.reason),
            explanation: decided.accepted ? null : 'See the reason; please revise and resubmit.',
            by: decided.by,
            at: iso(decided.at),
          })
        : null,
      created_by: sender.id,
      created_at: iso(createdMs),
      updated_at: iso(last),
      submitted_at: lastSubmitted === undefined ? null : iso(lastSubmitted),
      decided_at: decided ? iso(decided.at) : null,
      version: 1 + sim.submissions.length + sim.decisions.length + questions.length + (sim.started ? 1 : 0),
      opened_revision: lastSubmitted === undefined ? null : sim.revision,
      opened_at: lastSubmitted === undefined ? null : iso(Math.min(now, lastSubmitted + HOUR)),
      opened_by: lastSubmitted === undefined ? null : receiver.id,
    });
  if (full) {
    for (const r of revisions)
      sink('handoff_revisions', {
        id: rnd.id(r.at),
        org_id: ctx.orgId,
        handoff_id: handoffId,
        number: r.number,
        packet,
        submitted_by: sender.id,
        submitted_at: iso(r.at),
        answering_question_id: r.answering,
      });
    for (const q of questions) {
      const answered = q.answered !== null && q.answered <= now;
      sink('questions', {
        id: q.id,
        org_id: ctx.orgId,
        handoff_id: handoffId,
        path: q.path,
        body: `Can you say more about ${q.path.split('/').pop()?.replace(/_/g, ' ')}?`,
        revision: q.revision,
        asked_by: receiver.id,
        asked_at: iso(q.asked),
        state: answered ? 'answered' : 'open',
        answer: answered ? 'Clarified with the client; see the packet.' : null,
        answered_by: answered ? sender.id : null,
        answered_at: answered ? iso(q.answered!) : null,
        amended_revision: answered ? q.amended : null,
      });
    }
    for (const [key, at] of milestones)
      sink('milestones', {
        id: rnd.id(at),
        org_id: ctx.orgId,
        handoff_id: handoffId,
        key,
        at: iso(at),
        recorded_by: sender.id,
        recorded_at: iso(at),
      });
  }

  // Checkpoints and their facts.
  const ownerTeam = (owner: string) =>
    owner === 'sender'
      ? transition.sendingTeamId
      : owner === 'receiver'
        ? transition.receivingTeamId
        : (ctx.teams.get(owner) ?? transition.receivingTeamId);
  const common = {
    org_id: ctx.orgId,
    handoff_id: handoffId,
    playbook_id: transition.playbookId,
    sending_team_id: transition.sendingTeamId,
    receiving_team_id: transition.receivingTeamId,
    sender_user_id: sender.id,
  };
  for (const cp of cps.values()) {
    if (!cp) continue;
    const liveState =
      cp.doneAt !== null
        ? 'done'
        : cp.waivedAt !== null
          ? 'waived'
          : cp.overdueAt !== null
            ? 'overdue'
            : 'open';
    const settled = cp.doneAt ?? cp.waivedAt;
    if (full)
      sink('checkpoints', {
        id: cp.id,
        org_id: ctx.orgId,
        handoff_id: handoffId,
        engagement_id: engagementId,
        def_key: cp.s.key,
        name: cp.s.name,
        kind: cp.s.kind,
        state: liveState,
        due_expr: cp.s.dueText,
        anchor_at: iso(cp.anchorAt),
        due_at: iso(cp.dueAt),
        opens_at: iso(cp.startAt),
        owner_team_id: ownerTeam(cp.s.owner),
        owner_user_id: null,
        settings: transition.settingsJson.get(cp.s.key)!,
        overdue_at: cp.overdueAt === null ? null : iso(cp.overdueAt),
        escalated_at: null,
        paused_at: null,
        remaining_minutes: null,
        scheduled_start: null,
        scheduled_end: null,
        invitees: null,
        outcome: cp.outcome ? JSON.stringify(cp.outcome) : null,
        waive_reason:
          cp.waivedAt !== null
            ? sim.withdrawn !== undefined
              ? 'The handoff was withdrawn'
              : 'Not needed for this client'
            : null,
        completed_at: cp.doneAt === null ? null : iso(cp.doneAt),
        completed_by: cp.doneAt === null ? null : receiver.id,
        created_at: iso(cp.startAt),
        updated_at: iso(settled ?? cp.overdueAt ?? cp.startAt),
        version: 1 + (settled !== null ? 1 : 0) + (cp.overdueAt !== null ? 1 : 0),
      });
    sink('checkpoint_facts', {
      checkpoint_id: cp.id,
      ...common,
      engagement_id: engagementId,
      def_key: cp.s.key,
      kind: cp.s.kind,
      required: cp.s.onClose === 'require' ? 1 : 0,
      due_at: iso(cp.dueAt),
      period: ctx.monthOf(cp.dueAt),
      state: cp.doneAt !== null ? 'done' : cp.waivedAt !== null ? 'waived' : 'open',
      overdue_at: cp.overdueAt === null ? null : iso(cp.overdueAt),
      settled_at: settled === null ? null : iso(settled),
      on_time: cp.overdueAt !== null ? 0 : cp.doneAt !== null ? 1 : null,
      changed: cp.changed,
      rating: cp.rating,
      gaps: cp.gaps,
    });
    for (const [i, c] of cp.comparisons.entries())
      sink('review_gap_facts', {
        id: `${cp.id}:${i}`,
        ...common,
        checkpoint_id: cp.id,
        playbook_key: transition.playbookKey,
        playbook_version: transition.playbookVersion,
        field: c.field,
        gap: c.gap ? 1 : 0,
        category: c.category,
        reviewed_at: iso(cp.doneAt!),
        period: ctx.monthOf(cp.doneAt!),
      });
  }

  // The handoff's facts.
  const firstSubmitted = sim.submissions[0];
  const rejections = sim.decisions.filter((d) => !d.accepted);
  const askedQuestions = questions.filter((q) => q.asked <= now);
  const rounds = new Set(askedQuestions.map((q) => q.revision));
  // The kickoff is when the handoff's kickoff meeting was held (the facts read no other event).
  const kickoffCp = [...cps.values()].find(
    (cp) => cp?.s.kind === 'meeting' && (cp.s.key === 'kickoff' || cp.s.key.endsWith('_kickoff')),
  );
  const kickoff = kickoffCp?.doneAt ?? undefined;
  const secs = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b < a ? null : Math.floor((b - a) / 1000);
  sink('handoff_facts', {
    handoff_id: handoffId,
    org_id: ctx.orgId,
    engagement_id: engagementId,
    account_id: account.id,
    playbook_id: transition.playbookId,
    playbook_key: transition.playbookKey,
    playbook_version: transition.playbookVersion,
    transition_key: def.key,
    sending_team_id: transition.sendingTeamId,
    receiving_team_id: transition.receivingTeamId,
    sender_user_id: sender.id,
    state,
    created_period: ctx.monthOf(createdMs),
    period: firstSubmitted === undefined ? null : ctx.monthOf(firstSubmitted),
    created_at: iso(createdMs),
    contract_signed_at: iso(signed),
    first_submitted_at: firstSubmitted === undefined ? null : iso(firstSubmitted),
    accepted_at: sim.accepted === undefined ? null : iso(sim.accepted),
    kickoff_at: kickoff === undefined ? null : iso(kickoff),
    closed_at: sim.closed === undefined ? null : iso(sim.closed),
    signed_to_submitted_s: secs(signed, firstSubmitted),
    submitted_to_accepted_s: secs(firstSubmitted, sim.accepted),
    accepted_to_kickoff_s: secs(sim.accepted, kickoff),
    submissions: sim.submissions.length,
    rejections: rejections.length,
    questions: askedQuestions.length,
    question_rounds: rounds.size,
    last_question_revision: askedQuestions.length ? Math.max(...askedQuestions.map((q) => q.revision)) : null,
    first_pass: rejections.length > 0 ? 0 : sim.accepted !== undefined ? 1 : null,
    updated_at: iso(last),
  });
  for (const d of rejections)
    sink('handoff_rejection_facts', {
      id: rnd.id(d.at),
      org_id: ctx.orgId,
      handoff_id: handoffId,
      reason: d.reason!,
      revision: d.revision,
      at: iso(d.at),
      period: ctx.monthOf(d.at),
      playbook_id: transition.playbookId,
      sending_team_id: transition.sendingTeamId,
      receiving_team_id: transition.receivingTeamId,
      sender_user_id: sender.id,
    });

  // Promises the packet recorded, kept or broken once delivery has had a month with them.
  if (transition.promiseField && firstSubmitted !== undefined) {
    const count = rnd.weighted([0, 1, 2, 3], [2, 4, 3, 1]);
    for (let i = 0; i < count; i++) {
      const made = firstSubmitted;
      let status = 'open';
      let changedAt = made;
      if (sim.accepted !== undefined && sim.accepted + 30 * DAY <= now) {
        changedAt = sim.accepted + rnd.between(7, 30) * DAY;
        status = rnd.chance(0.45 + 0.5 * s) ? 'kept' : rnd.chance(0.6) ? 'broken' : 'renegotiated';
      }
      const id = rnd.id(made);
      if (full)
        sink('promises', {
          id,
          org_id: ctx.orgId,
          engagement_id: engagementId,
          handoff_id: handoffId,
          text: `${rnd.pick(['Weekly status call', 'Named contact for', 'Free training on', 'Report on'])} ${rnd.pick(WORDS)}`,
          made_by: sender.name,
          in_contract: rnd.chance(0.3) ? 1 : 0,
          status,
          status_note: status === 'open' ? null : `Marked ${status} by delivery.`,
          from_packet: 1,
          created_at: iso(made),
          updated_at: iso(changedAt),
        });
      sink('promise_facts', {
        promise_id: id,
        org_id: ctx.orgId,
        engagement_id: engagementId,
        handoff_id: handoffId,
        playbook_id: transition.playbookId,
        sending_team_id: transition.sendingTeamId,
        receiving_team_id: transition.receivingTeamId,
        sender_user_id: sender.id,
        status,
        period: ctx.monthOf(made),
        updated_at: iso(changedAt),
      });
    }
  }

  // The closeout survey, answered by the client for most closed-out engagements.
  if (closedOutAt !== null && rnd.chance(0.7)) {
    const answered = closedOutAt + rnd.between(0.5, 10) * DAY;
    if (answered <= now) {
      const csat = Math.max(1, Math.min(5, Math.round(1.8 + 3.2 * s + rnd.between(-1.2, 1.2))));
      const nps = Math.max(0, Math.min(10, Math.round(3 + 7 * s + rnd.between(-2.5, 2.5))));
      const responseId = rnd.id(answered);
      if (full) {
        const contact = account.contacts[0]!;
        const linkId = rnd.id(closedOutAt);
        sink('portal_links', {
          id: linkId,
          org_id: ctx.orgId,
          engagement_id: engagementId,
          contact_id: contact.id,
          purpose: 'survey',
          token_sha256: rnd.hex64(),
          single_use: 1,
          created_by: receiver.id,
          created_at: iso(closedOutAt),
          expires_at: iso(closedOutAt + 30 * DAY),
          used_at: iso(answered),
          revoked_at: null,
          revoked_by: null,
          opened_at: iso(answered),
        });
        sink('survey_responses', {
          id: responseId,
          org_id: ctx.orgId,
          engagement_id: engagementId,
          link_id: linkId,
          contact_id: contact.id,
          csat,
          nps,
          comment: csat >= 4 ? 'Smooth handover, thank you.' : 'Kickoff repeated questions we had answered.',
          answered_at: iso(answered),
        });
      }
      sink('survey_facts', {
        response_id: responseId,
        org_id: ctx.orgId,
        engagement_id: engagementId,
        account_id: account.id,
        csat,
        nps,
        answered_at: iso(answered),
        period: ctx.monthOf(answered),
      });
    }
  }

  if (full) {
    changeOrders(ctx, rnd, { engagementId, sender, account, from: sim.started, until: sim.closed }, sink);
    signals(ctx, rnd, account, sender.id, sink);
  }
  return { state };
}

/** Out-of-scope work asked for during delivery, some billed, some declined. */
function changeOrders(
  ctx: PlanContext,
  rnd: SeedRandom,
  e: { engagementId: string; sender: Person; account: Account; from?: number; until?: number },
  sink: Sink,
): void {
  if (e.from === undefined) return;
  const count = rnd.weighted([0, 1, 2, 3], [12, 5, 2, 1]);
  const end = Math.min(ctx.nowMs, e.until ?? ctx.nowMs);
  for (let i = 0; i < count; i++) {
    const at = e.from + rnd.next() * Math.max(HOUR, end - e.from);
    if (at > ctx.nowMs) continue;
    const step = (t: number) => {
      const next = t + rnd.between(1, 15) * DAY;
      return next <= ctx.nowMs ? next : null;
    };
    const declined = rnd.chance(0.15);
    const quoted = !declined || rnd.chance(0.5) ? step(at) : null;
    const approved = !declined && quoted !== null && rnd.chance(0.8) ? step(quoted) : null;
    const billed = approved !== null && rnd.chance(0.75) ? step(approved) : null;
    const declinedAt = declined ? step(quoted ?? at) : null;
    const state =
      declinedAt !== null
        ? 'declined'
        : billed
          ? 'billed'
          : approved
            ? 'approved'
            : quoted
              ? 'quoted'
              : 'identified';
    const contact = e.account.contacts[rnd.int(0, e.account.contacts.length - 1)];
    const last = Math.max(at, quoted ?? 0, approved ?? 0, billed ?? 0, declinedAt ?? 0);
    sink('change_orders', {
      id: rnd.id(at),
      org_id: ctx.orgId,
      engagement_id: e.engagementId,
      request: `Add ${rnd.pick(WORDS)} for ${rnd.pick(['a second site', 'the finance team', 'two more users', 'the mobile app'])}`,
      asked_by_contact_id: contact?.id ?? null,
      asked_by_name: contact?.name ?? 'Client lead',
      scope_item_id: null,
      amount_minor: rnd.int(5, 250) * 10_000,
      currency: e.account.currency,
      state,
      logged_by: e.sender.id,
      identified_at: iso(at),
      quoted_at: quoted === null ? null : iso(quoted),
      approved_at: approved === null ? null : iso(approved),
      billed_at: billed === null ? null : iso(billed),
      declined_at: declinedAt === null ? null : iso(declinedAt),
      created_at: iso(at),
      updated_at: iso(last),
    });
  }
}

/**
 * Usage, support and adoption signals of an account once it is live: weekly usage (stopping
 * some 45 days ago for the accounts that go quiet), monthly support tickets with a CSAT, adoption
 * of named features. Written once per account, at its first go-live.
 */
function signals(ctx: PlanContext, rnd: SeedRandom, account: Account, by: string, sink: Sink): void {
  if (account.liveMs === null || account.signalsWritten) return;
  account.signalsWritten = true;
  const start = Math.max(account.liveMs, ctx.nowMs - 26 * 7 * DAY);
  const usageEnd = account.quiet ? ctx.nowMs - 45 * DAY : ctx.nowMs;
  const written: ScoredSignal[] = [];
  const put = (
    kind: ScoredSignal['kind'],
    at: number,
    value: number | null,
    feature: string | null,
    csat: number | null,
  ) => {
    written.push({ kind, at, value, feature, csat });
    const id = rnd.id(at);
    sink('signals', {
      id,
      org_id: ctx.orgId,
      event_id: `seed-${id}`,
      account_id: account.id,
      kind,
      at: iso(at),
      value,
      feature,
      csat,
      received_at: iso(at),
    });
  };
  for (let at = start + rnd.between(0, 7) * DAY; at < usageEnd; at += 7 * DAY)
    put('usage', at, rnd.int(account.clean ? 40 : 15, account.clean ? 120 : 80), null, null);
  for (let at = start + rnd.between(0, 30) * DAY; at < ctx.nowMs; at += 30 * DAY)
    if (rnd.chance(0.6)) put('support', at, 1, null, rnd.int(account.clean ? 3 : 1, 5));
  for (const feature of ['reports', 'mobile', 'api'])
    if (rnd.chance(account.clean ? 0.7 : 0.35))
      put('adoption', start + rnd.between(1, 40) * DAY, 1, feature, null);
  if (!account.clean && rnd.chance(0.2))
    put('escalation', ctx.nowMs - rnd.between(1, 60) * DAY, 1, null, null);
  healthScores(ctx, account, written, sink);
  revenue(ctx, rnd, account, by, sink);
}

/**
 * The account's recurring revenue from its go-live month: each month its starting revenue, now
 * and then an expansion (more often for accounts whose handoffs were clean) or a contraction, and
 * for most accounts that went quiet, a churn some weeks later.
 */
function revenue(ctx: PlanContext, rnd: SeedRandom, account: Account, by: string, sink: Sink): void {
  let mrr = rnd.int(20, 400) * 10_000;
  const churnAt =
    account.quiet && rnd.chance(0.6) ? ctx.nowMs - rnd.between(0, 40) * DAY : Number.POSITIVE_INFINITY;
  const put = (period: string, at: number, kind: string, amount: number) =>
    sink('revenue_records', {
      id: rnd.id(at),
      org_id: ctx.orgId,
      account_id: account.id,
      period,
      kind,
      amount_minor: amount,
      currency: account.currency,
      external_id: null,
      note: null,
      created_by: by,
      created_at: iso(at),
    });
  let last = '';
  for (let at = account.liveMs!; at <= ctx.nowMs && mrr > 0; at += 7 * DAY) {
    const period = ctx.monthOf(at);
    if (period === last) continue;
    last = period;
    put(period, at, 'starting', mrr);
    if (at >= churnAt) {
      put(period, at, 'churn', mrr);
      mrr = 0;
    } else if (rnd.chance(account.clean ? 0.12 : 0.05)) {
      const change = Math.round((mrr * rnd.between(0.05, 0.25)) / 100) * 100;
      put(period, at, 'expansion', change);
      mrr += change;
    } else if (rnd.chance(account.clean ? 0.03 : 0.08)) {
      const change = Math.round((mrr * rnd.between(0.05, 0.2)) / 100) * 100;
      put(period, at, 'contraction', change);
      mrr -= change;
    }
  }
}

/**
 * The account's weekly health scores over the last twelve weeks, each as the product's own
 * scoring (`scoreHealth`, the default rules) computes it from the signals written before it.
 */
function healthScores(ctx: PlanContext, account: Account, signals: ScoredSignal[], sink: Sink): void {
  const rules = DEFAULT_HEALTH_RULES;
  const windowMs = rules.windowDays * DAY;
  for (let week = 11; week >= 0; week--) {
    const at = ctx.nowMs - week * 7 * DAY;
    if (account.liveMs === null || at < account.liveMs) continue;
    const before = signals.filter((x) => x.at < at);
    const early = at - 2 * windowMs;
    const health = scoreHealth(
      {
        signals: before,
        usedBefore: before.some((x) => x.kind === 'usage' && x.at < early),
        adoptedBefore: before.some((x) => (x.kind === 'usage' || x.kind === 'adoption') && x.at < early),
      },
      rules,
      new Date(at),
    );
    if (health.score === null || health.band === null) continue;
    sink('health_scores', {
      org_id: ctx.orgId,
      account_id: account.id,
      scored_on: ctx.dayOf(at),
      score: health.score,
      band: health.band,
      components_json: JSON.stringify(health.components),
      computed_at: iso(at),
    });
  }
}
