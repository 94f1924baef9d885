import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { newId } from '../src/kernel/ids.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { addEmailSource } from './support/email-sources.js';
import { handoverPlaybook } from './support/handover-playbook.js';
import { startOutbox } from './support/outbox.js';
import { loopbackAllowed, readMail } from './support/receivers.js';
import { DIALECTS, openTestStore, sealedAuditOf } from './support/stores.js';

/** The signing key of the Mailgun fixture (../shared/fixtures/integrations/email/). */
const MAILGUN_KEY = 'key-fake-webhook-signing-key-0000';
const SENDGRID_SECRET = 'sg-parse-secret-7f3a9c';

/** The handover playbook, closed out once the service lead is introduced, routing inquiries after. */
const routingPlaybook = (key: string, beforeCloseout: string) =>
  handoverPlaybook(
    `closeout:
  checklist: [service_lead_introduced]
after_closeout:
  senders: account_contacts
  before_closeout: ${beforeCloseout}
  task_due: 4 business hours after received
  reply_subject: "Re: {{subject}} (your service lead is {{service_owner_name}})"
  reply_text: |
    Dear {{client_name}},

    Thank you for writing to {{implementation_lead_name}} about {{engagement_name}}. Your service
    lead at {{organisation_name}} is now {{service_owner_name}} ({{service_owner_email}}), who has
    your message and will answer you.
`,
    'version: 1\n',
  ).replace('key: handover', `key: ${key}`);

