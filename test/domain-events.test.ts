import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDOFF_EVENT_TYPES } from '../src/handoffs/domain/handoff-facts.js';
import { onBeforeCommit, type Tx } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import { AppError } from '../src/kernel/errors.js';
import type { DomainEvent, DomainEventType } from '../src/kernel/event-types.js';
import type { Subscriber } from '../src/kernel/events.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { SUBSCRIBERS } from '../src/server/subscribers.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

/** A complete professional-services packet: its promises are reconciled into records at submit. */
const completePacket = () => EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
const promised = (completePacket().promises!.promises as { text: string }[]).map((p) => p.text);

/**
 * A subscriber of every event that keeps those of the transactions that reached their commit:
 * what a capability added later (webhooks, metrics) would see. It is added to the composition
 * root's registry from here, and nothing that emits an event knows of it.
 */
function observer() {
  const committed: DomainEvent[] = [];
  const pending = new WeakMap<Tx, DomainEvent[]>();
  const subscriber = async (trx: Tx, event: DomainEvent) => {
    const list = pending.get(trx) ?? [];
    pending.set(trx, list);
    list.push(event);
    onBeforeCommit(trx, 'test: observe', async () => {
      committed.push(...list);
    });
  };
  return { committed, subscribers: SUBSCRIBERS.onEvery('test: observe every event', subscriber) };
}

describe('the composition root', () => {
  it('records every event in the audit trail before anything else reacts to it', () => {
    for (const type of HANDOFF_EVENT_TYPES) expect(SUBSCRIBERS.names(type)[0]).toMatch(/^audit: /);
    const types: DomainEventType[] = ['checkpoint.opened', 'checkpoint.overdue', 'milestone.recorded'];
    for (const type of types) expect(SUBSCRIBERS.names(type)[0]).toMatch(/^audit: /);
  });

  it('refuses a close while a required checkpoint is open before checkpoints settle the rest', () => {
    expect(SUBSCRIBERS.names('handoff.closed').slice(1)).toEqual([
      "metrics: the handoff's facts",
      'checkpoints: refuse while a required one is open',
      'checkpoints: settle the rest',
      // Last, so a refused close sends nothing (the transaction rolls back with it anyway).
      'integrations: deliver to the webhook endpoints that want it',
    ]);
  });
});

