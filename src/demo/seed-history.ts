import type { Insertable } from 'kysely';
import { settingsOfTransition } from '../checkpoints/domain/checkpoint-settings.js';
import { hashPassword } from '../identity/domain/password.js';
import type { Role } from '../identity/domain/roles.js';
import { insertRows } from '../kernel/batch-writes.js';
import type { Store } from '../kernel/db/dialect.js';
import type { Database } from '../kernel/db/schema.js';
import { markEveryMonth } from '../metrics/rollups/refresh-rollups.js';
import type { Playbook } from '../playbooks/domain/playbook.js';
import {
  type Account,
  type HistoryDetail,
  type Person,
  type PlanTransition,
  planHandoff,
} from './history-plan.js';
import { localMonths } from './local-months.js';
import { SeedRandom } from './seed-random.js';

const DAY = 86_400_000;

/** How far back the history goes, in days (about 18 months). */
export const HISTORY_DAYS = 548;

/** Handoffs written per transaction. */
const BATCH = 1000;

/** Tables in the order a batch is written (parents before the rows that refer to them). */
export const HISTORY_TABLES = [
  'users',
  'team_members',
  'accounts',
  'contacts',
  'engagements',
  'handoffs',
  'handoff_revisions',
  'questions',
  'milestones',
  'checkpoints',
  'promises',
  'portal_links',
  'survey_responses',
  'change_orders',
  'signals',
  'health_scores',
  'revenue_records',
  'handoff_facts',
  'handoff_rejection_facts',
  'checkpoint_facts',
  'review_gap_facts',
  'promise_facts',
  'survey_facts',
] as const satisfies readonly (keyof Database)[];
type Written = (typeof HISTORY_TABLES)[number];

/** One batch of rows, by table; written in the order of `HISTORY_TABLES`. */
export type HistoryBatch = Map<Written, Record<string, unknown>[]>;

export interface SeedHistoryOptions {
  /** The organisation to write into (by slug). */
  slug: string;
  handoffs: number;
  seed: number;
  /** Write another history into an organisation that already has one. */
  append?: boolean;
  /** `facts`: only the facts and the rows they refer to (for benchmarks); `full` otherwise. */
  detail?: HistoryDetail;
  now: Date;
  onProgress?: (done: number, total: number) => void;
  /**
   * Writes one batch in one transaction; by default with multi-row INSERTs through the store
   * (`insertRows`). A benchmark may bring a faster path of its own.
   */
  write?: (batch: HistoryBatch) => Promise<void>;
}

export interface SeedHistoryResult {
  organisation: string;
  handoffs: number;
  /** Rows written, by table. */
  rows: Partial<Record<Written, number>>;
  /** Handoffs by the state they ended in. */
  states: Record<string, number>;
  ms: number;
}

/** The history was already written into this organisation (and `append` was not asked for). */
export class HistoryAlreadySeededError extends Error {}

