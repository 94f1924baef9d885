import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed-demo.js';
import {
  HISTORY_TABLES,
  HistoryAlreadySeededError,
  type SeedHistoryResult,
  seedHistory,
} from '../src/demo/seed-history.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, testApp } from './support/app.js';
import { baton } from './support/cli.js';
import { DIALECTS, freshDatabaseUrl, openTestStore } from './support/stores.js';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const N = 500;

/** The local month of an instant in the demo organisation's zone. */
const londonMonth = (iso: string) => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date(iso));
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
};

type Row = Record<string, unknown>;
const countOf = async (store: Store, table: string, orgId: string) =>
  Number(
    (
      (await store.db
        .selectFrom(table as 'handoffs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow()) as { n: number | string }
    ).n,
  );

describe.each(DIALECTS)('seed-demo --handoffs on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let orgId: string;
  let token: string;
  let result: SeedHistoryResult;
  const before: Record<string, number> = {};

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it(`writes ${N} handoffs whose rows add up`, async () => {
    store = await openTestStore(dialect);
    const clock = new ManualClock(NOW);
    const started = await testApp(store, clock);
    app = started.app;
    const demo = await seedDemo(started.deps, { dataDir: mkdtempSync(join(tmpdir(), 'baton-seed-')) });
    token = demo.users.find((u) => u.role === 'admin')!.token;
    orgId = (
      await store.db
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', 'demo')
        .executeTakeFirstOrThrow()
    ).id;
    const tables = HISTORY_TABLES;
    for (const t of tables) before[t] = await countOf(store, t, orgId);
    result = await seedHistory(store, { slug: 'demo', handoffs: N, seed: 5, now: NOW });
    expect(result.handoffs).toBe(N);
    expect(Object.values(result.states).reduce((s, n) => s + n, 0)).toBe(N);
    for (const t of tables)
      expect({ table: t, added: (await countOf(store, t, orgId)) - before[t]! }).toEqual({
        table: t,
        added: result.rows[t as keyof typeof result.rows] ?? 0,
      });
    expect(result.rows.handoffs).toBe(N);
    expect(result.rows.handoff_facts).toBe(N);
    // Every handoff has its facts row, in the same state.
    const mismatched = await store.db
      .selectFrom('handoffs as h')
      .leftJoin('handoff_facts as f', 'f.handoff_id', 'h.id')
      .select(['h.id', 'h.state', 'f.state as fact_state'])
      .where('h.org_id', '=', orgId)
      .where('h.created_by', 'like', '%')
      .where((eb) => eb.or([eb('f.state', 'is', null), eb('f.state', '<>', eb.ref('h.state'))]))
      .execute();
    // The two handoffs of the demo itself were written by the product before the subscribers exist.
    expect(mismatched.length).toBeLessThanOrEqual(2);
  });

  it('is varied: every state, several reasons, senders clearly apart, late and overdue checkpoints', async () => {
    expect(Object.keys(result.states).sort()).toEqual(
      expect.arrayContaining(['accepted', 'closed', 'draft', 'in_delivery', 'withdrawn']),
    );
    // And some still waiting on the receivers: submitted or rejected.
    expect((result.states.submitted ?? 0) + (result.states.rejected ?? 0)).toBeGreaterThan(0);
    const distinct = async (table: string, column: string) =>
      (
        await store.db
          .selectFrom(table as 'handoff_facts')
          .select(`${column} as v` as 'state')
          .distinct()
          .where('org_id', '=', orgId)
          .execute()
      ).length;
    expect(await distinct('handoff_rejection_facts', 'reason')).toBeGreaterThanOrEqual(5);
    expect(await distinct('handoff_facts', 'sender_user_id')).toBeGreaterThanOrEqual(12);
    expect(await distinct('handoff_facts', 'playbook_id')).toBeGreaterThanOrEqual(5);
    expect(await distinct('handoff_facts', 'period')).toBeGreaterThanOrEqual(17);
    expect(await distinct('promise_facts', 'status')).toBe(4);
    expect(await distinct('change_orders', 'state')).toBe(5);
    expect(await distinct('signals', 'kind')).toBeGreaterThanOrEqual(3);
    expect(await distinct('health_scores', 'band')).toBeGreaterThanOrEqual(2);
    expect(await distinct('revenue_records', 'kind')).toBe(4);
    // Rejected, then accepted.
    const reworked = await store.db
      .selectFrom('handoff_facts')
      .select('handoff_id')
      .where('org_id', '=', orgId)
      .where('rejections', '>', 0)
      .where('accepted_at', 'is not', null)
      .execute();
    expect(reworked.length).toBeGreaterThan(10);
    const checkpoints = await store.db
      .selectFrom('checkpoint_facts')
      .select(['state', 'on_time', 'overdue_at'])
      .where('org_id', '=', orgId)
      .execute();
    expect(checkpoints.filter((c) => c.state === 'done' && c.on_time === 0).length).toBeGreaterThan(10);
    expect(checkpoints.filter((c) => c.state === 'done' && c.on_time === 1).length).toBeGreaterThan(100);
    const overdueNow = await store.db
      .selectFrom('checkpoints')
      .select('id')
      .where('org_id', '=', orgId)
      .where('state', '=', 'overdue')
      .execute();
    expect(overdueNow.length).toBeGreaterThan(0);
    // Gaps concentrate on a few fields: the worst field's gap rate is well above the best one's.
    const gaps = await store.db
      .selectFrom('review_gap_facts')
      .select(['field', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.sum('gap').as('gaps')])
      .where('org_id', '=', orgId)
      .groupBy('field')
      .execute();
    const rates = gaps.filter((g) => Number(g.n) >= 20).map((g) => Number(g.gaps) / Number(g.n));
    expect(Math.max(...rates)).toBeGreaterThan(3 * Math.min(...rates));
    // Some senders clearly better: the best third's first-pass rate beats the worst third's.
    const senders = (
      await store.db
        .selectFrom('handoff_facts')
        .select([
          'sender_user_id',
          (eb) => eb.fn.count('first_pass').as('decided'),
          (eb) => eb.fn.sum('first_pass').as('passed'),
        ])
        .where('org_id', '=', orgId)
        .where('sending_team_id', '=', (eb) =>
          eb.selectFrom('teams').select('id').where('org_id', '=', orgId).where('key', '=', 'sales'),
        )
        .groupBy('sender_user_id')
        .execute()
    )
      .filter((s) => Number(s.decided) >= 10)
      .map((s) => Number(s.passed) / Number(s.decided))
      .sort((a, b) => a - b);
    const third = Math.floor(senders.length / 3);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(senders.slice(-third)) - mean(senders.slice(0, third))).toBeGreaterThan(0.15);
  });

  it('writes facts that agree with the live rows they describe', async () => {
    // The seeded handoffs (the demo's own two are the product's, with the product's facts).
    const seeded = new Set(
      (
        await store.db
          .selectFrom('handoffs as h')
          .innerJoin('users as u', 'u.id', 'h.created_by')
          .select('h.id')
          .where('h.org_id', '=', orgId)
          .where('u.email', 'like', '%.seed@demo.example')
          .execute()
      ).map((h) => h.id),
    );
    expect(seeded.size).toBe(N);
    const rows = async (q: { execute(): Promise<unknown[]> }) =>
      ((await q.execute()) as Row[]).filter((r) => seeded.has(String(r.handoff_id ?? r.live_handoff_id)));
    const facts = await rows(
      store.db
        .selectFrom('handoff_facts as f')
        .innerJoin('handoffs as h', 'h.id', 'f.handoff_id')
        .select([
          'f.handoff_id',
          'f.state',
          'h.state as live_state',
          'f.created_period',
          'f.period',
          'f.created_at',
          'h.created_at as live_created_at',
          'f.first_submitted_at',
          'f.accepted_at',
          'f.kickoff_at',
          'h.decided_at',
          'f.submissions',
          'f.rejections',
          'f.questions',
          'f.question_rounds',
          'f.first_pass',
          'f.sender_user_id',
          'h.created_by',
        ])
        .where('f.org_id', '=', orgId),
    );
    expect(facts.length).toBe(N);
    const revisions = await rows(
      store.db
        .selectFrom('handoff_revisions')
        .select(['handoff_id', 'submitted_at', 'answering_question_id'])
        .where('org_id', '=', orgId),
    );
    const questions = await rows(
      store.db.selectFrom('questions').select(['handoff_id', 'revision']).where('org_id', '=', orgId),
    );
    const rejections = await rows(
      store.db.selectFrom('handoff_rejection_facts').select(['handoff_id']).where('org_id', '=', orgId),
    );
    const kickoffs = new Map(
      (
        await rows(
          store.db
            .selectFrom('checkpoints')
            .select(['handoff_id', 'completed_at'])
            .where('org_id', '=', orgId)
            .where('kind', '=', 'meeting')
            .where('def_key', 'like', '%kickoff')
            .where('state', '=', 'done'),
        )
      ).map((k) => [String(k.handoff_id), k.completed_at]),
    );
    expect(kickoffs.size).toBeGreaterThan(50);
    const group = <T>(list: Row[], key: string) => {
      const m = new Map<string, Row[]>();
      for (const r of list) m.set(String(r[key]), [...(m.get(String(r[key])) ?? []), r]);
      return m as Map<string, T>;
    };
    const revisionsOf = group<Row[]>(revisions, 'handoff_id');
    const questionsOf = group<Row[]>(questions, 'handoff_id');
    const rejectionsOf = group<Row[]>(rejections, 'handoff_id');
    for (const f of facts) {
      const id = String(f.handoff_id);
      const submits = (revisionsOf.get(id) ?? []).filter((r) => r.answering_question_id === null);
      const asked = questionsOf.get(id) ?? [];
      const firstSubmit = submits.map((r) => String(r.submitted_at)).sort()[0] ?? null;
      const rejected = (rejectionsOf.get(id) ?? []).length;
      expect({
        state: f.state,
        created_at: f.created_at,
        created_period: f.created_period,
        first_submitted_at: f.first_submitted_at,
        period: f.period,
        submissions: Number(f.submissions),
        rejections: Number(f.rejections),
        questions: Number(f.questions),
        question_rounds: Number(f.question_rounds),
        first_pass: f.first_pass === null ? null : Number(f.first_pass),
        sender: f.sender_user_id,
        kickoff_at: f.kickoff_at,
      }).toEqual({
        state: f.live_state,
        created_at: f.live_created_at,
        created_period: londonMonth(String(f.live_created_at)),
        first_submitted_at: firstSubmit,
        period: firstSubmit ? londonMonth(firstSubmit) : null,
        submissions: submits.length,
        rejections: rejected,
        questions: asked.length,
        question_rounds: new Set(asked.map((q) => Number(q.revision))).size,
        first_pass: rejected > 0 ? 0 : f.accepted_at !== null ? 1 : null,
        sender: f.created_by,
        kickoff_at: kickoffs.get(id) ?? null,
      });
      if (['accepted', 'in_delivery', 'closed'].includes(String(f.live_state)))
        expect(f.accepted_at).toBe(f.decided_at);
    }

    const checkpoints = await rows(
      store.db
        .selectFrom('checkpoint_facts as f')
        .innerJoin('checkpoints as c', 'c.id', 'f.checkpoint_id')
        .select([
          'f.state',
          'c.state as live_state',
          'f.due_at',
          'c.due_at as live_due_at',
          'f.period',
          'f.overdue_at',
          'c.overdue_at as live_overdue_at',
          'f.settled_at',
          'c.completed_at',
          'c.updated_at',
          'f.on_time',
          'f.kind',
          'c.kind as live_kind',
          'f.handoff_id',
          'c.handoff_id as live_handoff_id',
          'f.changed',
          'f.rating',
          'f.gaps',
          'c.outcome',
        ])
        .where('f.org_id', '=', orgId),
    );
    expect(checkpoints.length).toBe(result.rows.checkpoints);
    for (const c of checkpoints) {
      const outcome = c.outcome ? (JSON.parse(String(c.outcome)) as Row) : null;
      expect({
        state: c.state,
        due_at: c.due_at,
        period: c.period,
        overdue_at: c.overdue_at,
        settled_at: c.settled_at,
        kind: c.kind,
        handoff: c.handoff_id,
        on_time: c.on_time === null ? null : Number(c.on_time),
        changed: c.changed === null ? null : Number(c.changed),
        rating: c.rating === null ? null : Number(c.rating),
        gaps: c.gaps === null ? null : Number(c.gaps),
      }).toEqual({
        state: c.live_state === 'overdue' ? 'open' : c.live_state,
        due_at: c.live_due_at,
        period: londonMonth(String(c.live_due_at)),
        overdue_at: c.live_overdue_at,
        settled_at:
          c.live_state === 'done' ? c.completed_at : c.live_state === 'waived' ? c.updated_at : null,
        kind: c.live_kind,
        handoff: c.live_handoff_id,
        on_time: c.live_overdue_at !== null ? 0 : c.live_state === 'done' ? 1 : null,
        changed: outcome && 'changed' in outcome ? (outcome.changed ? 1 : 0) : null,
        rating: outcome && 'rating' in outcome ? outcome.rating : null,
        gaps: outcome && 'gaps' in outcome ? outcome.gaps : null,
      });
    }
    const gapRows = await rows(
      store.db
        .selectFrom('review_gap_facts')
        .select(['checkpoint_id', 'handoff_id', 'field', 'gap'])
        .where('org_id', '=', orgId),
    );
    const reviews = await rows(
      store.db
        .selectFrom('checkpoints')
        .select(['id', 'handoff_id', 'outcome'])
        .where('org_id', '=', orgId)
        .where('kind', '=', 'follow_up_review')
        .where('state', '=', 'done'),
    );
    const gapsOf = group<Row[]>(gapRows, 'checkpoint_id');
    expect(reviews.length).toBeGreaterThan(20);
    for (const r of reviews) {
      const outcome = JSON.parse(String(r.outcome)) as { comparisons: { field: string; gap: boolean }[] };
      expect((gapsOf.get(String(r.id)) ?? []).map((g) => `${g.field}:${Number(g.gap)}`).sort()).toEqual(
        outcome.comparisons.map((c) => `${c.field}:${c.gap ? 1 : 0}`).sort(),
      );
    }
    const promises = await rows(
      store.db
        .selectFrom('promise_facts as f')
        .innerJoin('promises as p', 'p.id', 'f.promise_id')
        .select(['f.handoff_id', 'f.status', 'p.status as live', 'f.period', 'p.created_at'])
        .where('f.org_id', '=', orgId),
    );
    expect(promises.length).toBe(result.rows.promises);
    for (const p of promises)
      expect([p.status, p.period]).toEqual([p.live, londonMonth(String(p.created_at))]);
    const surveys = await rows(
      store.db
        .selectFrom('survey_facts as f')
        .innerJoin('survey_responses as s', 's.id', 'f.response_id')
        .innerJoin('engagements as e', 'e.id', 's.engagement_id')
        .innerJoin('handoffs as h', 'h.engagement_id', 'e.id')
        .select([
          'h.id as handoff_id',
          'f.csat',
          'f.nps',
          's.csat as live_csat',
          's.nps as live_nps',
          'f.account_id',
          'e.account_id as live_account',
        ])
        .where('f.org_id', '=', orgId),
    );
    expect(surveys.length).toBe(result.rows.survey_responses);
    for (const s of surveys)
      expect([s.csat, s.nps, s.account_id].map(String)).toEqual(
        [s.live_csat, s.live_nps, s.live_account].map(String),
      );
  });

  it('writes live rows the product serves as it documents them', async () => {
    const admin = call(app, token);
    const sample = await store.db
      .selectFrom('handoffs as h')
      .innerJoin('handoff_facts as f', 'f.handoff_id', 'h.id')
      .select(['h.id', 'h.engagement_id', 'f.account_id', 'h.state'])
      .where('h.org_id', '=', orgId)
      .where('h.state', 'in', ['closed', 'rejected', 'submitted', 'in_delivery'])
      .orderBy('h.id')
      .limit(6)
      .execute();
    expect(sample.length).toBeGreaterThan(3);
    for (const h of sample) {
      // Every answer is checked against the OpenAPI document by the test app.
      for (const url of [
        `/api/v1/handoffs/${h.id}`,
        `/api/v1/handoffs/${h.id}/questions`,
        `/api/v1/handoffs/${h.id}/revisions`,
        `/api/v1/handoffs/${h.id}/promises`,
        `/api/v1/engagements/${h.engagement_id}/change-orders`,
        `/api/v1/engagements/${h.engagement_id}/timeline`,
        `/api/v1/accounts/${h.account_id}/signals`,
        `/api/v1/accounts/${h.account_id}/health`,
        `/api/v1/accounts/${h.account_id}/revenue`,
      ]) {
        const res = await admin('GET', url);
        expect({ url, status: res.status }).toEqual({ url, status: 200 });
      }
    }
  });

  it('refuses to write a second history unless asked to append', async () => {
    await expect(
      seedHistory(store, { slug: 'demo', handoffs: 10, seed: 3, now: NOW }),
    ).rejects.toBeInstanceOf(HistoryAlreadySeededError);
    const again = await seedHistory(store, { slug: 'demo', handoffs: 20, seed: 3, now: NOW, append: true });
    expect(again.rows.handoff_facts).toBe(20);
    expect(await countOf(store, 'handoff_facts', orgId)).toBe(before.handoff_facts! + N + 20);
  });
});

