import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, seedOrg, type TestOrg } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { readMail } from './support/receivers.js';
import { type ScheduledApp, scheduledApp } from './support/scheduled-app.js';
import { DIALECTS, sealedAuditOf } from './support/stores.js';

const DAY_MS = 86_400_000;

describe.each(DIALECTS)('signals and quiet accounts, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let smtp: ScheduledApp['smtp'];
  let drain: () => Promise<void>;
  let close: () => Promise<void>;
  let org: TestOrg;
  let other: TestOrg;
  let accountId: string;
  let engagementId: string;
  let otherAccountId: string;

  beforeAll(async () => {
    ({ app, deps, clock, smtp, drain, close } = await scheduledApp(dialect, '2026-03-02T10:00:00.000Z'));
    org = await seedOrg(deps, 'Acme Signals');
    other = await seedOrg(deps, 'Other Signals');
    const sales = call(app, org.sales);
    const account = await sales('POST', '/api/v1/accounts', {
      name: 'Harbor Logistics',
      external_ids: { salesforce: '001HARBOR' },
    });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    accountId = account.body.id;
    const engagement = await sales('POST', '/api/v1/engagements', {
      account_id: accountId,
      name: 'Harbor rollout',
      owner_id: org.userIds.operations,
    });
    expect(engagement.status, JSON.stringify(engagement.body)).toBe(201);
    engagementId = engagement.body.id;
    const handoff = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet: EXAMPLE_PACKETS['professional-services']!['sales-to-delivery'],
    });
    expect((await sales('POST', `/api/v1/handoffs/${handoff.body.id}/submit`)).status).toBe(200);
    const theirs = await call(app, other.sales)('POST', '/api/v1/accounts', { name: 'Theirs' });
    otherAccountId = theirs.body.id;
  });
  afterAll(async () => close());

  const post = (token: string, signals: unknown[]) =>
    call(app, token)('POST', '/api/v1/signals', { signals });
  const usage = (eventId: string, at: string, extra: object = {}) => ({
    event_id: eventId,
    account_id: accountId,
    kind: 'usage',
    at,
    value: 3,
    ...extra,
  });

  it('stores a batch once: a replay counts every signal as a duplicate and changes nothing', async () => {
    const batch = [
      usage('u-1', '2026-03-01T09:00:00Z', { feature: 'routes' }),
      {
        event_id: 's-1',
        account_external_id: 'Salesforce:001HARBOR',
        kind: 'support',
        at: '2026-03-01T10:00:00Z',
        csat: 4,
      },
      usage('u-1', '2026-03-01T09:00:00Z'),
    ];
    const first = await post(org.operations, batch);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ accepted: 2, duplicates: 1 });
    const again = await post(org.operations, batch);
    expect(again.body).toEqual({ accepted: 0, duplicates: 3 });
    const listed = await call(app, org.viewer)('GET', `/api/v1/accounts/${accountId}/signals`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s: { event_id: string }) => s.event_id)).toEqual(['s-1', 'u-1']);
    expect(listed.body.items[0]).toMatchObject({ kind: 'support', csat: 4, account_id: accountId });
    expect(listed.body.items[1]).toMatchObject({ kind: 'usage', value: 3, feature: 'routes' });
    const support = await call(app, org.viewer)('GET', `/api/v1/accounts/${accountId}/signals?kind=support`);
    expect(support.body.items).toHaveLength(1);
  });

  it('takes 5,000 signals in one request', async () => {
    const batch = Array.from({ length: 5000 }, (_, i) =>
      usage(`bulk-${i}`, new Date(Date.parse('2026-02-01T00:00:00Z') + i * 60_000).toISOString(), {
        feature: `feature-${i % 7}`,
      }),
    );
    const started = performance.now();
    const res = await post(org.operations, batch);
    const ms = performance.now() - started;
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    expect(res.body).toEqual({ accepted: 5000, duplicates: 0 });
    const replay = await post(org.operations, batch);
    expect(replay.body).toEqual({ accepted: 0, duplicates: 5000 });
    // A figure for the report, not a claim the test makes.
    console.log(`[signals bench] ${dialect}: 5,000 signals in ${ms.toFixed(0)} ms`);
    const count = await deps.store.db
      .selectFrom('signals')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', org.id)
      .where('event_id', 'like', 'bulk-%')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5000);
    const tooMany = await post(org.operations, [...batch, usage('bulk-5000', '2026-02-01T00:00:00Z')]);
    expect(tooMany.status).toBe(400);
  });

  it('refuses a batch with bad items whole, naming every one, and stores none of it', async () => {
    const malformed = await post(org.operations, [
      usage('ok-1', '2026-03-01T09:00:00Z'),
      { event_id: 'bad-kind', account_id: accountId, kind: 'gossip', at: '2026-03-01T09:00:00Z' },
      { event_id: 'bad-at', account_id: accountId, kind: 'usage', at: 'yesterday' },
      usage('bad-csat', '2026-03-01T09:00:00Z', { csat: 9 }),
    ]);
    expect(malformed.status).toBe(400);
    expect(malformed.raw.headers['content-type']).toContain('application/problem+json');
    const paths = malformed.body.errors.map((e: { path: string }) => e.path).join(' ');
    for (const p of ['/signals/1/kind', '/signals/2/at', '/signals/3/csat']) expect(paths).toContain(p);

    const unknown = await post(org.operations, [
      usage('ok-2', '2026-03-01T09:00:00Z'),
      { event_id: 'theirs', account_id: otherAccountId, kind: 'usage', at: '2026-03-01T09:00:00Z' },
      {
        event_id: 'no-ext',
        account_external_id: 'salesforce:NOPE',
        kind: 'usage',
        at: '2026-03-01T09:00:00Z',
      },
      {
        event_id: 'both',
        account_id: accountId,
        account_external_id: 'salesforce:001HARBOR',
        kind: 'usage',
        at: '2026-03-01T09:00:00Z',
      },
      { event_id: 'neither', kind: 'usage', at: '2026-03-01T09:00:00Z' },
    ]);
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(422);
    expect(unknown.raw.headers['content-type']).toContain('application/problem+json');
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/signals/1/account_id',
      '/signals/2/account_external_id',
      '/signals/3',
      '/signals/4',
    ]);
    const stored = await deps.store.db
      .selectFrom('signals')
      .select('event_id')
      .where('event_id', 'in', ['ok-1', 'ok-2', 'theirs'])
      .execute();
    expect(stored).toEqual([]);
  });

  it("keeps each organisation's signals to itself", async () => {
    const theirs = await call(app, other.admin)('GET', `/api/v1/accounts/${accountId}/signals`);
    expect(theirs.status).toBe(404);
    // The same event id in another organisation is a different event.
    const own = await call(app, other.sales)('POST', '/api/v1/signals', {
      signals: [{ event_id: 'u-1', account_id: otherAccountId, kind: 'usage', at: '2026-03-01T09:00:00Z' }],
    });
    expect(own.body).toEqual({ accepted: 1, duplicates: 0 });
    expect((await post(org.viewer, [usage('v-1', '2026-03-01T09:00:00Z')])).status).toBe(403);
  });

  it('lets only an admin set the quiet threshold', async () => {
    expect((await call(app, org.viewer)('GET', '/api/v1/signal-settings')).body).toEqual({ quiet_days: 30 });
    expect(
      (await call(app, org.operations)('PUT', '/api/v1/signal-settings', { quiet_days: 10 })).status,
    ).toBe(403);
    expect((await call(app, org.admin)('PUT', '/api/v1/signal-settings', { quiet_days: 0 })).status).toBe(
      400,
    );
    const set = await call(app, org.admin)('PUT', '/api/v1/signal-settings', { quiet_days: 20 });
    expect(set.status).toBe(200);
    expect((await call(app, org.viewer)('GET', '/api/v1/signal-settings')).body).toEqual({ quiet_days: 20 });
    const audit = await sealedAuditOf(deps.store, org.id);
    expect(
      audit.filter((e) => e.action === 'signal_settings.updated').map((e) => JSON.parse(e.after!)),
    ).toEqual([{ quiet_days: 20 }]);
  });

  it('tells the owner once per quiet spell, by e-mail, after go-live', async () => {
    const quietMails = () =>
      smtp.mails.filter((m) => readMail(m).subject.includes('Quiet account: Harbor Logistics'));
    // Not live yet: no silence counts, however long.
    clock.set('2026-04-10T07:00:00.000Z');
    await drain();
    expect(quietMails()).toHaveLength(0);
    // Go-live: the engagement's closeout.
    const closed = await call(app, org.operations)('POST', `/api/v1/engagements/${engagementId}/closeout`);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    // 19 days after go-live, with the threshold at 20: not quiet yet.
    clock.set('2026-04-29T07:00:00.000Z');
    await drain();
    expect(quietMails()).toHaveLength(0);
    clock.set('2026-04-30T07:00:00.000Z');
    await drain();
    expect(quietMails()).toHaveLength(1);
    const mail = quietMails()[0]!;
    expect(mail.to).toEqual([`olive@${org.slug}.test`]);
    expect(readMail(mail).text).toContain('no usage signal since 2026-04-10T07:00:00.000Z');
    // Still quiet the days after: not told again.
    for (const day of ['2026-05-01', '2026-05-02', '2026-05-05']) {
      clock.set(`${day}T07:00:00.000Z`);
      await drain();
    }
    expect(quietMails()).toHaveLength(1);
    // Used again, then silent for 20 days: a new spell, told once more.
    const back = await post(org.operations, [usage('back-1', '2026-05-05T06:30:00.000Z')]);
    expect(back.body).toEqual({ accepted: 1, duplicates: 0 });
    clock.set(new Date(Date.parse('2026-05-05T06:30:00.000Z') + 19 * DAY_MS + 3 * 3_600_000).toISOString());
    await drain();
    expect(quietMails()).toHaveLength(1);
    clock.set('2026-05-26T07:00:00.000Z');
    await drain();
    expect(quietMails()).toHaveLength(2);
    clock.set('2026-05-27T07:00:00.000Z');
    await drain();
    expect(quietMails()).toHaveLength(2);
    const audit = await sealedAuditOf(deps.store, accountId);
    expect(audit.filter((e) => e.action === 'account.went_quiet').map((e) => JSON.parse(e.after!))).toEqual([
      { quiet_since: '2026-04-10T07:00:00.000Z', quiet_days: 20, owner_user_id: org.userIds.operations },
      { quiet_since: '2026-05-05T06:30:00.000Z', quiet_days: 20, owner_user_id: org.userIds.operations },
    ]);
    const notices = await call(app, org.operations)('GET', '/api/v1/notifications');
    expect(notices.body.items.filter((n: { kind: string }) => n.kind === 'account_quiet')).toHaveLength(2);
  });
});
