import { describe, expect, it } from 'vitest';
import { inquiryRuleOf } from '../../playbooks/domain/after-closeout.js';
import { readInquiryMail } from './inquiry-mail.js';
import { type Candidate, routeInquiry } from './inquiry-routing.js';
import { verifyBasic, verifyMailgun } from './inquiry-signature.js';

/** The signed values of the Mailgun fixture (shared/fixtures/integrations/email/…README.txt). */
const MAILGUN = new Map([
  ['timestamp', '1719590400'],
  ['token', 'd0a1c9f6e2b84e5f9a7c3b1d5e8f0a2c4b6d8e0f1a3c5e7b9d'],
  ['signature', 'a3ef69a986cf91215e9807131d5fa927262c912c56aa8910f2c05358c4d135f9'],
]);
const SIGNED_AT = new Date(1719590400 * 1000);

describe("the e-mail providers' proofs", () => {
  it("verifies the Mailgun fixture's signature with its key, and nothing else", () => {
    const ok = verifyMailgun(MAILGUN, 'key-fake-webhook-signing-key-0000', SIGNED_AT);
    expect(ok).toEqual({ ok: true, tokenSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(verifyMailgun(MAILGUN, 'key-other', SIGNED_AT)).toMatchObject({
      ok: false,
      problem: { path: '/signature' },
    });
    const tampered = new Map(MAILGUN).set('token', `${MAILGUN.get('token')}0`);
    expect(verifyMailgun(tampered, 'key-fake-webhook-signing-key-0000', SIGNED_AT).ok).toBe(false);
    const late = new Date(SIGNED_AT.getTime() + 86_401_000);
    expect(verifyMailgun(MAILGUN, 'key-fake-webhook-signing-key-0000', late)).toMatchObject({
      ok: false,
      problem: { path: '/timestamp' },
    });
    expect(verifyMailgun(new Map(), 'k', SIGNED_AT)).toMatchObject({
      ok: false,
      problem: { path: '/signature' },
    });
  });

  it('checks Basic credentials by the password, and the user when one is set', () => {
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
    expect(verifyBasic(basic('any', 's3cret'), 's3cret').ok).toBe(true);
    expect(verifyBasic(basic('sendgrid', 's3cret'), 's3cret', 'sendgrid').ok).toBe(true);
    expect(verifyBasic(basic('other', 's3cret'), 's3cret', 'sendgrid').ok).toBe(false);
    expect(verifyBasic(basic('any', 'wrong'), 's3cret').ok).toBe(false);
    expect(verifyBasic(undefined, 's3cret').ok).toBe(false);
    expect(verifyBasic('Bearer x', 's3cret').ok).toBe(false);
  });
});

describe('reading an inbound-parse e-mail', () => {
  it('reads the SendGrid fixture: sender, every recipient, Message-ID from the headers', () => {
    const read = readInquiryMail(
      'sendgrid',
      new Map([
        [
          'headers',
          'MIME-Version: 1.0\nFrom: Sender Name <example@example.com>\nMessage-ID: <CAN_P_JMvV7ZpAQhOnDienypLrJmuhN=LQWweu4yScw4jQyXY2w@mail.gmail.com>\nSubject: Re: Acme - 400 Widgets handoff\nTo: handoff@parse.example.test\n',
        ],
        ['to', 'handoff@parse.example.test'],
        ['from', 'Sender Name <example@example.com>'],
        ['text', 'Deal is closed-won, please start onboarding.\n'],
        ['envelope', '{"to":["handoff@parse.example.test"],"from":"example@example.com"}'],
        ['subject', 'Re: Acme - 400 Widgets handoff'],
      ]),
    );
    expect(read).toEqual({
      ok: true,
      mail: {
        messageId: '<CAN_P_JMvV7ZpAQhOnDienypLrJmuhN=LQWweu4yScw4jQyXY2w@mail.gmail.com>',
        from: { name: 'Sender Name', email: 'example@example.com' },
        recipients: ['handoff@parse.example.test'],
        subject: 'Re: Acme - 400 Widgets handoff',
        text: 'Deal is closed-won, please start onboarding.\n',
        automatic: false,
      },
    });
  });

  it('reads the Mailgun fixture, tells an automatic message, and names what is missing', () => {
    const fields = new Map([
      ['recipient', 'handoff@mg.example.test'],
      ['sender', 'bob@example.com'],
      ['from', 'Bob <bob@example.com>'],
      ['subject', 'Re: Acme - 400 Widgets handoff'],
      ['stripped-text', 'Deal is closed-won, please start onboarding.'],
      [
        'message-headers',
        '[["From", "Bob <bob@example.com>"], ["To", "Handoff <handoff@mg.example.test>, \\"Lee, Lead\\" <lee@vendor.test>"], ["Message-Id", "<20240628160000.1234.abcd@example.com>"], ["Auto-Submitted", "auto-replied"]]',
      ],
      ['Message-Id', '<20240628160000.1234.abcd@example.com>'],
    ]);
    const read = readInquiryMail('mailgun', fields);
    expect(read.ok && read.mail).toMatchObject({
      messageId: '<20240628160000.1234.abcd@example.com>',
      from: { name: 'Bob', email: 'bob@example.com' },
      recipients: ['handoff@mg.example.test', 'lee@vendor.test'],
      automatic: true,
    });
    const missing = readInquiryMail('mailgun', new Map([['subject', 'x']]));
    expect(missing).toEqual({
      ok: false,
      problems: [
        { path: '/from', message: 'names no sender address' },
        { path: '/to', message: 'names no recipient address' },
      ],
    });
    const noId = readInquiryMail(
      'mailgun',
      new Map([
        ['from', 'a@b.test'],
        ['recipient', 'c@d.test'],
      ]),
    );
    expect(noId.ok && noId.mail.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('routing an inquiry', () => {
  const mail = {
    messageId: '<m@x>',
    from: { name: 'Ada', email: 'ada@harbor.test' },
    recipients: ['lee@vendor.test'],
    subject: 'Help',
    text: 'Help',
    automatic: false,
  };
  const lead = { id: 'u-lee', name: 'Lee Lead', email: 'lee@vendor.test' };
  const sid = { id: 'u-sid', name: 'Sid', email: 'sid@vendor.test' };
  const candidate = (over: Partial<Candidate> = {}): Candidate => ({
    engagementId: 'e1',
    engagementName: 'Harbor',
    createdAt: '2026-01-01T00:00:00.000Z',
    closedOutAt: '2026-02-01T00:00:00.000Z',
    lead,
    serviceOwner: sid,
    handoff: { id: 'h1', sendingTeamId: 't-ops', receivingTeamId: 't-svc' },
    rule: inquiryRuleOf({ replyText: 'Hi' }),
    contacts: [{ name: 'Ada Client', email: 'Ada@Harbor.test' }],
    ...over,
  });

  it('routes to the service owner after closeout, and to no one else', () => {
    const routed = routeInquiry(mail, [candidate()]);
    expect(routed).toMatchObject({
      outcome: 'routed',
      assignee: sid,
      ownerTeamId: 't-svc',
      reply: true,
      client: { name: 'Ada Client', email: 'ada@harbor.test' },
    });
    expect(routeInquiry(mail, [])).toMatchObject({ outcome: 'unmatched', reason: 'no_lead_addressed' });
    expect(routeInquiry(mail, [candidate({ serviceOwner: null })])).toMatchObject({
      reason: 'no_service_owner',
    });
    expect(routeInquiry(mail, [candidate({ rule: null })])).toMatchObject({ reason: 'no_rule' });
    expect(routeInquiry(mail, [candidate({ handoff: null })])).toMatchObject({ reason: 'no_rule' });
    expect(routeInquiry(mail, [candidate({ closedOutAt: null })])).toMatchObject({
      reason: 'not_closed_out',
    });
  });

  it("matches a colleague at the contacts' domain only when the playbook says account_domain", () => {
    const colleague = { ...mail, from: { name: 'Bo', email: 'bo@harbor.test' } };
    expect(routeInquiry(colleague, [candidate()])).toMatchObject({ reason: 'sender_not_of_account' });
    const byDomain = candidate({ rule: inquiryRuleOf({ replyText: 'Hi', senders: 'account_domain' }) });
    expect(routeInquiry(colleague, [byDomain])).toMatchObject({ outcome: 'routed', client: { name: 'Bo' } });
  });

  it('picks the engagement closed out most recently among those of the account', () => {
    const older = candidate({ engagementId: 'e-old', closedOutAt: '2025-01-01T00:00:00.000Z' });
    const open = candidate({
      engagementId: 'e-open',
      closedOutAt: null,
      createdAt: '2026-03-01T00:00:00.000Z',
    });
    const newer = candidate({ engagementId: 'e-new', closedOutAt: '2026-02-15T00:00:00.000Z' });
    const routed = routeInquiry(mail, [older, open, newer]);
    expect(routed.outcome === 'routed' && routed.candidate.engagementId).toBe('e-new');
  });
});
