import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/kernel/canonical-json.js';
import { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { startOutbox } from './support/outbox.js';
import { loopbackAllowed, readMail } from './support/receivers.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

const PUBLIC_URL = 'https://baton.example.com';
const PACKET = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe.each(DIALECTS)('the client portal, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let outbox: Awaited<ReturnType<typeof startOutbox>>;
  let a: TestOrg;
  let b: TestOrg;
  let close: () => Promise<void>;
  let store: Awaited<ReturnType<typeof openTestStore>>;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store, new ManualClock('2026-03-02T10:00:00.000Z'), {
      destinations: loopbackAllowed,
    }));
    outbox = await startOutbox(deps, { linkBase: PUBLIC_URL });
    close = async () => {
      await outbox.close();
      await app.close();
      await store.close();
    };
    a = await seedOrg(deps, 'Acme Integrations');
    b = await seedOrg(deps, 'Bolt Systems');
  });
  afterAll(async () => close());

  /** An account with a contact reachable by mail, an engagement owned by service, and (optionally) a submitted handoff. */
  const engagementOf = async (org: TestOrg, options: { handoff?: boolean; name?: string } = {}) => {
    const sales = call(app, org.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: `Harbor Logistics ${Math.random()}` });
    const contact = await sales('POST', '/api/v1/contacts', {
      account_id: account.body.id,
      name: 'Ada Client',
      email: `ada.${account.body.id.slice(-6)}@harbor.test`,
      role: 'sponsor',
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const engagement = await sales('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: options.name ?? 'Close automation',
      owner_id: org.userIds.service,
    });
    expect(engagement.status, JSON.stringify(engagement.body)).toBe(201);
    let handoffId: string | null = null;
    if (options.handoff !== false) {
      const created = await sales('POST', '/api/v1/handoffs', {
        engagement_id: engagement.body.id,
        playbook: 'professional-services',
        transition: 'sales-to-delivery',
        packet: PACKET,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      handoffId = created.body.id;
      expect((await sales('POST', `/api/v1/handoffs/${handoffId}/submit`)).status).toBe(200);
    }
    return {
      engagementId: engagement.body.id as string,
      contactId: contact.body.id as string,
      email: contact.body.email as string,
      handoffId,
    };
  };

  /** The mails sent to one address since the `since`-th, read. */
  const mailsTo = (address: string, since = 0) =>
    outbox.smtp.mails
      .slice(since)
      .filter((m) => m.to.includes(address))
      .map((m) => ({ to: m.to, ...readMail(m) }));

  /** Sends a link as operations; answers the token (from the URL shown once). */
  const sendLink = async (
    org: TestOrg,
    engagementId: string,
    contactId: string,
    purpose: string,
    extra = {},
  ) => {
    const made = await call(app, org.operations)('POST', `/api/v1/engagements/${engagementId}/portal-links`, {
      contact_id: contactId,
      purpose,
      ...extra,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const url = made.body.url as string;
    expect(url.startsWith(`${PUBLIC_URL}/p/`) || url.includes('/p/')).toBe(true);
    return { token: url.slice(url.lastIndexOf('/p/') + 3), link: made.body.link as Json };
  };

  /** The client's side: no credentials, from a given address (the attempt limiter counts by it). */
  const client =
    (ip = '127.0.0.1') =>
    async (method: 'GET' | 'POST', url: string, body?: unknown) => {
      const res = await app.inject({
        method,
        url,
        remoteAddress: ip,
        ...(body !== undefined
          ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }
          : {}),
      });
      return { status: res.statusCode, body: res.json() as Json, text: res.body };
    };

  it('keeps only the SHA-256 of the token, mails the link, and lists links without it', async () => {
    const e = await engagementOf(a);
    const before = outbox.smtp.mails.length;
    const { token, link } = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toMatchObject({
      purpose: 'confirm',
      state: 'active',
      single_use: false,
      contact_name: 'Ada Client',
    });
    // 14 days by default.
    expect(Date.parse(link.expires_at) - Date.parse(link.created_at)).toBe(14 * 86_400_000);

    const row = await store.db
      .selectFrom('portal_links')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(row.token_sha256).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);

    await outbox.drain();
    const mails = mailsTo(e.email, before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual([e.email]);
    expect(mails[0]!.text).toContain(`${PUBLIC_URL}/p/${token}`);
    // Sent: the outbox row no longer holds the token; nothing in the database does.
    const jobs = await store.db.selectFrom('scheduled_jobs').select('payload').execute();
    expect(jobs.map((j) => j.payload).join('\n')).not.toContain(token);

    const listed = await call(app, a.viewer)('GET', `/api/v1/engagements/${e.engagementId}/portal-links`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((l: Json) => l.id)).toEqual([link.id]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(listed.body)).not.toContain(row.token_sha256);
    await sealAll(store);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity_id', '=', link.id)
      .execute();
    expect(audit.map((x) => x.action)).toEqual(['portal.link_created']);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('does not mail a link revoked before its mail went out, and forgets its token', async () => {
    const e = await engagementOf(a, { handoff: false });
    await outbox.drain();
    const before = outbox.smtp.mails.length;
    const { token, link } = await sendLink(a, e.engagementId, e.contactId, 'signoff');
    expect((await call(app, a.operations)('DELETE', `/api/v1/portal-links/${link.id}`)).status).toBe(200);
    await outbox.drain();
    expect(mailsTo(e.email, before)).toEqual([]);
    const jobs = await store.db.selectFrom('scheduled_jobs').select(['payload', 'status']).execute();
    expect(jobs.map((j) => j.payload).join('\n')).not.toContain(token);
    expect(jobs.filter((j) => j.status === 'dead')).toEqual([]);
  });

  it('refuses a contact of another account, an expiry beyond the maximum, and a viewer', async () => {
    const e = await engagementOf(a, { handoff: false });
    const other = await engagementOf(a, { handoff: false });
    const ops = call(app, a.operations);
    const bad = await ops('POST', `/api/v1/engagements/${e.engagementId}/portal-links`, {
      contact_id: other.contactId,
      purpose: 'signoff',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((x: Json) => x.path)).toEqual(['/contact_id']);
    const long = await ops('POST', `/api/v1/engagements/${e.engagementId}/portal-links`, {
      contact_id: e.contactId,
      purpose: 'signoff',
      expires_in_days: 31,
    });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body.errors)).toContain('expires_in_days');
    const viewer = await call(app, a.viewer)('POST', `/api/v1/engagements/${e.engagementId}/portal-links`, {
      contact_id: e.contactId,
      purpose: 'confirm',
    });
    expect(viewer.status).toBe(403);
    // Another organisation's engagement does not exist for this one.
    const foreign = await call(app, b.operations)(
      'POST',
      `/api/v1/engagements/${e.engagementId}/portal-links`,
      {
        contact_id: e.contactId,
        purpose: 'confirm',
      },
    );
    expect(foreign.status).toBe(404);
  });

  it('shows the client their engagement, its owner and what to confirm, and nothing else', async () => {
    const e = await engagementOf(a);
    await engagementOf(a, { name: 'Secret other engagement' });
    const { token } = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    const page = await client()('GET', `/api/v1/portal/${token}`);
    expect(page.status, page.text).toBe(200);
    expect(page.body).toMatchObject({
      purpose: 'confirm',
      organisation: { name: 'Acme Integrations', brand_color: null },
      engagement: { name: 'Close automation' },
      contact: { name: 'Ada Client' },
      owner: { name: 'Sid Service', email: `sid@${a.slug}.test` },
      package: null,
      survey: false,
    });
    expect(page.body.understanding.goal).toBeTruthy();
    expect(page.body.understanding.scope.length).toBeGreaterThan(0);
    const { sha256: shown, last_confirmed_at: _, ...understanding } = page.body.understanding;
    expect(shown).toBe(sha256(canonicalJson(understanding)));
    expect(page.text).not.toContain('Secret other engagement');
  });

  it('gives expired, revoked, used, unknown and foreign links one answer and no data', async () => {
    const e = await engagementOf(a);
    const expiring = await sendLink(a, e.engagementId, e.contactId, 'confirm', { expires_in_days: 1 });
    const revoked = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    const used = await sendLink(a, e.engagementId, e.contactId, 'signoff');
    const bEngagement = await engagementOf(b);
    const foreign = await sendLink(b, bEngagement.engagementId, bEngagement.contactId, 'confirm');

    const revoke = await call(app, a.operations)('DELETE', `/api/v1/portal-links/${revoked.link.id}`);
    expect(revoke.status).toBe(200);
    expect(revoke.body.state).toBe('revoked');
    expect((await call(app, a.operations)('DELETE', `/api/v1/portal-links/${revoked.link.id}`)).status).toBe(
      409,
    );
    // Another organisation cannot revoke it, or learn it exists.
    expect((await call(app, a.operations)('DELETE', `/api/v1/portal-links/${foreign.link.id}`)).status).toBe(
      404,
    );

    const page = await client('10.0.0.1')('GET', `/api/v1/portal/${used.token}`);
    expect(page.status).toBe(200);
    const signed = await client('10.0.0.1')('POST', `/api/v1/portal/${used.token}/signoff`, {
      name: 'Ada Client',
      package_sha256: page.body.package.sha256,
    });
    expect(signed.status, signed.text).toBe(200);

    // The foreign link opens B's own engagement only: its contact moved to another account, it opens nothing.
    const otherAccount = await call(app, b.sales)('POST', '/api/v1/accounts', { name: 'Elsewhere' });
    await store.db
      .updateTable('contacts')
      .set({ account_id: otherAccount.body.id })
      .where('id', '=', bEngagement.contactId)
      .execute();
    clock.advance(2 * 86_400_000);

    const answers = [];
    let ip = 20;
    for (const token of [expiring.token, revoked.token, used.token, foreign.token, 'x'.repeat(43), 'short']) {
      const res = await client(`10.0.1.${ip++}`)('GET', `/api/v1/portal/${token}`);
      answers.push(res);
      expect(res.status, token).toBe(404);
      expect(res.text).not.toContain('Close automation');
      expect(res.text).not.toContain('Ada');
      expect(res.text).not.toContain('Acme');
    }
    // One answer for every reason: nothing says which.
    expect(new Set(answers.map((r) => r.text)).size).toBe(1);
    // The actions refuse alike.
    const confirm = await client('10.0.2.1')('POST', `/api/v1/portal/${revoked.token}/confirm`, {
      differences: [],
      shown_sha256: '0'.repeat(64),
    });
    expect(confirm.status).toBe(404);
    expect(confirm.text).toBe(answers[0]!.text);
    // A link for one purpose does not do another's.
    const fresh = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    const wrong = await client('10.0.2.2')('POST', `/api/v1/portal/${fresh.token}/survey`, {
      csat: 5,
      nps: 10,
    });
    expect(wrong.status).toBe(404);

    const listed = await call(app, a.operations)('GET', `/api/v1/engagements/${e.engagementId}/portal-links`);
    const states = Object.fromEntries(listed.body.items.map((l: Json) => [l.id, l.state]));
    expect(states[expiring.link.id]).toBe('expired');
    expect(states[revoked.link.id]).toBe('revoked');
    expect(states[used.link.id]).toBe('used');
    expect(states[fresh.link.id]).toBe('active');
  });

  it('turns each difference into a question to the team on the handoff', async () => {
    const e = await engagementOf(a);
    const { token } = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    const page = await client()('GET', `/api/v1/portal/${token}`);
    const stale = await client()('POST', `/api/v1/portal/${token}/confirm`, {
      differences: [],
      shown_sha256: 'a'.repeat(64),
    });
    expect(stale.status).toBe(409);
    const blank = await client()('POST', `/api/v1/portal/${token}/confirm`, {
      differences: [{ about: 'goal', text: '   ' }],
      shown_sha256: page.body.understanding.sha256,
    });
    expect(blank.status).toBe(400);
    expect(blank.body.errors.map((x: Json) => x.path)).toEqual(['/differences/0/text']);

    const before = outbox.smtp.mails.length;
    const confirmed = await client()('POST', `/api/v1/portal/${token}/confirm`, {
      differences: [{ about: 'scope', text: 'We also expect the payroll export to be migrated.' }],
      shown_sha256: page.body.understanding.sha256,
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    const questions = await call(app, a.sales)('GET', `/api/v1/handoffs/${e.handoffId}/questions`);
    const asked = questions.body.items.find((q: Json) => q.body.includes('payroll export'));
    expect(asked).toMatchObject({ state: 'open', asked_by: `contact:${e.contactId}` });
    expect(asked.body).toContain('Ada Client understands the scope differently');
    // The senders are told, as for any question.
    await outbox.drain();
    const told = outbox.smtp.mails.slice(before).map(readMail);
    const question = told.find((m) => m.subject.startsWith('Question on'));
    expect(question?.text).toContain('The client, through the portal, asked about the packet');

    // A confirm link may be used again until it expires.
    const again = await client()('POST', `/api/v1/portal/${token}/confirm`, {
      differences: [],
      shown_sha256: page.body.understanding.sha256,
    });
    expect(again.status).toBe(200);
    const activity = await call(app, a.viewer)('GET', `/api/v1/engagements/${e.engagementId}/portal`);
    expect(activity.status).toBe(200);
    expect(activity.body.confirmations).toHaveLength(2);
    const withDifference = activity.body.confirmations.find((c: Json) => c.differences.length === 1);
    expect(withDifference.differences[0]).toMatchObject({
      about: 'scope',
      question_id: asked.id,
      handoff_id: e.handoffId,
    });
  });

  it('keeps a difference on the engagement when no handoff can take it', async () => {
    const e = await engagementOf(a, { handoff: false });
    const { token } = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    const page = await client()('GET', `/api/v1/portal/${token}`);
    const confirmed = await client()('POST', `/api/v1/portal/${token}/confirm`, {
      differences: [{ about: 'goal', text: 'Our goal is a faster month-end close, not a new ledger.' }],
      shown_sha256: page.body.understanding.sha256,
    });
    expect(confirmed.status).toBe(200);
    const activity = await call(app, a.operations)('GET', `/api/v1/engagements/${e.engagementId}/portal`);
    expect(activity.body.confirmations[0].differences[0]).toMatchObject({
      about: 'goal',
      question_id: null,
      handoff_id: null,
    });
  });

  it('records a sign-off of exactly what was shown, immutably, and shows it on the summary sheet', async () => {
    const e = await engagementOf(a);
    const { token } = await sendLink(a, e.engagementId, e.contactId, 'signoff');
    const page = await client()('GET', `/api/v1/portal/${token}`);
    expect(page.status).toBe(200);
    const pkg = page.body.package;
    expect(pkg.content.sections.map((s: Json) => s.key)).toEqual([
      'engagement',
      'goal',
      'scope',
      'promises',
      'files',
      'inventory',
      'warranties',
      'training',
    ]);
    expect(pkg.sha256).toBe(sha256(canonicalJson(pkg.content)));
    expect(
      (
        await client()('POST', `/api/v1/portal/${token}/signoff`, {
          name: 'Ada',
          package_sha256: 'b'.repeat(64),
        })
      ).status,
    ).toBe(409);

    clock.advance(60_000);
    const signed = await client()('POST', `/api/v1/portal/${token}/signoff`, {
      name: ' Ada Client ',
      package_sha256: pkg.sha256,
    });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.sha256).toBe(pkg.sha256);
    const row = await store.db
      .selectFrom('closeout_signoffs')
      .selectAll()
      .where('engagement_id', '=', e.engagementId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ signer_name: 'Ada Client', signed_at: clock.now().toISOString() });
    expect(row.package_json).toBe(canonicalJson(pkg.content));
    expect(sha256(row.package_json)).toBe(row.package_sha256);
    // Used up.
    expect((await client()('GET', `/api/v1/portal/${token}`)).status).toBe(404);
    // The database itself refuses to change or remove it.
    await expect(
      store.db
        .updateTable('closeout_signoffs')
        .set({ signer_name: 'Mallory' })
        .where('id', '=', row.id)
        .execute(),
    ).rejects.toThrow(/immutable/);
    await expect(store.db.deleteFrom('closeout_signoffs').where('id', '=', row.id).execute()).rejects.toThrow(
      /immutable/,
    );
    const sheet = await call(app, a.operations)('GET', `/api/v1/handoffs/${e.handoffId}/summary?format=md`);
    expect(sheet.status).toBe(200);
    const line = sheet.raw.body.split('\n').find((l: string) => l.includes('Client signed off'));
    expect(line).toContain('Ada Client');
    expect(line).toContain(pkg.sha256.slice(0, 16));
    const activity = await call(app, a.operations)('GET', `/api/v1/engagements/${e.engagementId}/portal`);
    expect(activity.body.signoffs).toEqual([
      expect.objectContaining({ signer_name: 'Ada Client', package_sha256: pkg.sha256 }),
    ]);
  });

  it('lets the client open the files the package shows, and no other, until the link is used', async () => {
    const e = await engagementOf(a);
    const other = await engagementOf(a, { name: 'Another site' });
    const upload = (engagementId: string, name: string, text: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/engagements/${engagementId}/files?name=${encodeURIComponent(name)}&tag=as_built`,
        headers: { authorization: `Bearer ${a.operations}`, 'content-type': 'application/pdf' },
        payload: Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`),
      });
    const first = (await upload(e.engagementId, 'As-built floor 2', 'first')).json() as Json;
    expect((await upload(e.engagementId, 'As-built floor 2', 'second')).statusCode).toBe(200);
    const foreign = (await upload(other.engagementId, 'Other drawing', 'foreign')).json() as Json;
    const { token } = await sendLink(a, e.engagementId, e.contactId, 'signoff');
    const page = await client()('GET', `/api/v1/portal/${token}`);
    const files = page.body.package.content.sections.find((s: Json) => s.key === 'files');
    expect(files.items).toEqual([
      expect.objectContaining({
        label: 'As-built drawing',
        value: 'As-built floor 2, version 2',
        file: { id: first.id, version: 2 },
      }),
    ]);
    const get = (url: string) => app.inject({ method: 'GET', url, remoteAddress: '10.9.9.9' });
    const shown = await get(`/api/v1/portal/${token}/files/${first.id}/versions/2?disposition=inline`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('application/pdf');
    expect(shown.headers['content-disposition']).toMatch(/^inline; filename="As-built floor 2\.pdf"/);
    expect(shown.body).toContain('% second');
    // Not a version the package does not show, nor another engagement's file: as a dead link.
    for (const url of [
      `/api/v1/portal/${token}/files/${first.id}/versions/1`,
      `/api/v1/portal/${token}/files/${foreign.id}/versions/1`,
    ]) {
      const refused = await get(url);
      expect(refused.statusCode, url).toBe(404);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).not.toContain('foreign');
    }
    // A link of another purpose opens no file.
    const confirm = await sendLink(a, e.engagementId, e.contactId, 'confirm');
    expect((await get(`/api/v1/portal/${confirm.token}/files/${first.id}/versions/2`)).statusCode).toBe(404);
    // Signed off, the link is used: its files close with it.
    const signed = await client()('POST', `/api/v1/portal/${token}/signoff`, {
      name: 'Ada Client',
      package_sha256: page.body.package.sha256,
    });
    expect(signed.status, signed.text).toBe(200);
    expect((await get(`/api/v1/portal/${token}/files/${first.id}/versions/2`)).statusCode).toBe(404);
  });

  it('shows the client what was installed, what is covered and who was trained, and nothing of the team only', async () => {
    const e = await engagementOf(a);
    const ops = call(app, a.operations);
    const base = `/api/v1/engagements/${e.engagementId}`;
    expect(
      (
        await ops('POST', `${base}/inventory`, {
          type: 'Camera',
          make: 'Axis',
          model: 'P3265',
          serial: 'AX-1',
          location: 'Dock 4',
          firmware_version: '11.2',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await ops('POST', `${base}/warranties`, {
          kind: 'warranty',
          provider: 'Axis',
          expires_on: '2029-03-01',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await ops('POST', `${base}/training`, {
          trainee_name: 'Rosa',
          product: 'Camera',
          trained_on: '2026-03-01',
          trainer_id: a.userIds.operations,
        })
      ).status,
    ).toBe(201);
    expect(
      (await ops('POST', `${base}/punch-items`, { title: 'Team-only task', owner_id: a.userIds.operations }))
        .status,
    ).toBe(201);
    expect((await ops('POST', `${base}/vault`, { system: 'VMS', secret: 'vault-only-s3cret' })).status).toBe(
      201,
    );
    const { token } = await sendLink(a, e.engagementId, e.contactId, 'signoff');
    const page = await client()('GET', `/api/v1/portal/${token}`);
    const section = (key: string) =>
      page.body.package.content.sections.find((s: Json) => s.key === key).items as Json[];
    expect(section('inventory')).toEqual([
      { label: 'Camera Axis P3265', value: 'serial AX-1', detail: 'Dock 4, firmware 11.2' },
    ]);
    expect(section('warranties')).toEqual([
      { label: 'Warranty: Axis', value: 'until 1 Mar 2029', detail: null },
    ]);
    expect(section('training')).toEqual([
      { label: 'Rosa', value: 'Camera', detail: 'trained on 1 Mar 2026' },
    ]);
    expect(page.text).not.toContain('Team-only task');
    expect(page.text).not.toContain('vault-only-s3cret');
    expect(page.text).not.toContain('VMS');
  });

  it('sends the survey when the engagement is closed out, reminds once, and takes one answer', async () => {
    const e = await engagementOf(a);
    const closeOut = async (engagementId: string) => {
      const closed = await call(app, a.operations)('POST', `/api/v1/engagements/${engagementId}/closeout`);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    };
    const before = outbox.smtp.mails.length;
    await closeOut(e.engagementId);
    await outbox.drain();
    const first = mailsTo(e.email, before);
    expect(first).toHaveLength(1);
    expect(first[0]!.to).toEqual([e.email]);
    expect(first[0]!.subject).toBe('How did Close automation go?');
    const token1 = /\/p\/([A-Za-z0-9_-]{43})/.exec(first[0]!.text)![1]!;

    // Nothing before the reminder is due.
    clock.advance(2 * 86_400_000);
    await outbox.drain();
    expect(mailsTo(e.email, before)).toHaveLength(1);
    clock.advance(86_400_000 + 1000);
    await outbox.drain();
    const reminder = mailsTo(e.email, before).slice(1);
    expect(reminder).toHaveLength(1);
    expect(reminder[0]!.subject).toBe('Reminder: How did Close automation go?');
    const token2 = /\/p\/([A-Za-z0-9_-]{43})/.exec(reminder[0]!.text)![1]!;
    expect(token2).not.toBe(token1);

    const page = await client()('GET', `/api/v1/portal/${token2}`);
    expect(page.body).toMatchObject({ purpose: 'survey', survey: true, understanding: null, package: null });
    const invalid = await client()('POST', `/api/v1/portal/${token2}/survey`, { csat: 6, nps: -1 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((x: Json) => x.path).sort()).toEqual(['/csat', '/nps']);
    const answered = await client()('POST', `/api/v1/portal/${token2}/survey`, {
      csat: 4,
      nps: 9,
      comment: 'Smooth.',
    });
    expect(answered.status, answered.text).toBe(200);
    // Either link is used up by the answer.
    expect((await client()('GET', `/api/v1/portal/${token1}`)).status).toBe(404);
    expect((await client()('POST', `/api/v1/portal/${token2}/survey`, { csat: 1, nps: 0 })).status).toBe(404);
    const activity = await call(app, a.operations)('GET', `/api/v1/engagements/${e.engagementId}/portal`);
    expect(activity.body.survey_responses).toEqual([
      expect.objectContaining({ csat: 4, nps: 9, comment: 'Smooth.', contact_name: 'Ada Client' }),
    ]);
    // No more mail: one reminder only.
    clock.advance(10 * 86_400_000);
    await outbox.drain();
    expect(mailsTo(e.email, before)).toHaveLength(2);
  });

  it('skips the reminder when the survey was answered', async () => {
    const e = await engagementOf(a);
    const before = outbox.smtp.mails.length;
    const closed = await call(app, a.operations)('POST', `/api/v1/engagements/${e.engagementId}/closeout`);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    await outbox.drain();
    const mail = mailsTo(e.email, before)[0]!;
    const token = /\/p\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    expect((await client()('POST', `/api/v1/portal/${token}/survey`, { csat: 5, nps: 10 })).status).toBe(200);
    clock.advance(4 * 86_400_000);
    await outbox.drain();
    expect(mailsTo(e.email, before)).toHaveLength(1);
  });

  it('counts links that open nothing per client address and refuses beyond the limit', async () => {
    const guess = client('192.0.2.77');
    const statuses = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await guess('GET', `/api/v1/portal/${'g'.repeat(42)}${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another address is not held up.
    expect((await client('192.0.2.78')('GET', `/api/v1/portal/${'g'.repeat(43)}`)).status).toBe(404);
  });
});

describe.each(DIALECTS)('the portal migration, on %s', (dialect) => {
  it('goes down and up again, the sign-offs still guarded', async () => {
    const migration = await import('../src/kernel/db/migrations/0023-portal.js');
    const store = await openTestStore(dialect);
    try {
      await migration.down(store.db);
      await migration.up(store.db);
      const tables = [
        'portal_links',
        'portal_confirmations',
        'closeout_signoffs',
        'survey_responses',
      ] as const;
      for (const table of tables) await store.db.selectFrom(table).selectAll().execute();
      const triggers =
        dialect === 'sqlite'
          ? await sql<{
              name: string;
            }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'closeout_signoffs'`.execute(
              store.db,
            )
          : await sql<{
              name: string;
            }>`SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'closeout_signoffs'::regclass AND NOT tgisinternal`.execute(
              store.db,
            );
      expect(triggers.rows.map((r) => r.name).sort()).toEqual(
        dialect === 'sqlite'
          ? ['closeout_signoffs_no_delete', 'closeout_signoffs_no_update']
          : ['closeout_signoffs_immutable', 'closeout_signoffs_no_truncate'],
      );
    } finally {
      await store.close();
    }
  });
});
