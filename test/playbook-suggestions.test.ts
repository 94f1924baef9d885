import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/kernel/clock.js';
import type { Deps } from '../src/kernel/context.js';
import type { Store } from '../src/kernel/db/dialect.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { playbookWithCheckpoints } from './support/checkpoint-playbook.js';
import { insertReviewGaps, type ReviewAnchor, reviewAnchor } from './support/review-gaps.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const PS = 'professional-services';
const T = 'sales-to-delivery';
const BASE = `/api/v1/playbooks/${PS}/suggestions`;

/**
 * Playbook suggestions over a hand-built history of 72-hour review comparisons
 * (`review_gap_facts` rows written directly, see test/support/review-gaps.ts), through the real server on both databases.
 */
describe.each(DIALECTS)('playbook suggestions from 72-hour reviews, on %s', (dialect) => {
  let store: Store;
  let app: Api;
  let deps: Deps;
  let org: TestOrg;
  let other: TestOrg;
  const anchors = new Map<string, ReviewAnchor>();

  const admin = () => call(app, org.admin);

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store));
    org = await seedOrg(deps, 'Acme Suggestions');
    other = await seedOrg(deps, 'Other Suggestions');
    for (const o of [org, other]) anchors.set(o.id, await reviewAnchor(app, store, o));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const reviewed = (o: TestOrg, field: string, reviews: number, gaps: number) =>
    insertReviewGaps(store, anchors.get(o.id)!, field, reviews, gaps);

  const versionsOf = async () =>
    (
      await store.db
        .selectFrom('playbooks')
        .select('version')
        .where('org_id', '=', org.id)
        .where('key', '=', PS)
        .execute()
    ).length;

  it('lists the reviewed fields worst first, suggesting only past 5 reviews and 30% gaps', async () => {
    const empty = await admin()('GET', BASE);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      playbook_key: PS,
      version: 1,
      thresholds: { min_reviews: 5, min_gap_rate: 0.3 },
      fields: [],
      unmatched: [],
    });
    // By hand: 2 of 5 = 40% and 2 of 6 = 33.3% cross 30%; 2 of 7 = 28.6% does not; 4 of 4 is too few reviews.
    await reviewed(org, 'promises.promises', 5, 2);
    await reviewed(org, 'scope.in_scope', 6, 2);
    await reviewed(org, 'goal.success_metric', 7, 2);
    await reviewed(org, 'people.buyer', 4, 4);
    await reviewed(org, 'goal.retired_field', 5, 5);
    // Another organisation's reviews are its own.
    await reviewed(other, 'scope.out_of_scope', 9, 9);
    const got = await admin()('GET', BASE);
    expect(got.status).toBe(200);
    expect(
      got.body.fields.map((f: Json) => [
        f.field,
        f.reviews,
        f.gaps,
        f.gap_rate.toFixed(3),
        f.suggestion?.key ?? null,
      ]),
    ).toEqual([
      ['people.buyer', 4, 4, '1.000', null],
      ['promises.promises', 5, 2, '0.400', `require:${T}.promises.promises`],
      ['scope.in_scope', 6, 2, '0.333', `prompt:${T}.scope.in_scope`],
      ['goal.success_metric', 7, 2, '0.286', null],
    ]);
    expect(got.body.fields[1]).toMatchObject({
      transition: T,
      label: 'Promises made during the sales cycle',
      section_title: 'Promises not in the contract',
      since_version: 1,
      suggestion: {
        kind: 'require',
        advice: 'Make it required',
        change: {
          pointer: '/transitions/0/sections/3/fields/0/required',
          attribute: 'required',
          from: false,
          to: true,
        },
      },
    });
    expect(got.body.unmatched).toEqual([
      { transition: T, field: 'goal.retired_field', reviews: 5, gaps: 5, gap_rate: 1 },
    ]);
    const theirs = await call(app, other.admin)('GET', BASE);
    expect(theirs.body.fields.map((f: Json) => [f.field, f.suggestion.kind])).toEqual([
      ['scope.out_of_scope', 'sharpen'],
    ]);
  });

  it('drafts version 2 with the field required, shows the diff, installs nothing until asked', async () => {
    const draft = await admin()('POST', `${BASE}/require:${T}.promises.promises/draft`, { version: 1 });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body).toMatchObject({
      suggestion_key: `require:${T}.promises.promises`,
      playbook_key: PS,
      from_version: 1,
      version: 2,
      change: { attribute: 'required', from: false, to: true },
    });
    const changes = draft.body.diff.flatMap((h: Json) =>
      h.lines.filter((l: Json) => l.op !== 'same').map((l: Json) => `${l.op} ${l.text.trim()}`),
    );
    expect(changes).toEqual(['removed version: 1', 'added version: 2', 'added required: true']);
    const promises = draft.body.definition.transitions[0].sections[3].fields[0];
    expect(promises).toMatchObject({ key: 'promises', required: true });
    expect(await versionsOf()).toBe(1);

    const installed = await admin()('POST', '/api/v1/playbooks', { source: draft.body.source });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    expect(installed.body).toMatchObject({ version: 2, installed: true });
    const latest = await admin()('GET', `/api/v1/playbooks/${PS}`);
    expect(latest.body.definition.version).toBe(2);
    expect(latest.body.definition.transitions[0].sections[3].fields[0].required).toBe(true);

    // The field's count starts afresh in version 2; the other fields' reviews still count.
    const after = await admin()('GET', BASE);
    expect(after.body.version).toBe(2);
    expect(after.body.fields.map((f: Json) => [f.field, f.since_version])).toEqual([
      ['people.buyer', 1],
      ['scope.in_scope', 1],
      ['goal.success_metric', 1],
    ]);
  });

  it('refuses a draft for a version the playbook has moved on from, an unknown suggestion and an unknown playbook', async () => {
    const stale = await admin()('POST', `${BASE}/prompt:${T}.scope.in_scope/draft`, {
      version: 1,
      prompt: 'What will the client check off first?',
    });
    expect(stale.status).toBe(409);
    expect(stale.raw.headers['content-type']).toContain('application/problem+json');
    expect(stale.body.detail).toMatch(/moved on to version 2/);
    expect(stale.body.errors).toEqual([{ path: '/version', message: 'the latest version is 2' }]);
    for (const key of [
      `require:${T}.promises.promises`,
      `require:${T}.scope.in_scope`,
      'nonsense',
      'x:y.z.w',
    ]) {
      const res = await admin()('POST', `${BASE}/${encodeURIComponent(key)}/draft`, { version: 2 });
      expect(res.status, key).toBe(404);
      expect(res.body.detail).toMatch(/suggest no change/);
    }
    const none = await admin()('POST', '/api/v1/playbooks/no-such/suggestions/x/draft', { version: 1 });
    expect(none.status).toBe(404);
    expect((await admin()('GET', '/api/v1/playbooks/no-such/suggestions')).status).toBe(404);
  });

  it('takes the prompt text for "add a prompt", checks it, and installs version 3 with it', async () => {
    const url = `${BASE}/prompt:${T}.scope.in_scope/draft`;
    const cases: [unknown, number, string][] = [
      [{ version: 2 }, 422, 'write the prompt the field should ask'],
      [{ version: 2, prompt: '   ' }, 422, 'must not be blank'],
      [{ version: 2, prompt: 'Line one\nline two' }, 422, 'must be one line, without control characters'],
      [{ version: 2, prompt: ' padded' }, 422, 'must not begin or end with spaces'],
    ];
    for (const [body, status, message] of cases) {
      const res = await admin()('POST', url, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.errors).toEqual([{ path: '/prompt', message }]);
    }
    const long = await admin()('POST', url, { version: 2, prompt: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe('/prompt');
    const extra = await admin()('POST', `${BASE}/require:${T}.people.buyer/draft`, {
      version: 2,
      prompt: 'x',
    });
    expect(extra.status).toBe(404); // 4 reviews suggest nothing

    const prompt = 'Which deliverable will the client "check off" first? # not a comment';
    const draft = await admin()('POST', url, { version: 2, prompt });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body.change).toEqual({
      pointer: '/transitions/0/sections/1/fields/0/prompt',
      attribute: 'prompt',
      from: null,
      to: null,
    });
    expect(draft.body.definition.transitions[0].sections[1].fields[0].prompt).toBe(prompt);
    const installed = await admin()('POST', '/api/v1/playbooks', { source: draft.body.source });
    expect(installed.body).toMatchObject({ version: 3, installed: true });
    const latest = await admin()('GET', `/api/v1/playbooks/${PS}`);
    expect(latest.body.definition.transitions[0].sections[1].fields[0].prompt).toBe(prompt);
    // Installing the same draft again changes nothing; drafting from it again is stale.
    expect((await admin()('POST', '/api/v1/playbooks', { source: draft.body.source })).body.installed).toBe(
      false,
    );
    expect((await admin()('POST', url, { version: 2, prompt })).status).toBe(409);
  });

  it('is for admins only', async () => {
    for (const role of ['sales', 'operations', 'service', 'viewer'] as const) {
      const res = await call(app, org[role])('GET', BASE);
      expect(res.status, role).toBe(403);
      const draft = await call(app, org[role])('POST', `${BASE}/prompt:${T}.scope.in_scope/draft`, {
        version: 3,
      });
      expect(draft.status, role).toBe(403);
    }
    expect((await call(app, null)('GET', BASE)).status).toBe(401);
  });
});

