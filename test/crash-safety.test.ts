import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/kernel/clock.js';
import type { DialectName, Store } from '../src/kernel/db/dialect.js';
import { appDeps } from '../src/server/app-deps.js';
import { seedOrg, type TestOrg } from './support/app.js';
import {
  type BatonBuild,
  type BatonNode,
  buildBaton,
  freePort,
  type Json,
  killAllNodes,
  messageJobId,
  request,
  runCli,
  seededRandom,
  sleep,
  startNode,
  waitFor,
} from './support/cluster.js';
import { startSmtpReceiver, startWebhookReceiver } from './support/receivers.js';
import { DIALECTS, openTestStore } from './support/stores.js';

/**
 * One `baton serve` process with its scheduler on, killed with SIGKILL at seeded random moments
 * while clients write through the API (handoffs created, patched, submitted, questioned,
 * answered, rejected, accepted, meetings scheduled: writes that also set checkpoint timers and put
 * e-mail and webhook notices in the outbox), and restarted each time. Afterwards every write that
 * was acknowledged is there with what was acknowledged, the database and the audit chain are
 * intact, every outbox item reached the SMTP or webhook receiver, and no checkpoint lost its timer.
 *
 * A restart of the real server costs 1.5–4 s of module loading on a two-core machine; `npm test`
 * kills 20 times per database (the two databases side by side);
 * `BATON_LARGE=1` kills 40 times per database with twice the clients; `BATON_CRASH_KILLS=n` sets
 * the number.
 */
const LARGE = process.env.BATON_LARGE === '1';
const KILLS = Number(process.env.BATON_CRASH_KILLS ?? (LARGE ? 40 : 20));
const LANES = LARGE ? 6 : 3;
const SEED = Number(process.env.BATON_SEED ?? 7_051_2026);
/** The worker's lanes: at most one send per lane can be in flight when the process dies. */
const WORKER_CONCURRENCY = 8;

/** The packet fields the driver writes, as section.field. */
const FIELDS = ['goal.client_goal', 'goal.success_metric', 'success.early_win'] as const;
type Field = (typeof FIELDS)[number];

function packetOf(values: Partial<Record<Field, string>>): Json {
  const packet: Json = {};
  for (const [path, value] of Object.entries(values)) {
    const [section, field] = path.split('.') as [string, string];
    packet[section] ??= {};
    packet[section][field] = value;
  }
  return packet;
}

/** The rest of a complete professional-services packet. */
const REST_OF_PACKET = {
  scope: { in_scope: ['GL integration'], out_of_scope: ['Payroll'] },
  people: {
    buyer: { name: 'Dana Whitfield', role: 'COO', email: 'dana@client.example' },
    champion: { name: 'Luis Ortega', role: 'Finance systems lead' },
  },
  promises: { promises: [], surprises: 'None.' },
  success: {
    ultimate_objective: 'A 5-day close',
    earliest_signal: 'Week 3',
    minimum_outcome: 'A 7-day close',
  },
};

/** What the clients were told about one handoff. */
interface Tracked {
  id: string;
  /** Acknowledged packet values. */
  fields: Partial<Record<Field, string>>;
  /** Values of a write that got no answer (it may or may not have been applied). */
  maybe: Partial<Record<Field, string>>;
  /** Acknowledged revisions and the packet values they were acknowledged with. */
  revisions: Map<number, Partial<Record<Field, string>>>;
  /** States the handoff may be in: the last acknowledged one, and the target of an unanswered move. */
  states: Set<string>;
  questions: { id: string; body: string; answer?: string; answerMaybe?: boolean }[];
  meeting?: { checkpointId: string; start: string };
}

/** Thrown by a lane when a write got no answer: the lane moves on to a new handoff. */
class Unanswered extends Error {}

/** Whether the server is up; clients wait on it after a failed request. */
class Gate {
  private open: Promise<void> = Promise.resolve();
  private release: () => void = () => {};
  close(): void {
    this.open = new Promise((r) => {
      this.release = r;
    });
  }
  reopen(): void {
    this.release();
  }
  wait(): Promise<void> {
    return this.open;
  }
}

