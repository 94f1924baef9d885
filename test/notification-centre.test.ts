import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/identity/use-cases/add-user.js';
import { ManualClock } from '../src/kernel/clock.js';
import { type Deps, inTransaction } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { notify } from '../src/notifications/notify.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const PACKET = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
const ALL_ON = {
  handoff_submitted: true,
  handoff_rejected: true,
  question_asked: true,
  question_answered: true,
  review_nudge: true,
};

describe.each(DIALECTS)('the notification centre, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let org: TestOrg;
  let other: TestOrg;
  let oscar: { id: string; token: string };
  let accountId: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store, new ManualClock('2026-03-02T10:00:00.000Z')));
    close = async () => {
      await app.close();
      await store.close();
    };
    org = await seedOrg(deps, 'Bell Inc');
    other = await seedOrg(deps, 'Elsewhere Ltd');
    const made = await addUser(
      deps,
      { type: 'system', id: null },
      { slug: org.slug },
      { email: `oscar@${org.slug}.test`, name: 'Oscar Ops', role: 'operations', teamKeys: ['operations'] },
    );
    oscar = { id: made.user.id, token: made.token.token };
    accountId = (await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' })).body
      .id;
  });
  afterAll(async () => close());

  const list = (token: string, query = '') => call(app, token)('GET', `/api/v1/notifications${query}`);
  const markRead = (token: string, body: unknown) =>
    call(app, token)('POST', '/api/v1/notifications/read', body);
  const submitNew = async (title: string) => {
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: accountId,
      name: title,
    });
    const created = await call(app, org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      title,
      packet: PACKET,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    clock.advance(60_000);
    const submitted = await call(app, org.sales)('POST', `/api/v1/handoffs/${created.body.id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    return created.body.id as string;
  };

  let first: string;

  it('lists a submitted packet for every member of the receiving team, e-mail turned off or not, and not for the one who submitted it', async () => {
    // Oscar wants no e-mail about new packets: the notification centre still lists them.
    const off = await call(app, oscar.token)('PUT', `/api/v1/users/${oscar.id}/notification-preferences`, {
      email: { ...ALL_ON, handoff_submitted: false },
      chat_mention: true,
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    first = await submitNew('Harbor close automation');
    for (const token of [org.operations, oscar.token]) {
      const mine = await list(token);
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      expect(mine.body).toEqual({
        items: [
          {
            id: expect.any(String),
            kind: 'handoff_submitted',
            subject: 'To review: Harbor close automation',
            text: expect.stringContaining(
              'Sam Seller (Sales) submitted "Harbor close automation" to Operations.',
            ),
            link: `/handoffs/${first}`,
            created_at: '2026-03-02T10:01:00.000Z',
            read_at: null,
          },
        ],
        unread: 1,
        next_cursor: null,
      });
    }
    // The e-mail went to Olive alone: Oscar turned it off.
    const mail = await deps.store.db
      .selectFrom('scheduled_jobs')
      .select('payload')
      .where('dedupe_key', '=', `email:handoff_submitted:${first}:1`)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(mail.payload).to).toEqual([`olive@${org.slug}.test`]);
    // The sender, other teams and another organisation have nothing.
    for (const token of [org.sales, org.service, org.viewer, org.admin, other.operations])
      expect((await list(token)).body).toEqual({ items: [], unread: 0, next_cursor: null });
  });

  it('lists a notice announced twice once per user', async () => {
    const now = clock.now();
    const notice = {
      orgId: org.id,
      kind: 'review_nudge' as const,
      eventKey: `review_nudge:${first}:1`,
      to: [],
      users: [org.userIds.operations, org.userIds.operations],
      subject: `Not opened yet: Harbor close automation`,
      text: 'Please read it.',
      link: `/handoffs/${first}`,
    };
    await inTransaction(deps, (trx) => notify(trx, notice, now));
    await inTransaction(deps, (trx) => notify(trx, notice, now));
    const mine = await list(org.operations);
    expect(mine.body.items.map((n: Json) => n.kind)).toEqual(['review_nudge', 'handoff_submitted']);
    expect(mine.body.unread).toBe(2);
  });

  it('tells the sender of a question and of a rejection, and nobody of their own act', async () => {
    clock.advance(60_000);
    const question = await call(app, org.operations)('POST', `/api/v1/handoffs/${first}/questions`, {
      body: 'Which entities close first?',
    });
    expect(question.status, JSON.stringify(question.body)).toBe(201);
    clock.advance(60_000);
    const rejected = await call(app, org.operations)('POST', `/api/v1/handoffs/${first}/reject`, {
      reason_code: 'goal_vague',
      explanation: 'Say which entities close first.',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    const sam = await list(org.sales);
    expect(sam.body.items.map((n: Json) => [n.kind, n.subject])).toEqual([
      ['handoff_rejected', 'Rejected: Harbor close automation'],
      ['question_asked', 'Question on Harbor close automation'],
    ]);
    expect(sam.body.unread).toBe(2);
    // Olive asked and rejected: her list gained nothing.
    expect((await list(org.operations)).body.unread).toBe(2);
  });

  it('pages newest first with a cursor, and keeps the unread ones on request', async () => {
    for (const title of ['Second', 'Third', 'Fourth']) await submitNew(title);
    const all = (await list(oscar.token)).body.items as Json[];
    expect(all.map((n) => n.subject)).toEqual([
      'To review: Fourth',
      'To review: Third',
      'To review: Second',
      'To review: Harbor close automation',
    ]);
    const page1 = await list(oscar.token, '?limit=3');
    expect(page1.body.items).toEqual(all.slice(0, 3));
    expect(page1.body.unread).toBe(4);
    const page2 = await list(oscar.token, `?limit=3&cursor=${page1.body.next_cursor}`);
    expect(page2.body).toEqual({ items: all.slice(3), unread: 4, next_cursor: null });
    const bad = await list(oscar.token, '?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: '/query/cursor', message: expect.any(String) }]);

    const marked = await markRead(oscar.token, { ids: [all[1].id] });
    expect(marked.body).toEqual({ marked: 1, unread: 3 });
    const unread = await list(oscar.token, '?unread=true');
    expect(unread.body.items.map((n: Json) => n.subject)).toEqual([
      'To review: Fourth',
      'To review: Second',
      'To review: Harbor close automation',
    ]);
    const read = (await list(oscar.token)).body.items[1];
    expect(read.read_at).toBe(clock.now().toISOString());
  });

  it('marks only the caller’s own notices read, idempotently, by id or up to a time', async () => {
    const olive = (await list(org.operations)).body.items as Json[];
    const oscars = (await list(oscar.token)).body.items as Json[];
    // Another user's id, and another organisation's user, mark nothing.
    expect((await markRead(org.sales, { ids: [olive[0].id] })).body).toEqual({ marked: 0, unread: 2 });
    expect(
      (await markRead(other.operations, { ids: [olive[0].id], up_to: '2030-01-01T00:00:00Z' })).body,
    ).toEqual({ marked: 0, unread: 0 });
    expect((await list(org.operations)).body.unread).toBe(olive.length);
    const once = await markRead(org.operations, { ids: [olive[0].id, olive[1].id] });
    expect(once.body).toEqual({ marked: 2, unread: olive.length - 2 });
    const again = await markRead(org.operations, { ids: [olive[0].id, olive[1].id] });
    expect(again.body).toEqual({ marked: 0, unread: olive.length - 2 });
    // "Mark all as read" up to the newest Oscar saw: what arrives later stays unread.
    clock.advance(60_000);
    await submitNew('Fifth');
    const all = await markRead(oscar.token, { up_to: oscars[0].created_at });
    expect(all.body).toEqual({ marked: 3, unread: 1 });
    expect((await list(oscar.token, '?unread=true')).body.items.map((n: Json) => n.subject)).toEqual([
      'To review: Fifth',
    ]);
    // Olive's were not touched by Oscar's marking.
    expect((await list(org.operations)).body.unread).toBe(olive.length - 2 + 1);
  });

  it('refuses a request that names nothing to mark, or no notice id, naming each problem', async () => {
    const empty = await markRead(oscar.token, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: '/', message: 'give ids, up_to or both' }]);
    const bad = await markRead(oscar.token, {
      ids: ['x', '00000000-0000-4000-8000-000000000000'],
      up_to: 'soon',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(expect.arrayContaining(['/up_to']));
  });
});