/** The seeded people, by team key: how many, and their role. */
const STAFF: Record<string, { count: number; role: Role }> = {
  sales: { count: 8, role: 'sales' },
  operations: { count: 6, role: 'operations' },
  service: { count: 4, role: 'service' },
  admissions: { count: 3, role: 'sales' },
  care: { count: 3, role: 'operations' },
};
const GIVEN = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Gray', 'Harper', 'Indy', 'Jules'];
const FAMILY = ['North', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Sato', 'Tanaka', 'Usman', 'Varga', 'Weiss'];

/** How often each built-in playbook is used, relative to one another (others: 1). */
const PLAYBOOK_WEIGHTS: Record<string, number> = {
  'professional-services': 6,
  'security-integrator': 5,
  'implementation-to-success': 4,
  'field-service-first-visit': 3,
  'mortgage-concierge': 2,
  'residential-care-intake': 1,
};

/** The e-mail of the first seeded person: its presence marks an organisation that has a history. */
const MARK = 'avery.north.seed@demo.example';

/**
 * Writes a realistic history of `handoffs` handoffs over the last ~18 months into an existing
 * organisation, with bulk multi-row inserts (`insertRows`), a transaction per thousand handoffs,
 * and the fact rows the metric subscribers would have written (history-plan.ts). The same seed
 * writes the same history. Refuses an organisation that already has one unless `append`.
 *
 * Example: `await seedHistory(store, { slug: 'demo', handoffs: 5000, seed: 1, now: new Date() })`.
 */
export async function seedHistory(store: Store, options: SeedHistoryOptions): Promise<SeedHistoryResult> {
  const started = performance.now();
  const db = store.db;
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'time_zone', 'currency'])
    .where('slug', '=', options.slug)
    .executeTakeFirstOrThrow();
  const marked = await db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', org.id)
    .where('email', '=', MARK)
    .executeTakeFirst();
  if (marked && !options.append)
    throw new HistoryAlreadySeededError(
      `Organisation ${options.slug} already has a seeded history; pass --append to add another.`,
    );
  const existing = marked
    ? Number(
        (
          await db
            .selectFrom('handoffs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('org_id', '=', org.id)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;
  const rnd = new SeedRandom(options.seed, existing);
  const nowMs = options.now.getTime();
  const fromMs = nowMs - HISTORY_DAYS * DAY;
  const detail = options.detail ?? 'full';

  const teams = new Map(
    (await db.selectFrom('teams').select(['id', 'key']).where('org_id', '=', org.id).execute()).map((t) => [
      t.key,
      t.id,
    ]),
  );
  const pending: HistoryBatch = new Map();
  const rows: Partial<Record<Written, number>> = {};
  const sink = <T extends keyof Database & string>(table: T, row: Insertable<Database[T]>) => {
    const list = pending.get(table as Written) ?? [];
    list.push(row as Record<string, unknown>);
    pending.set(table as Written, list);
  };
  const write =
    options.write ??
    ((batch: HistoryBatch) =>
      db.transaction().execute(async (trx) => {
        for (const table of HISTORY_TABLES) {
          const list = batch.get(table);
          if (list?.length) await insertRows(trx, table, list as never);
        }
      }));
  const flush = async () => {
    await write(pending);
    for (const [table, list] of pending) rows[table] = (rows[table] ?? 0) + list.length;
    pending.clear();
  };

  const people = await staff(db, org.id, teams, marked !== undefined, rnd, fromMs, sink);
  const transitions = await transitionsOf(db, org.id, teams);
  if (!transitions.length)
    throw new Error(`Organisation ${options.slug} has no playbook to seed handoffs of.`);

  const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: org.time_zone });
  const ctx = {
    orgId: org.id,
    nowMs,
    currency: org.currency,
    detail,
    monthOf: localMonths(org.time_zone, fromMs, nowMs).of,
    dayOf: (ms: number) => dayFormat.format(new Date(ms)),
    teams,
    people,
    accounts: [] as Account[],
  };
  const times = creationTimes(rnd, options.handoffs, fromMs, nowMs);
  const states: Record<string, number> = {};
  const weights = transitions.map((t) => t.weight);
  options.onProgress?.(0, options.handoffs);
  for (let i = 0; i < options.handoffs; i++) {
    const transition = rnd.weighted(transitions, weights);
    const { state } = planHandoff(ctx, rnd, transition, times[i]!, sink);
    states[state] = (states[state] ?? 0) + 1;
    if ((i + 1) % BATCH === 0 || i + 1 === options.handoffs) {
      await flush();
      options.onProgress?.(i + 1, options.handoffs);
    }
  }
  if (pending.size) await flush();
  // The facts were written directly, with no marks: their months are rolled up again.
  await markEveryMonth(db, org.id);
  return {
    organisation: options.slug,
    handoffs: options.handoffs,
    rows,
    states,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * When each handoff was drafted, oldest first: working days far more than weekends, busier in
 * spring and autumn, quieter in August and December, and growing over the period.
 */
function creationTimes(rnd: SeedRandom, count: number, fromMs: number, nowMs: number): Float64Array {
  const days = Math.ceil((nowMs - fromMs) / DAY);
  const cumulative = new Float64Array(days);
  let total = 0;
  for (let d = 0; d < days; d++) {
    const at = new Date(fromMs + d * DAY);
    const weekday = at.getUTCDay();
    const month = at.getUTCMonth();
    const season =
      1 + 0.25 * Math.sin(((month - 2) / 12) * 2 * Math.PI) - (month === 7 ? 0.3 : month === 11 ? 0.35 : 0);
    const growth = 0.7 + 0.6 * (d / days);
    total += (weekday === 0 || weekday === 6 ? 0.12 : 1) * season * growth;
    cumulative[d] = total;
  }
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r = rnd.next() * total;
    let lo = 0;
    let hi = days - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    // Working hours, 08:00–18:00 UTC give or take.
    times[i] = Math.min(nowMs - 60_000, fromMs + lo * DAY + rnd.between(8, 18) * 3_600_000);
  }
  return times.sort();
}

/**
 * The organisation's seeded people by team id, made (with the demo password) the first time:
 * each with a skill (some senders clearly better than others), a volume and a weak spot.
 */
async function staff(
  db: Store['db'],
  orgId: string,
  teams: Map<string, string>,
  made: boolean,
  rnd: SeedRandom,
  fromMs: number,
  sink: <T extends keyof Database & string>(table: T, row: Insertable<Database[T]>) => void,
): Promise<Map<string, Person[]>> {
  const byTeam = new Map<string, Person[]>();
  const known = made
    ? new Map(
        (
          await db
            .selectFrom('users')
            .select(['id', 'email'])
            .where('org_id', '=', orgId)
            .where('email', 'like', '%.seed@demo.example')
            .execute()
        ).map((u) => [u.email, u.id]),
      )
    : new Map<string, string>();
  const hash = made ? '' : await hashPassword('baton-demo');
  // The people are the same whatever the seed: their own stream.
  const own = new SeedRandom(15, 0);
  let n = 0;
  for (const [key, { count, role }] of Object.entries(STAFF)) {
    const teamId = teams.get(key);
    if (!teamId) continue;
    const people: Person[] = [];
    for (let i = 0; i < count; i++, n++) {
      const name = `${GIVEN[n % GIVEN.length]} ${FAMILY[(n + Math.floor(n / GIVEN.length)) % FAMILY.length]}`;
      const email = `${name.toLowerCase().replace(' ', '.')}.seed@demo.example`;
      const id = known.get(email) ?? own.id(fromMs - DAY);
      // Skill falls from the first of a team to the last: 0.95 … 0.5.
      const skill = Math.max(0.45, 0.95 - (0.45 * i) / Math.max(1, count - 1) + own.between(-0.03, 0.03));
      people.push({ id, name, teamId, skill, volume: own.between(0.5, 1.5), weakSpot: own.int(0, 5) });
      if (!known.has(email)) {
        const at = new Date(fromMs - DAY).toISOString();
        sink('users', {
          id,
          org_id: orgId,
          email,
          name,
          role,
          password_hash: hash,
          created_at: at,
          disabled_at: null,
        });
        sink('team_members', { org_id: orgId, team_id: teamId, user_id: id, created_at: at });
      }
    }
    byTeam.set(teamId, people);
  }
  void rnd;
  return byTeam;
}

/** Every transition of the organisation's latest playbooks whose teams it has, with its checkpoints. */
async function transitionsOf(
  db: Store['db'],
  orgId: string,
  teams: Map<string, string>,
): Promise<PlanTransition[]> {
  const rows = await db
    .selectFrom('playbooks')
    .select(['id', 'key', 'version', 'definition'])
    .where('org_id', '=', orgId)
    .orderBy('key')
    .orderBy('version', 'desc')
    .execute();
  const out: PlanTransition[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    const playbook = JSON.parse(row.definition) as Playbook;
    for (const def of playbook.transitions) {
      const sendingTeamId = teams.get(def.senderTeam);
      const receivingTeamId = teams.get(def.receiverTeam);
      if (!sendingTeamId || !receivingTeamId || !STAFF[def.senderTeam] || !STAFF[def.receiverTeam]) continue;
      const checkpoints = settingsOfTransition(def.checkpoints);
      const promise = def.sections.flatMap((s) =>
        s.fields.filter((f) => f.mapsTo === 'promises').map((f) => `${s.key}.${f.key}`),
      )[0];
      out.push({
        playbookId: row.id,
        playbookKey: row.key,
        playbookVersion: row.version,
        def,
        checkpoints,
        settingsJson: new Map(checkpoints.map((c) => [c.key, JSON.stringify(c)])),
        sendingTeamId,
        receivingTeamId,
        promiseField: promise ?? null,
        weight: (PLAYBOOK_WEIGHTS[row.key] ?? 1) / playbook.transitions.length,
      });
    }
  }
  return out;
}