describe.each(DIALECTS)('domain events on %s', (dialect) => {
  let store: Store;
  let org: TestOrg;
  let accountId: string;
  const apps: Api[] = [];

  /** The server with the composition root's subscribers and, after them, `extra`. */
  async function appWith(extra: (s: typeof SUBSCRIBERS) => typeof SUBSCRIBERS) {
    const { app } = await testApp(store, undefined, { subscribers: extra(SUBSCRIBERS) });
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    store = await openTestStore(dialect);
    const { app, deps } = await testApp(store);
    apps.push(app);
    org = await seedOrg(deps, 'Evented Co');
    const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    accountId = account.body.id;
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await store.close();
  });

  const open = async (app: Api) => {
    // An engagement each: an engagement has one open handoff per transition.
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: accountId,
      name: 'Close automation',
    });
    const res = await call(app, org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet: completePacket(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it('a subscriber added at the composition root sees the whole contract, each event audited as itself', async () => {
    const seen = observer();
    const app = await appWith(() => seen.subscribers);
    const sales = call(app, org.sales);
    const ops = call(app, org.operations);
    const ok = async (res: Promise<{ status: number; body: Json }>) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      return r.body;
    };

    const id = await open(app);
    await ok(
      sales('PATCH', `/api/v1/handoffs/${id}`, { packet: { goal: { success_metric: 'A 5-day close' } } }),
    );
    await ok(sales('POST', `/api/v1/handoffs/${id}/submit`));
    const question = await ok(
      ops('POST', `/api/v1/handoffs/${id}/questions`, { body: 'Which bank accounts?' }),
    );
    await ok(sales('POST', `/api/v1/questions/${question.id}/answer`, { answer: 'The two operating ones.' }));
    const playbook = await ops('GET', '/api/v1/playbooks/professional-services');
    const reason = playbook.body.definition.transitions[0].rejection_reasons[0].code;
    await ok(
      ops('POST', `/api/v1/handoffs/${id}/reject`, { reason_code: reason, explanation: 'No baseline.' }),
    );
    await ok(
      sales('PATCH', `/api/v1/handoffs/${id}`, { packet: { goal: { success_metric: 'From 11 to 5 days' } } }),
    );
    await ok(sales('POST', `/api/v1/handoffs/${id}/submit`));
    await ok(ops('POST', `/api/v1/handoffs/${id}/accept`, { note: 'Clear now.' }));
    await ok(ops('POST', `/api/v1/handoffs/${id}/start-delivery`));
    // Refused while required checkpoints are open: that transaction's events never happened.
    const refused = await ops('POST', `/api/v1/handoffs/${id}/close`);
    expect(refused.status).toBe(409);
    for (const { path } of refused.body.errors as { path: string }[]) {
      const checkpoint = await ok(ops('GET', `/api/v1${path}`));
      const owner = checkpoint.owner.team.key === 'sales' ? sales : ops;
      await ok(owner('POST', `/api/v1${path}/waive`, { reason: 'Held before Baton' }));
    }
    await ok(ops('POST', `/api/v1/handoffs/${id}/close`, { note: 'Live.' }));

    const ofHandoff = seen.committed.filter(
      (e) => ('handoff' in e && e.handoff.id === id) || ('checkpoint' in e && e.checkpoint.handoff_id === id),
    );
    const handoffEvents = ofHandoff.filter((e) => e.type.startsWith('handoff.'));
    expect(handoffEvents.map((e) => e.type)).toEqual([
      'handoff.created',
      'handoff.packet_edited',
      'handoff.submitted',
      'handoff.question_asked',
      'handoff.question_answered',
      'handoff.rejected',
      'handoff.packet_edited',
      'handoff.submitted',
      'handoff.accepted',
      'handoff.delivery_started',
      'handoff.closed',
    ]);
    const types = new Set(ofHandoff.map((e) => e.type));
    for (const type of ['checkpoint.opened', 'checkpoint.completed', 'checkpoint.waived'] as const)
      expect(types, type).toContain(type);
    for (const e of ofHandoff) {
      expect(e.orgId).toBe(org.id);
      expect(e.actor.type).toBe('user');
      expect([org.userIds.sales, org.userIds.operations]).toContain(e.actor.id);
    }
    expect(handoffEvents.at(-1)).toMatchObject({
      from: 'in_delivery',
      note: 'Live.',
      handoff: { state: 'closed' },
    });

    // Each lifecycle event is the handoff's audit entry of its name, in the same order.
    await sealAll(store);
    const entries = await store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type'])
      .where('org_id', '=', org.id)
      .where('handoff_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(entries.filter((e) => e.entity_type === 'handoff').map((e) => e.action)).toEqual(
      handoffEvents.map((e) => e.type),
    );
    const count = (type: string) => ofHandoff.filter((e) => e.type === type).length;
    for (const action of ['checkpoint.completed', 'checkpoint.waived']) {
      expect(entries.filter((e) => e.action === action).length, action).toBe(count(action));
    }
  });

  it('runs a subscriber inside the transaction of the use case that published the event', async () => {
    const inside: Json[] = [];
    const look: Subscriber<'handoff.submitted'> = async (trx, event) => {
      inside.push({
        handoff: await trx
          .selectFrom('handoffs')
          .select(['state', 'revision'])
          .where('id', '=', event.handoff.id)
          .executeTakeFirst(),
        revisions: (
          await trx
            .selectFrom('handoff_revisions')
            .select('number')
            .where('handoff_id', '=', event.handoff.id)
            .execute()
        ).map((r) => Number(r.number)),
        // Written by an earlier subscriber (substance) in this same transaction.
        promises: (
          await trx.selectFrom('promises').select('text').where('handoff_id', '=', event.handoff.id).execute()
        ).map((r) => r.text),
      });
    };
    const app = await appWith((s) => s.on('handoff.submitted', 'test: look around', look));
    const id = await open(app);
    expect((await call(app, org.sales)('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    expect(inside).toEqual([
      {
        handoff: { state: 'submitted', revision: 1 },
        revisions: [1],
        promises: promised,
      },
    ]);
  });

  it("rolls back the whole use case when a subscriber fails, the other subscribers' work included", async () => {
    const refuse: Subscriber<'handoff.submitted'> = async () => {
      throw new AppError('conflict', 'A test subscriber refuses this submission.');
    };
    const app = await appWith((s) => s.on('handoff.submitted', 'test: refuse', refuse));
    const id = await open(app);
    const snapshot = async () => ({
      handoff: await store.db
        .selectFrom('handoffs')
        .select(['state', 'revision', 'version', 'submitted_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
      revisions: await count('handoff_revisions', 'handoff_id', id),
      promises: await count('promises', 'handoff_id', id),
      checkpoints: await count('checkpoints', 'handoff_id', id),
      milestones: await count('milestones', 'handoff_id', id),
      jobs: await count('scheduled_jobs', 'org_id', org.id),
      pendingAudit: await count('audit_pending', 'org_id', org.id),
      audit: await count('audit_log', 'org_id', org.id),
    });
    const count = async (
      table:
        | 'handoff_revisions'
        | 'promises'
        | 'checkpoints'
        | 'milestones'
        | 'scheduled_jobs'
        | 'audit_pending'
        | 'audit_log',
      column: 'handoff_id' | 'org_id',
      value: string,
    ) =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where(column, '=', value)
            .executeTakeFirstOrThrow()
        ).n,
      );

    const before = await snapshot();
    const refused = await call(app, org.sales)('POST', `/api/v1/handoffs/${id}/submit`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('A test subscriber refuses this submission.');
    expect(await snapshot()).toEqual(before);
    expect(before.handoff.state).toBe('draft');
  });
});
