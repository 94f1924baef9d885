import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import { addUser } from '../src/identity/use-cases/add-user.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { startOutbox } from './support/outbox.js';
import { loopbackAllowed, readMail } from './support/receivers.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

const PACKET = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
const PUBLIC_URL = 'https://baton.example.test';
const ALL_ON = {
  handoff_submitted: true,
  handoff_rejected: true,
  question_asked: true,
  question_answered: true,
  review_nudge: true,
};

describe.each(DIALECTS)('who is told about a handoff, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let outbox: Awaited<ReturnType<typeof startOutbox>>;
  let org: TestOrg;
  let oscar: { id: string; token: string };
  let accountId: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    // Monday 2 March 2026, 10:00 UTC (the organisation's time zone), inside the working day.
    ({ app, deps, clock } = await testApp(store, new ManualClock('2026-03-02T10:00:00.000Z'), {
      destinations: loopbackAllowed,
    }));
    outbox = await startOutbox(deps, { linkBase: PUBLIC_URL });
    close = async () => {
      await outbox.close();
      await app.close();
      await store.close();
    };
    org = await seedOrg(deps, 'Told Inc');
    const made = await addUser(
      deps,
      { type: 'system', id: null },
      { slug: org.slug },
      { email: `oscar@${org.slug}.test`, name: 'Oscar Ops', role: 'operations', teamKeys: ['operations'] },
    );
    oscar = { id: made.user.id, token: made.token.token };
    expect(
      (
        await call(app, org.admin)('PUT', '/api/v1/notification-settings', {
          chat_webhook_url: outbox.hook.url,
        })
      ).status,
    ).toBe(200);
    const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    accountId = account.body.id;
  });
  afterAll(async () => close());

  const drain = () => outbox.drain();
  /** What arrives from now on: mails (decoded, with their recipients) and chat posts. */
  const watch = () => {
    const { smtp, hook } = outbox;
    const mails = smtp.mails.length;
    const posts = hook.posts.length;
    return {
      mails: () => smtp.mails.slice(mails).map((m) => ({ to: [...m.to].sort(), ...readMail(m) })),
      posts: () => hook.posts.slice(posts).map((p) => (p.body as { text: string }).text),
    };
  };
  const email = (who: string) => `${who}@${org.slug}.test`;
  const submitNew = async (title: string) => {
    // An engagement each: an engagement has one open handoff per transition.
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: accountId,
      name: 'Close automation',
    });
    const created = await call(app, org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      title,
      packet: PACKET,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const submitted = await call(app, org.sales)('POST', `/api/v1/handoffs/${id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    return id;
  };

  it('keeps each user’s choices: everything on by default, changed by the user or an admin only', async () => {
    const olive = org.userIds.operations;
    const own = await call(app, org.operations)('GET', `/api/v1/users/${olive}/notification-preferences`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ user_id: olive, email: ALL_ON, chat_mention: true });
    expect(
      (await call(app, org.sales)('GET', `/api/v1/users/${olive}/notification-preferences`)).status,
    ).toBe(403);
    const body = { email: ALL_ON, chat_mention: false };
    expect(
      (await call(app, org.viewer)('PUT', `/api/v1/users/${olive}/notification-preferences`, body)).status,
    ).toBe(403);
    const byAdmin = await call(app, org.admin)(
      'PUT',
      `/api/v1/users/${olive}/notification-preferences`,
      body,
    );
    expect(byAdmin.body).toEqual({ user_id: olive, email: ALL_ON, chat_mention: false });
    const back = await call(app, org.operations)('PUT', `/api/v1/users/${olive}/notification-preferences`, {
      email: ALL_ON,
      chat_mention: true,
    });
    expect(back.body.chat_mention).toBe(true);
    // Oscar wants no e-mail about new packets, and not to be named in chat.
    const mine = await call(app, oscar.token)('PUT', `/api/v1/users/${oscar.id}/notification-preferences`, {
      email: { ...ALL_ON, handoff_submitted: false },
      chat_mention: false,
    });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    const bad = await call(app, oscar.token)('PUT', `/api/v1/users/${oscar.id}/notification-preferences`, {
      email: { handoff_submitted: 'no' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: Json) => e.path)).toEqual(
      expect.arrayContaining(['/email/handoff_submitted', '/chat_mention']),
    );
    const unknown = await call(app, org.admin)(
      'GET',
      '/api/v1/users/00000000-0000-4000-8000-000000000000/notification-preferences',
    );
    expect(unknown.status).toBe(404);
  });

  let reviewed: string;

  it('tells the receiving team a packet waits for them, by e-mail and in chat, with a link to it', async () => {
    const seen = watch();
    reviewed = await submitNew('Harbor close automation');
    await drain();
    await drain();
    const link = `${PUBLIC_URL}/handoffs/${reviewed}`;
    expect(seen.mails()).toEqual([
      {
        to: [email('olive')],
        subject: 'To review: Harbor close automation',
        text: expect.stringContaining(
          'Sam Seller (Sales) submitted "Harbor close automation" to Operations.',
        ),
      },
    ]);
    expect(seen.mails()[0]!.text).toContain(`Open in Baton: ${link}`);
    const posts = seen.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatch(/^\*To review: Harbor close automation\*\n/);
    expect(posts[0]).toContain('\nFor Olive Ops\n');
    expect(posts[0]!.endsWith(`\n${link}`)).toBe(true);
  });

  it('tells the sender of a question and a rejection, and the asker of the answer', async () => {
    const asked = watch();
    const question = await call(app, org.operations)('POST', `/api/v1/handoffs/${reviewed}/questions`, {
      body: 'Which <b>entities</b> close first?',
      path: '/packet/scope/in_scope',
    });
    expect(question.status, JSON.stringify(question.body)).toBe(201);
    await drain();
    expect(asked.mails()).toEqual([
      {
        to: [email('sam')],
        subject: 'Question on Harbor close automation',
        text: expect.stringContaining('Olive Ops (Operations) asked about'),
      },
    ]);
    expect(asked.mails()[0]!.text).toContain('Which <b>entities</b> close first?');
    // In chat, markup in what people wrote is shown as text.
    expect(asked.posts()[0]).toContain('Which &lt;b&gt;entities&lt;/b&gt; close first?');

    const answered = watch();
    const answer = await call(app, org.sales)('POST', `/api/v1/questions/${question.body.id}/answer`, {
      answer: 'The US entity, then the UK.',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await drain();
    expect(answered.mails()).toEqual([
      {
        to: [email('olive')],
        subject: 'Answered: your question on Harbor close automation',
        text: expect.stringContaining('Answer: The US entity, then the UK.'),
      },
    ]);

    const rejected = watch();
    const reject = await call(app, org.operations)('POST', `/api/v1/handoffs/${reviewed}/reject`, {
      reason_code: 'goal_vague',
      explanation: 'Write the goal the way the CFO said it.',
    });
    expect(reject.status, JSON.stringify(reject.body)).toBe(200);
    await drain();
    const mails = rejected.mails();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [[email('sam')], 'Rejected: Harbor close automation'],
    ]);
    expect(mails[0]!.text).toContain("Goal not in the client's own words");
    expect(mails[0]!.text).toContain('Write the goal the way the CFO said it.');
    expect(rejected.posts()).toHaveLength(1);

    const resubmitted = watch();
    clock.set('2026-03-03T10:00:00.000Z'); // Tuesday
    expect((await call(app, org.sales)('POST', `/api/v1/handoffs/${reviewed}/submit`)).status).toBe(200);
    await drain();
    expect(resubmitted.mails().map((m) => [m.to, m.subject])).toEqual([
      [[email('olive')], 'To review: Harbor close automation'],
    ]);
    expect(resubmitted.mails()[0]!.text).toContain(
      'Sam Seller (Sales) resubmitted "Harbor close automation" to Operations as revision 2.',
    );
  });

  it('nudges the receiving team once when a submitted packet is still unopened at the end of its review window', async () => {
    // Opened by the receiving team after its submission: no nudge. Opened only by its sender: still unread.
    const opened = await submitNew('Opened in time');
    expect((await call(app, org.sales)('GET', `/api/v1/handoffs/${opened}`)).status).toBe(200);
    const row = () =>
      deps.store.db
        .selectFrom('handoffs')
        .select(['opened_revision', 'opened_at', 'opened_by'])
        .where('id', '=', opened)
        .executeTakeFirstOrThrow();
    expect(await row()).toEqual({ opened_revision: null, opened_at: null, opened_by: null });
    clock.set('2026-03-03T11:00:00.000Z');
    expect((await call(app, org.operations)('GET', `/api/v1/handoffs/${opened}`)).status).toBe(200);
    const first = await row();
    expect(first).toMatchObject({ opened_revision: 1, opened_by: org.userIds.operations });
    clock.set('2026-03-03T12:00:00.000Z');
    await call(app, oscar.token)('GET', `/api/v1/handoffs/${opened}`);
    expect(await row()).toEqual(first); // the first reading is kept: one write per submission
    // Decided before the window ends: no nudge either.
    const decided = await submitNew('Accepted at once');
    expect((await call(app, org.operations)('POST', `/api/v1/handoffs/${decided}/accept`)).status).toBe(200);

    // "Harbor close automation" was resubmitted on Tuesday 10:00; its acceptance SLA is
    // "2 business days after submitted": Thursday 10:00.
    const nudged = watch();
    clock.set('2026-03-05T09:59:00.000Z');
    await drain();
    expect(nudged.mails().filter((m) => m.subject.startsWith('Not opened yet'))).toEqual([]);
    clock.set('2026-03-05T12:30:00.000Z');
    await drain();
    await drain();
    const nudges = nudged.mails().filter((m) => m.subject.startsWith('Not opened yet'));
    // Oscar turned off mail about new packets, not the nudge.
    expect(nudges).toEqual([
      {
        to: [email('olive'), email('oscar')],
        subject: 'Not opened yet: Harbor close automation',
        text: expect.stringContaining(
          '"Harbor close automation" was submitted to Operations on Tue 3 Mar 2026, 10:00 (UTC), and nobody there has opened it within its review window (2 business days after submitted).',
        ),
      },
    ]);
    expect(nudged.posts().filter((p) => p.startsWith('*Not opened yet'))).toHaveLength(1);
    clock.set('2026-03-12T12:00:00.000Z');
    await drain();
    expect(nudged.mails().filter((m) => m.subject.startsWith('Not opened yet'))).toHaveLength(1);

    await sealAll(deps.store);

    const [report] = await verifyAuditChain(deps, { orgSlug: org.slug });
    expect(report!.ok).toBe(true);
  });
});