describe.each(DIALECTS)(
  'playbook suggestions from follow-up reviews completed through the API, on %s',
  (dialect) => {
    let store: Store;
    let app: Api;
    let org: TestOrg;
    let clock: ManualClock;

    beforeAll(async () => {
      store = await openTestStore(dialect);
      let deps: Deps;
      ({ app, deps, clock } = await testApp(store));
      org = await seedOrg(deps, 'Acme Reviews');
    });
    afterAll(async () => {
      await app.close();
      await store.close();
    });

    it('turns five completed reviews, two with a gap in an optional field, into "make it required" and version 2', async () => {
      const admin = call(app, org.admin);
      const sales = call(app, org.sales);
      const ops = call(app, org.operations);
      const source = playbookWithCheckpoints(
        [
          '      - key: look_back',
          '        name: 72-hour review',
          '        kind: follow_up_review',
          '        due: 72 hours after accepted',
          '        compare: [basics.goal]',
          '        gap_categories: [incomplete]',
          '',
        ].join('\n'),
        'reviewed',
      );
      expect((await admin('POST', '/api/v1/playbooks', { source })).status).toBe(201);
      const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor' });
      const reviews: string[] = [];
      for (let i = 0; i < 5; i++) {
        const engagement = await sales('POST', '/api/v1/engagements', {
          account_id: account.body.id,
          name: `Site ${i}`,
        });
        const handoff = await sales('POST', '/api/v1/handoffs', {
          engagement_id: engagement.body.id,
          playbook: 'reviewed',
          transition: 'sales-to-ops',
          packet: { basics: { goal: 'Faster close' } },
        });
        expect((await sales('POST', `/api/v1/handoffs/${handoff.body.id}/submit`)).status).toBe(200);
        expect((await ops('POST', `/api/v1/handoffs/${handoff.body.id}/accept`)).status).toBe(200);
        const review = (
          await ops('GET', `/api/v1/checkpoints?handoff_id=${handoff.body.id}`)
        ).body.items.find((c: Json) => c.kind === 'follow_up_review');
        reviews.push(review.id);
      }
      // A look back: its window opens some days after acceptance.
      clock.set(new Date(clock.now().getTime() + 10 * 86_400_000));
      for (const [i, id] of reviews.entries()) {
        const gap = i < 2;
        const done = await ops('POST', `/api/v1/checkpoints/${id}/complete`, {
          outcome: {
            comparisons: [
              {
                field: 'basics.goal',
                experienced: gap ? 'They meant a faster audit' : 'As described',
                gap,
                ...(gap ? { category: 'incomplete' } : {}),
              },
            ],
          },
        });
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
      const got = await admin('GET', '/api/v1/playbooks/reviewed/suggestions');
      expect(got.body.fields).toEqual([
        expect.objectContaining({
          transition: 'sales-to-ops',
          field: 'basics.goal',
          reviews: 5,
          gaps: 2,
          gap_rate: 0.4,
          suggestion: expect.objectContaining({ key: 'require:sales-to-ops.basics.goal', kind: 'require' }),
        }),
      ]);
      const draft = await admin(
        'POST',
        '/api/v1/playbooks/reviewed/suggestions/require:sales-to-ops.basics.goal/draft',
        {
          version: 1,
        },
      );
      expect(draft.status, JSON.stringify(draft.body)).toBe(200);
      const installed = await admin('POST', '/api/v1/playbooks', { source: draft.body.source });
      expect(installed.body).toMatchObject({ version: 2, installed: true });
      const latest = await admin('GET', '/api/v1/playbooks/reviewed');
      expect(latest.body.definition.transitions[0].sections[0].fields[0]).toMatchObject({
        key: 'goal',
        required: true,
      });
    });
  },
);