describe('seed-demo --handoffs', () => {
  it('writes the same history from the same seed', async () => {
    const histories = [];
    for (let i = 0; i < 2; i++) {
      const store = await openTestStore('sqlite');
      const { app, deps } = await testApp(store, new ManualClock(NOW));
      await seedDemo(deps, { dataDir: mkdtempSync(join(tmpdir(), 'baton-seed-')) });
      await seedHistory(store, { slug: 'demo', handoffs: 60, seed: 11, now: NOW });
      histories.push(
        await store.db
          .selectFrom('handoff_facts as f')
          .innerJoin('users as u', 'u.id', 'f.sender_user_id')
          .select(['f.handoff_id', 'f.state', 'f.first_submitted_at', 'f.rejections', 'f.questions'])
          .where('u.email', 'like', '%.seed@demo.example')
          .orderBy('f.handoff_id')
          .execute(),
      );
      await app.close();
      await store.close();
    }
    expect(histories[0]!.length).toBe(60);
    expect(histories[1]).toEqual(histories[0]);
  });

  it('runs as a real CLI process with a progress bar, and refuses to run twice', async () => {
    const env = {
      BATON_DATABASE_URL: await freshDatabaseUrl('sqlite'),
      BATON_DATA_DIR: mkdtempSync(join(tmpdir(), 'baton-seed-cli-')),
    };
    expect((await baton(env, 'migrate')).code).toBe(0);
    const first = await baton(env, 'seed-demo', '--handoffs', '120', '--seed', '5', '--json');
    expect(first.code).toBe(0);
    const answer = JSON.parse(first.stdout) as { history: SeedHistoryResult };
    expect(answer.history.handoffs).toBe(120);
    expect(answer.history.rows.handoff_facts).toBe(120);
    expect(first.stderr).toMatch(/100% 120 of 120 handoffs/);
    const second = await baton(env, 'seed-demo', '--handoffs', '120');
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already has a seeded history; pass --append/);
    const appended = await baton(env, 'seed-demo', '--handoffs', '30', '--append');
    expect(appended.code).toBe(0);
    expect(appended.stdout).toMatch(/History: 30 handoffs/);
    const bad = await baton(env, 'seed-demo', '--handoffs', 'many');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--handoffs.*must be a whole number/);
  }, 120_000);
});