describe('crash safety: SIGKILL under write load', () => {
  const builds: BatonBuild[] = [];
  afterAll(async () => {
    await killAllNodes();
    for (const b of builds) b.cleanup();
  });

  it.concurrent.each(DIALECTS)(
    `keeps every acknowledged write, the audit chain and the outbox through ${KILLS} kills on %s`,
    async (dialect: DialectName) => {
      const started = Date.now();
      const baton = await buildBaton();
      builds.push(baton);
      const store: Store & { url: string } = await openTestStore(dialect);
      const [smtp, hook] = await Promise.all([startSmtpReceiver(), startWebhookReceiver()]);
      const rnd = seededRandom(SEED + (dialect === 'sqlite' ? 1 : 2));
      let node: BatonNode | undefined;
      try {
        const org: TestOrg = await seedOrg(appDeps({ store, clock: systemClock }), 'Crash Test Dummies');
        const env = {
          BATON_DATABASE_URL: store.url,
          BATON_LOG_LEVEL: 'error',
          BATON_SCHEDULER: 'on',
          BATON_SCHEDULER_INTERVAL_MS: '100',
          BATON_SCHEDULER_LEASE_MS: '2000',
          BATON_SMTP_HOST: '127.0.0.1',
          BATON_SMTP_PORT: String(smtp.port),
          // The webhook receiver listens on this machine's loopback, which only the operator may allow.
          BATON_OUTBOUND_ALLOW: '127.0.0.1',
        };
        const port = await freePort();
        node = await startNode(baton, env, { port });
        const url = node.url;
        const api = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown) =>
          request(url, token, method, path, body, 15_000);

        expect(
          (await api(org.admin, 'PUT', '/api/v1/notification-settings', { chat_webhook_url: hook.url }))
            .status,
        ).toBe(200);
        const account = await api(org.sales, 'POST', '/api/v1/accounts', { name: 'Brittle Systems' });
        const playbook = await api(org.operations, 'GET', '/api/v1/playbooks/professional-services');
        const reasonCode = playbook.body.definition.transitions[0].rejection_reasons[0].code as string;

        const gate = new Gate();
        const tracked: Tracked[] = [];
        const unexpected: string[] = [];
        let acknowledged = 0;
        let unanswered = 0;
        let stopping = false;
        let serial = 0;
        const unique = (what: string) => {
          serial += 1;
          return `${what} ${dialect} #${serial}`;
        };

        /** One write: its answer if it came (2xx expected), Unanswered if the connection failed. */
        const write = async (
          label: string,
          token: string,
          method: 'POST' | 'PATCH',
          path: string,
          body: unknown,
          onUnanswered: () => void,
        ) => {
          await gate.wait();
          let res: Awaited<ReturnType<typeof request>>;
          try {
            res = await api(token, method, path, body);
          } catch {
            unanswered += 1;
            onUnanswered();
            throw new Unanswered(label);
          }
          if (res.status >= 300) {
            const logged = res.status >= 500 ? `\nserver log: ${node?.log().slice(-4000)}` : '';
            unexpected.push(
              `${label} ${method} ${path} → ${res.status} ${JSON.stringify(res.body)}${logged}`,
            );
            throw new Unanswered(label);
          }
          acknowledged += 1;
          return res;
        };

        /** One handoff through its life, as far as the server lets it get. */
        const lifecycle = async (lane: () => number) => {
          // An engagement of its own (submits on one engagement at once race: see multi-node.test.ts),
          // signed three days ago so the handoff's "before contract_signed" checkpoint is due at once
          // and the scheduler escalates it (an e-mail and a webhook).
          const own = await write(
            'engagement',
            org.sales,
            'POST',
            '/api/v1/engagements',
            {
              account_id: account.body.id,
              name: unique('Engagement'),
              contract_signed_at: new Date(Date.now() - 3 * 24 * 3600_000).toISOString(),
            },
            () => {},
          );
          const first = unique('Goal');
          const created = await write(
            'create',
            org.sales,
            'POST',
            '/api/v1/handoffs',
            {
              engagement_id: own.body.id,
              playbook: 'professional-services',
              transition: 'sales-to-delivery',
              packet: packetOf({ 'goal.client_goal': first }),
            },
            () => {},
          );
          const t: Tracked = {
            id: created.body.id,
            fields: { 'goal.client_goal': first },
            maybe: {},
            revisions: new Map(),
            states: new Set(['draft']),
            questions: [],
          };
          tracked.push(t);
          const hp = `/api/v1/handoffs/${t.id}`;
          const patch = async (values: Partial<Record<Field, string>>, rest: Json = {}) => {
            const packet = packetOf(values);
            for (const [k, v] of Object.entries(rest)) packet[k] = { ...(v as object), ...(packet[k] ?? {}) };
            await write('patch', org.sales, 'PATCH', hp, { packet }, () => Object.assign(t.maybe, values));
            Object.assign(t.fields, values);
          };
          const move = async (label: string, token: string, path: string, body: unknown, target: string) => {
            const res = await write(label, token, 'POST', `${hp}/${path}`, body, () => t.states.add(target));
            t.states = new Set([target]);
            return res;
          };
          const submit = async () => {
            const res = await move('submit', org.sales, 'submit', undefined, 'submitted');
            t.revisions.set(res.body.revision, { ...t.fields });
          };

          await patch(
            {
              'goal.client_goal': unique('Goal'),
              'goal.success_metric': unique('Metric'),
              'success.early_win': unique('Win'),
            },
            REST_OF_PACKET,
          );
          if (lane() < 0.3) await patch({ 'goal.success_metric': unique('Metric') });
          if (stopping) return;
          await submit();
          const body = unique('Question');
          const asked = await write(
            'ask',
            org.operations,
            'POST',
            `${hp}/questions`,
            { body, path: '/packet/scope/in_scope' },
            () => {},
          );
          const q: Tracked['questions'][number] = { id: asked.body.id, body };
          t.questions.push(q);
          const answer = unique('Answer');
          await write('answer', org.sales, 'POST', `/api/v1/questions/${q.id}/answer`, { answer }, () => {
            q.answerMaybe = true;
          });
          q.answer = answer;
          if (stopping) return;
          if (lane() < 0.4) {
            await move(
              'reject',
              org.operations,
              'reject',
              { reason_code: reasonCode, explanation: 'Needs a baseline.' },
              'rejected',
            );
            await patch({ 'goal.success_metric': unique('Metric') });
            await submit();
          }
          await move('accept', org.operations, 'accept', { note: 'Fine.' }, 'accepted');
          if (stopping) return;
          await gate.wait();
          const cps = await api(org.operations, 'GET', `/api/v1/checkpoints?handoff_id=${t.id}`).catch(
            () => null,
          );
          const kickoff = cps?.body?.items?.find((c: { key: string }) => c.key === 'joint_kickoff');
          if (!kickoff) return;
          const start = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
          await write(
            'schedule',
            org.operations,
            'POST',
            `/api/v1/checkpoints/${kickoff.id}/schedule`,
            {
              start,
              duration_minutes: 60,
              invitees: [
                { name: 'Sam Seller', email: 'sam@client.example', role: 'seller' },
                { name: 'Dana Whitfield', email: 'dana@client.example', role: 'delivery_lead' },
              ],
            },
            () => {},
          );
          t.meeting = { checkpointId: kickoff.id, start };
        };

        const lanes = Array.from({ length: LANES }, async (_, i) => {
          const lane = seededRandom(SEED * 31 + i);
          while (!stopping) {
            try {
              await lifecycle(lane);
            } catch (error) {
              if (!(error instanceof Unanswered)) throw error;
            }
          }
        });

        // The chaos: traffic for a random while, SIGKILL, restart on the same port; again.
        const downtimes: number[] = [];
        for (let k = 0; k < KILLS; k++) {
          // Each incarnation acknowledges at least one write before it dies at a random moment.
          const before = acknowledged;
          await waitFor(
            `a write acknowledged after restart ${k}`,
            () => acknowledged > before || unexpected.length > 0,
            30_000,
          );
          await sleep(Math.floor(rnd() * 600));
          gate.close();
          await node.kill();
          const down = Date.now();
          node = await startNode(baton, env, { port });
          downtimes.push(Date.now() - down);
          gate.reopen();
        }
        await sleep(300);
        stopping = true;
        await Promise.all(lanes);
        expect(unexpected, 'writes answered with an error').toEqual([]);
        expect(acknowledged).toBeGreaterThanOrEqual(KILLS);

        // The scheduler drains: every notice sent, every due timer fired.
        const outboxPending = async () =>
          (
            await store.db
              .selectFrom('scheduled_jobs')
              .select(['id', 'kind', 'status', 'attempts', 'last_error'])
              .where('kind', 'in', ['send_email', 'send_webhook'])
              .where('status', '!=', 'done')
              .execute()
          ).length;
        const openPastDue = () =>
          store.db
            .selectFrom('checkpoints')
            .select(['id', 'def_key', 'due_at'])
            .where('state', '=', 'open')
            .where('paused_at', 'is', null)
            .where('due_at', '<=', new Date().toISOString())
            .execute();
        await waitFor(
          'the scheduler to send every outbox item and fire every due timer',
          async () => (await outboxPending()) === 0 && (await openPastDue()).length === 0,
          40_000,
          async () =>
            `${await outboxPending()} outbox items not done, ${(await openPastDue()).length} checkpoints open past due`,
        );

        // Every acknowledged write is there, with what was acknowledged.
        const problems: string[] = [];
        for (const t of tracked) {
          const hp = `/api/v1/handoffs/${t.id}`;
          const got = await api(org.operations, 'GET', hp);
          if (got.status !== 200) {
            problems.push(`${t.id}: GET answered ${got.status}`);
            continue;
          }
          for (const f of FIELDS) {
            if (t.fields[f] === undefined) continue;
            const [section, field] = f.split('.') as [string, string];
            const actual = got.body.packet?.[section]?.[field];
            if (actual !== t.fields[f] && actual !== t.maybe[f])
              problems.push(`${t.id}: ${f} is ${actual}, acknowledged ${t.fields[f]}`);
          }
          if (!t.states.has(got.body.state))
            problems.push(`${t.id}: state ${got.body.state}, expected one of ${[...t.states]}`);
          const maxRevision = Math.max(0, ...t.revisions.keys());
          if (got.body.revision < maxRevision)
            problems.push(`${t.id}: revision ${got.body.revision} < acknowledged ${maxRevision}`);
          if (t.revisions.size) {
            const revs = await api(org.operations, 'GET', `${hp}/revisions`);
            for (const [n, values] of t.revisions) {
              const rev = revs.body.items.find((r: { number: number }) => r.number === n);
              if (!rev) problems.push(`${t.id}: acknowledged revision ${n} missing`);
              else
                for (const [f, v] of Object.entries(values)) {
                  const [section, field] = f.split('.') as [string, string];
                  if (rev.packet?.[section]?.[field] !== v)
                    problems.push(
                      `${t.id}: revision ${n} ${f} is ${rev.packet?.[section]?.[field]}, not ${v}`,
                    );
                }
            }
          }
          if (t.questions.length) {
            const qs = await api(org.operations, 'GET', `${hp}/questions`);
            for (const q of t.questions) {
              const row = qs.body.items.find((r: { id: string }) => r.id === q.id);
              if (!row || row.body !== q.body) problems.push(`${t.id}: question ${q.id} missing or changed`);
              else if (q.answer && (row.state !== 'answered' || row.answer !== q.answer))
                problems.push(
                  `${t.id}: answer to ${q.id} is ${row.state} ${row.answer}, acknowledged ${q.answer}`,
                );
            }
          }
          if (t.meeting) {
            const cp = await api(org.operations, 'GET', `/api/v1/checkpoints/${t.meeting.checkpointId}`);
            if (cp.body?.schedule?.start !== t.meeting.start)
              problems.push(
                `${t.id}: kickoff scheduled ${cp.body?.schedule?.start}, acknowledged ${t.meeting.start}`,
              );
          }
        }
        expect(problems, 'acknowledged writes missing or changed').toEqual([]);
        await node.stop();

        // The database and the audit chain are intact.
        if (dialect === 'sqlite') {
          const db = new Database(store.url, { readonly: true });
          try {
            expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          } finally {
            db.close();
          }
        }
        const verify = await runCli(baton, { BATON_DATABASE_URL: store.url }, 'audit', 'verify', '--json');
        expect(verify.code, verify.stderr).toBe(0);
        expect(JSON.parse(verify.stdout).ok).toBe(true);

        // Every outbox item was delivered at least once (by its stable id), and none is pending or dead.
        const jobs = await store.db.selectFrom('scheduled_jobs').selectAll().execute();
        const sends = jobs.filter((j) => j.kind === 'send_email' || j.kind === 'send_webhook');
        expect(
          sends.filter((j) => j.status !== 'done').map((j) => `${j.kind} ${j.status} ${j.last_error}`),
        ).toEqual([]);
        const mailed = new Map<string, number>();
        for (const m of smtp.mails) {
          const id = messageJobId(m.raw);
          if (id) mailed.set(id, (mailed.get(id) ?? 0) + 1);
        }
        const posted = new Map<string, number>();
        for (const p of hook.posts) posted.set(p.idempotencyKey!, (posted.get(p.idempotencyKey!) ?? 0) + 1);
        const undelivered = sends.filter((j) => !(j.kind === 'send_email' ? mailed : posted).has(j.id));
        expect(
          undelivered.map((j) => `${j.kind} ${j.dedupe_key}`),
          'outbox items never received',
        ).toEqual([]);
        const ids = new Set(sends.map((j) => j.id));
        expect(
          [...mailed.keys(), ...posted.keys()].filter((id) => !ids.has(id)),
          'sends of no job',
        ).toEqual([]);
        // A repeat is possible only for a send in flight at a kill: at most one per worker lane per kill.
        const repeats = [...mailed.values(), ...posted.values()].reduce((n, c) => n + c - 1, 0);
        expect(repeats).toBeLessThanOrEqual(KILLS * WORKER_CONCURRENCY);
        // Every acknowledged handoff was escalated (its promise audit came due at creation)…
        const escalated = new Set(
          sends
            .filter((j) => j.kind === 'send_email' && j.dedupe_key.startsWith('email:overdue:'))
            .map((j) => j.dedupe_key.split(':')[2]),
        );
        const promiseAudits = await store.db
          .selectFrom('checkpoints')
          .select(['id', 'handoff_id', 'state'])
          .where('def_key', '=', 'promise_audit')
          .execute();
        for (const t of tracked) {
          const cp = promiseAudits.find((c) => c.handoff_id === t.id);
          expect(cp, `promise audit of ${t.id}`).toBeDefined();
          expect(cp!.state).toBe('overdue');
          expect(escalated.has(cp!.id), `escalation of ${cp!.id}`).toBe(true);
        }
        // …and every scheduled kickoff sent its invitation.
        const invitations = sends.filter((j) => j.dedupe_key.startsWith('email:invite:')).length;
        expect(invitations).toBeGreaterThanOrEqual(tracked.filter((t) => t.meeting).length);

        // No timer lost: every open checkpoint has its pending due timer at its due time.
        const open = await store.db
          .selectFrom('checkpoints')
          .select(['id', 'def_key', 'due_at'])
          .where('state', '=', 'open')
          .where('paused_at', 'is', null)
          .execute();
        const timers = new Map(
          jobs.filter((j) => j.kind === 'checkpoint_due').map((j) => [j.dedupe_key, j] as const),
        );
        const lost = open.filter((c) => {
          const timer = timers.get(`checkpoint_due:${c.id}`);
          return timer?.status !== 'pending' || timer.available_at !== c.due_at;
        });
        expect(
          lost.map((c) => `${c.def_key} ${c.id} due ${c.due_at}`),
          'open checkpoints without their timer',
        ).toEqual([]);
        expect(jobs.filter((j) => j.status === 'dead')).toEqual([]);

        const handoffs = tracked.length;
        console.info(
          `${dialect}: ${KILLS} kills in ${Math.round((Date.now() - started) / 1000)} s (restart ${Math.round(
            downtimes.reduce((a, b) => a + b, 0) / downtimes.length,
          )} ms on average); ${acknowledged} writes acknowledged, ${unanswered} unanswered; ${handoffs} handoffs; ` +
            `${sends.length} outbox items, ${repeats} delivered twice; ${open.length} open checkpoints with timers`,
        );
      } finally {
        await node?.kill();
        await store.close();
        await smtp.close();
        await hook.close();
        if (dialect === 'sqlite') rmSync(dirname(store.url), { recursive: true, force: true });
      }
    },
    240_000,
  );
});