/** A multipart/form-data body as the providers post it (text fields, then an attachment). */
function multipart(fields: Record<string, string>, boundary = '----InquiryBoundary7MA4') {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="attachment-1"; filename="order.pdf"\r\nContent-Type: application/pdf\r\n\r\nFAKE PDF BYTES\r\n`,
  );
  return {
    body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

describe.each(DIALECTS)('inquiries after closeout, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let outbox: Awaited<ReturnType<typeof startOutbox>>;
  let a: TestOrg;
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let mailgun: string;
  let sendgrid: string;
  let lead: { email: string; name: string };

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store, new ManualClock('2026-03-02T10:00:00.000Z'), {
      destinations: loopbackAllowed,
    }));
    outbox = await startOutbox(deps);
    a = await seedOrg(deps, 'Acme Integrations');
    lead = { email: `olive@${a.slug}.test`, name: 'Olive Ops' };
    for (const [key, before] of [
      ['handover', 'leave_with_lead'],
      ['handover-lead', 'task_for_lead'],
    ] as const) {
      const uploaded = await call(app, a.admin)('POST', '/api/v1/playbooks', {
        source: routingPlaybook(key, before),
      });
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    }
    mailgun = await source('mailgun', MAILGUN_KEY, {});
    sendgrid = await source('sendgrid', SENDGRID_SECRET, { basic_user: 'sendgrid' });
  });
  afterAll(async () => {
    await outbox.close();
    await app.close();
    await store.close();
  });

  /** An e-mail source, made as the sources API will: the secret sealed by the vault. */
  const source = (kind: 'mailgun' | 'sendgrid', secret: string, config: object) =>
    addEmailSource(store, deps.vaultKeys, { orgId: a.id, kind, secret, config, at: clock.now() });

  /** An account with Ada as its contact, an engagement led by Olive (operations) with a handoff. */
  async function engagement(options: { playbook?: string; closeOut?: boolean } = {}) {
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: `Harbor ${Math.random()}` });
    const email = `ada.${account.body.id.slice(-6)}@harbor.test`;
    await sales('POST', '/api/v1/contacts', {
      account_id: account.body.id,
      name: 'Ada Client',
      email,
      role: 'sponsor',
    });
    const made = await sales('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Harbor cameras',
      owner_id: a.userIds.operations,
    });
    const handoff = await call(app, a.admin)('POST', '/api/v1/handoffs', {
      engagement_id: made.body.id,
      playbook: options.playbook ?? 'handover',
      transition: 'install-to-service',
      packet: { notes: { summary: 'Installed' } },
    });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(201);
    if (options.closeOut !== false) {
      // Delivered and accepted by service, as an engagement is by its closeout.
      const submitted = await call(app, a.operations)('POST', `/api/v1/handoffs/${handoff.body.id}/submit`);
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      const accepted = await call(app, a.service)('POST', `/api/v1/handoffs/${handoff.body.id}/accept`);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      const ops = call(app, a.operations);
      const introduced = await ops('PUT', `/api/v1/engagements/${made.body.id}/service-lead`, {
        user_id: a.userIds.service,
      });
      expect(introduced.status, JSON.stringify(introduced.body)).toBe(200);
      const closed = await ops('POST', `/api/v1/engagements/${made.body.id}/closeout`);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    }
    return { id: made.body.id as string, handoffId: handoff.body.id as string, email };
  }

  /** A Mailgun route forward of a message from `from` to `to`, signed with `key`. */
  function mailgunForward(
    m: { from: string; to: string; subject?: string; messageId?: string; text?: string },
    options: { key?: string; token?: string; timestamp?: number } = {},
  ) {
    const timestamp = String(options.timestamp ?? Math.floor(clock.now().getTime() / 1000));
    const token = options.token ?? randomBytes(25).toString('hex');
    const signature = createHmac('sha256', options.key ?? MAILGUN_KEY)
      .update(`${timestamp}${token}`)
      .digest('hex');
    const messageId = m.messageId ?? `<${randomBytes(8).toString('hex')}@harbor.test>`;
    return multipart({
      recipient: 'handoff@mg.example.test',
      sender: m.from.replace(/.*</, '').replace('>', ''),
      from: m.from,
      subject: m.subject ?? 'Camera 4 is offline',
      'body-plain': `${m.text ?? 'Camera 4 went offline last night, can you look?'}\n\n-- \nAda`,
      'stripped-text': m.text ?? 'Camera 4 went offline last night, can you look?',
      timestamp,
      token,
      signature,
      'message-headers': JSON.stringify([
        ['From', m.from],
        ['To', m.to],
        ['Subject', m.subject ?? 'Camera 4 is offline'],
        ['Message-Id', messageId],
      ]),
      To: m.to,
      'Message-Id': messageId,
    });
  }

  let sent = 1;
  const post = (
    sourceId: string,
    body: { body: Buffer; type: string },
    headers: Record<string, string> = {},
    from?: string,
  ) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/inbound/inquiry/${sourceId}`,
      // Each request from an address of its own: the refusals here must not trip the attempt limiter.
      remoteAddress: from ?? `10.${(sent >> 16) & 255}.${(sent >> 8) & 255}.${sent++ & 255}`,
      headers: { 'content-type': body.type, ...headers },
      payload: body.body,
    });

  const checkpointsOf = async (engagementId: string) =>
    store.db.selectFrom('checkpoints').selectAll().where('engagement_id', '=', engagementId).execute();

  it('turns an inquiry to the implementation lead after closeout into a task for the service owner and a reply the client receives', async () => {
    const e = await engagement();
    const forward = mailgunForward({
      from: `Ada Client <${e.email}>`,
      to: `${lead.name} <${lead.email}>`,
      messageId: '<20260302100000.1234.abcd@harbor.test>',
    });
    const res = await post(mailgun, forward);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      duplicate: false,
      outcome: 'routed',
      reason: null,
      engagement_id: e.id,
      assignee_user_id: a.userIds.service,
      replied: true,
    });

    // The task: a checkpoint of the engagement's latest handoff, owned by the service owner.
    const tasks = await checkpointsOf(e.id);
    const task = tasks.find((t) => t.def_key.startsWith('inquiry:'))!;
    expect(task).toMatchObject({
      kind: 'task',
      state: 'open',
      owner_user_id: a.userIds.service,
      handoff_id: e.handoffId,
      name: 'Answer Ada Client: Camera 4 is offline',
    });
    // Four business hours after 10:00 on a Monday, in the organisation's calendar.
    expect(task.due_at).toBe('2026-03-02T14:00:00.000Z');
    const mine = await call(app, a.service)('GET', '/api/v1/checkpoints?owner=me');
    expect(mine.body.items.map((c: Json) => c.id)).toContain(task.id);
    const notices = await call(app, a.service)('GET', '/api/v1/notifications');
    expect(notices.body.items[0]).toMatchObject({
      kind: 'inquiry_routed',
      subject: 'Client inquiry: Camera 4 is offline',
    });
    expect(notices.body.items[0].text).toContain('Camera 4 went offline last night');

    // Someone neither its owner nor of its team may not mark it done; the service owner does, below.
    expect((await call(app, a.sales)('POST', `/api/v1/checkpoints/${task.id}/complete`, {})).status).toBe(
      403,
    );

    // The reply, through the outbox, received by a real SMTP server.
    await outbox.drain();
    const replies = outbox.smtp.mails.filter(
      (m) => m.to.includes(e.email) && readMail(m).subject.startsWith('Re:'),
    );
    expect(replies).toHaveLength(1);
    const reply = readMail(replies[0]!);
    expect(reply.subject).toBe('Re: Camera 4 is offline (your service lead is Sid Service)');
    expect(reply.text).toContain('Dear Ada Client,');
    expect(reply.text).toContain(
      `Your service\nlead at Acme Integrations is now Sid Service (sid@${a.slug}.test)`,
    );
    expect(reply.text).toContain('Thank you for writing to Olive Ops about Harbor cameras.');
    expect(replies[0]!.raw).toMatch(new RegExp(`^Reply-To: sid@${a.slug}\\.test`, 'm'));
    expect(replies[0]!.raw).toMatch(/^In-Reply-To: <20260302100000\.1234\.abcd@harbor\.test>/m);
    expect(replies[0]!.raw).toMatch(/^Auto-Submitted: auto-replied/m);
    // And the service owner's notice by e-mail.
    expect(
      outbox.smtp.mails.some(
        (m) =>
          m.to.includes(`sid@${a.slug}.test`) &&
          readMail(m).subject === 'Client inquiry: Camera 4 is offline',
      ),
    ).toBe(true);

    // A provider's retry (the same message, the same signature) does nothing again, five times over.
    for (let i = 0; i < 5; i++) {
      const again = await post(mailgun, forward);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({
        duplicate: true,
        outcome: 'routed',
        inquiry_id: res.json().inquiry_id,
      });
    }
    await outbox.drain();
    expect((await checkpointsOf(e.id)).filter((t) => t.def_key.startsWith('inquiry:'))).toHaveLength(1);
    expect(
      outbox.smtp.mails.filter((m) => m.to.includes(e.email) && readMail(m).subject.startsWith('Re:')),
    ).toHaveLength(1);

    const done = await call(app, a.service)('POST', `/api/v1/checkpoints/${task.id}/complete`, {});
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.state).toBe('done');

    // The admins' list shows it, with the audit entry of the routing.
    const listed = await call(app, a.admin)('GET', '/api/v1/inquiries?outcome=routed');
    expect(listed.body.items.find((i: Json) => i.id === res.json().inquiry_id)).toMatchObject({
      outcome: 'routed',
      sender_email: e.email,
      recipients: expect.arrayContaining([lead.email, 'handoff@mg.example.test']),
      replied_to: e.email,
      assignee_user_id: a.userIds.service,
      message_id: '<20260302100000.1234.abcd@harbor.test>',
    });
    const audit = await sealedAuditOf(store, res.json().inquiry_id);
    expect(audit.map((entry) => entry.action)).toEqual(['inquiry.routed']);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({
      assignee_user_id: a.userIds.service,
      replied_to: e.email,
    });
    const events = await store.db
      .selectFrom('inbound_events')
      .selectAll()
      .where('source_id', '=', mailgun)
      .execute();
    expect(events.filter((ev) => ev.external_id === '<20260302100000.1234.abcd@harbor.test>')).toHaveLength(
      1,
    );
  });

  it('takes SendGrid Inbound Parse with Basic credentials, and introduces the service owner once per client', async () => {
    const e = await engagement();
    const parse = (messageId: string) =>
      multipart({
        headers: `MIME-Version: 1.0\r\nFrom: Ada Client <${e.email}>\r\nMessage-ID: ${messageId}\r\nSubject: Badge reader\r\nTo: ${lead.email}\r\n`,
        dkim: '{@harbor.test : pass}',
        to: lead.email,
        from: `Ada Client <${e.email}>`,
        text: 'The badge reader at door 2 beeps twice.',
        subject: 'Badge reader',
        envelope: JSON.stringify({ to: ['handoff@parse.example.test'], from: e.email }),
        SPF: 'pass',
      });
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    const first = await post(sendgrid, parse('<sg-1@harbor.test>'), basic('sendgrid', SENDGRID_SECRET));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ outcome: 'routed', replied: true });
    const second = await post(sendgrid, parse('<sg-2@harbor.test>'), basic('sendgrid', SENDGRID_SECRET));
    expect(second.json()).toMatchObject({ outcome: 'routed', replied: false, duplicate: false });
    expect((await checkpointsOf(e.id)).filter((t) => t.def_key.startsWith('inquiry:'))).toHaveLength(2);
    const row = await store.db
      .selectFrom('inquiries')
      .selectAll()
      .where('id', '=', second.json().inquiry_id)
      .executeTakeFirstOrThrow();
    expect(row.reply_skipped).toContain('introduced to the service owner already');

    for (const headers of [{}, basic('sendgrid', 'wrong'), basic('someone', SENDGRID_SECRET)]) {
      const refused = await post(sendgrid, parse(`<sg-${Math.random()}@harbor.test>`), headers);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json().errors[0].path).toBe('/headers/authorization');
    }
  });

  it('refuses a bad signature, a reused token and a stale timestamp with 401, recorded as refused without the secret', async () => {
    const e = await engagement();
    const message = { from: `Ada Client <${e.email}>`, to: lead.email };
    const tampered = await post(mailgun, mailgunForward(message, { key: 'key-someone-else' }));
    expect(tampered.statusCode).toBe(401);
    expect(tampered.headers['content-type']).toContain('application/problem+json');
    expect(tampered.json().errors).toEqual([
      { path: '/signature', message: "does not verify with the source's signing key" },
    ]);
    const stale = await post(
      mailgun,
      mailgunForward(message, { timestamp: Math.floor(clock.now().getTime() / 1000) - 2 * 86_400 }),
    );
    expect(stale.statusCode).toBe(401);
    expect(stale.json().errors[0].path).toBe('/timestamp');
    const token = randomBytes(25).toString('hex');
    expect((await post(mailgun, mailgunForward(message, { token }))).statusCode).toBe(200);
    const reused = await post(mailgun, mailgunForward({ ...message, subject: 'Wire the refund' }, { token }));
    expect(reused.statusCode).toBe(401);
    expect(reused.json().errors[0].path).toBe('/token');

    const refused = await call(app, a.admin)('GET', '/api/v1/inquiries?outcome=refused');
    expect(refused.status).toBe(200);
    expect(refused.body.items.length).toBeGreaterThanOrEqual(3);
    const text = JSON.stringify(refused.body);
    expect(text).toContain('/signature: does not verify');
    expect(text).not.toContain(MAILGUN_KEY);
    const events = await store.db
      .selectFrom('inbound_events')
      .selectAll()
      .where('outcome', '=', 'refused')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(events)).not.toContain(MAILGUN_KEY);
    // Nothing of a refused message is kept: not its sender, not its subject.
    expect(text).not.toContain('Wire the refund');

    // A body over the limit is refused before it is read whole; nothing is recorded.
    const before = (await store.db.selectFrom('inquiries').select('id').execute()).length;
    const huge = mailgunForward({ ...message, text: 'x'.repeat(10 * 1024 * 1024) });
    const tooLarge = await post(mailgun, huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.headers['content-type']).toContain('application/problem+json');
    expect((await store.db.selectFrom('inquiries').select('id').execute()).length).toBe(before);

    // An unknown source, and a body that is not multipart.
    expect((await post(newId(), mailgunForward(message))).statusCode).toBe(404);
    const json = await app.inject({
      method: 'POST',
      url: `/api/v1/inbound/inquiry/${mailgun}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"from":"x"}',
    });
    expect(json.statusCode).toBe(415);
    expect(json.headers['content-type']).toContain('application/problem+json');
  });

  it('leaves an inquiry before closeout with the lead, or makes it their task, as the playbook says', async () => {
    const open = await engagement({ closeOut: false });
    const left = await post(mailgun, mailgunForward({ from: `Ada Client <${open.email}>`, to: lead.email }));
    expect(left.json()).toMatchObject({
      outcome: 'unmatched',
      reason: 'not_closed_out',
      replied: false,
      engagement_id: open.id,
    });
    expect(left.json().why).toContain('Olive Ops is still the client');
    expect((await checkpointsOf(open.id)).filter((t) => t.def_key.startsWith('inquiry:'))).toHaveLength(0);

    const withLead = await engagement({ playbook: 'handover-lead', closeOut: false });
    const tasked = await post(
      mailgun,
      mailgunForward({ from: `Ada Client <${withLead.email}>`, to: lead.email }),
    );
    expect(tasked.json()).toMatchObject({
      outcome: 'routed',
      assignee_user_id: a.userIds.operations,
      replied: false,
    });
    const [task] = (await checkpointsOf(withLead.id)).filter((t) => t.def_key.startsWith('inquiry:'));
    expect(task).toMatchObject({ owner_user_id: a.userIds.operations });
  });

  it('records a sender not of the account, and a message to no implementation lead, as unmatched with why', async () => {
    const e = await engagement();
    const stranger = await post(
      mailgun,
      mailgunForward({ from: 'Eve <eve@elsewhere.test>', to: lead.email }),
    );
    expect(stranger.statusCode).toBe(200);
    expect(stranger.json()).toMatchObject({
      outcome: 'unmatched',
      reason: 'sender_not_of_account',
      replied: false,
    });
    expect(stranger.json().why).toContain('eve@elsewhere.test is not a contact of the account');
    const nobody = await post(
      mailgun,
      mailgunForward({ from: `Ada Client <${e.email}>`, to: 'someone@acme.test' }),
    );
    expect(nobody.json()).toMatchObject({ outcome: 'unmatched', reason: 'no_lead_addressed' });
    const unreadable = await post(mailgun, mailgunForward({ from: 'nobody', to: lead.email }));
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.json().errors).toEqual([{ path: '/from', message: 'names no sender address' }]);

    const listed = await call(app, a.admin)('GET', '/api/v1/inquiries?outcome=unmatched');
    const reasons = listed.body.items.map((i: Json) => i.reason);
    expect(reasons).toEqual(expect.arrayContaining(['sender_not_of_account', 'no_lead_addressed']));
    expect((await call(app, a.service)('GET', '/api/v1/inquiries')).status).toBe(403);
    expect((await checkpointsOf(e.id)).filter((t) => t.def_key.startsWith('inquiry:'))).toHaveLength(0);
  });

  it('counts refusals per address and answers 429 beyond the limit, recording no more; proven requests are never counted', async () => {
    const e = await engagement();
    const message = { from: `Ada Client <${e.email}>`, to: lead.email };
    for (let i = 0; i < 8; i++)
      expect((await post(mailgun, mailgunForward(message), {}, '192.0.2.10')).statusCode).toBe(200);
    const refusedBefore = (
      await store.db.selectFrom('inquiries').select('id').where('outcome', '=', 'refused').execute()
    ).length;
    const answers: number[] = [];
    for (let i = 0; i < 7; i++)
      answers.push(
        (await post(mailgun, mailgunForward(message, { key: 'forged' }), {}, '192.0.2.10')).statusCode,
      );
    expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await post(newId(), mailgunForward(message), {}, '192.0.2.10');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    const refusedAfter = (
      await store.db.selectFrom('inquiries').select('id').where('outcome', '=', 'refused').execute()
    ).length;
    expect(refusedAfter - refusedBefore).toBe(5);
  });

  it("reads a real HTTP client's multipart (fetch and FormData) over a real port, attachment and all", async () => {
    const e = await engagement();
    // Listening now, closed with the app after the last test.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const form = new FormData();
    form.set(
      'headers',
      `From: Ada Client <${e.email}>\r\nMessage-ID: <real-port@harbor.test>\r\nTo: ${lead.email}\r\n`,
    );
    form.set('from', `Ada Client <${e.email}>`);
    form.set('to', `${lead.name} <${lead.email}>`);
    form.set('subject', 'Réglage caméra 4 — urgent');
    form.set('text', 'Bonjour, la caméra 4 ne répond plus.');
    form.set(
      'attachment1',
      new Blob([Buffer.from('%PDF-1.7 fake')], { type: 'application/pdf' }),
      'plan.pdf',
    );
    const res = await fetch(`${address}/api/v1/inbound/inquiry/${sendgrid}`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`sendgrid:${SENDGRID_SECRET}`).toString('base64')}` },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'routed', replied: true, engagement_id: e.id });
    const [task] = (await checkpointsOf(e.id)).filter((t) => t.def_key.startsWith('inquiry:'));
    expect(task?.name).toBe('Answer Ada Client: Réglage caméra 4 — urgent');
    await outbox.drain();
    const reply = outbox.smtp.mails.map(readMail).find((m) => m.subject.startsWith('Re: Réglage caméra 4'));
    expect(reply?.subject).toBe('Re: Réglage caméra 4 — urgent (your service lead is Sid Service)');
  });
});
