import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, seedOrg, type TestOrg, testApp } from '../../test/support/app.js';
import { DIALECTS, openTestStore, sealedAuditOf } from '../../test/support/stores.js';
import type { ManualClock } from '../kernel/clock.js';
import type { Deps } from '../kernel/context.js';
import type { Api } from '../kernel/http/build-app.js';

const paths = (body: Json): string[] => (body.errors ?? []).map((e: { path: string }) => e.path).sort();

const LADDER = {
  goal: 'Close the books in five days',
  metric: 'Days to close',
  ultimate_objective: 'A 5-day close',
  earliest_signal: 'Unattended reconciliation in week 3',
  minimum_outcome: 'A 7-day close',
  early_win: 'First automated report by day 30',
};

describe.each(DIALECTS)('promises, scope and the success ladder on %s', (dialect) => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let app: Api;
  let deps: Deps;
  let clock: ManualClock;
  let orgA: TestOrg;
  let orgB: TestOrg;
  let engagementId: string;
  let otherEngagementId: string;
  let handoffId: string;
  let otherHandoffId: string;

  const v1 = (path: string) => `/api/v1${path}`;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    ({ app, deps, clock } = await testApp(store));
    orgA = await seedOrg(deps, 'Acme');
    orgB = await seedOrg(deps, 'Other Co');
    const sales = call(app, orgA.sales);
    const account = await sales('POST', v1('/accounts'), { name: 'Harbor Logistics' });
    const engagement = await sales('POST', v1('/engagements'), {
      account_id: account.body.id,
      name: 'Close automation',
    });
    const other = await sales('POST', v1('/engagements'), {
      account_id: account.body.id,
      name: 'Another project',
    });
    engagementId = engagement.body.id;
    otherEngagementId = other.body.id;
    const open = async (engagement: string) => {
      const res = await sales('POST', v1('/handoffs'), {
        engagement_id: engagement,
        playbook: 'professional-services',
        transition: 'sales-to-delivery',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    handoffId = await open(engagementId);
    otherHandoffId = await open(otherEngagementId);
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const auditOf = (entityId: string) => sealedAuditOf(store, entityId);

  const recordPromise = async (body: Record<string, unknown>, engagement = engagementId) => {
    const res = await call(app, orgA.sales)('POST', v1(`/engagements/${engagement}/promises`), body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  describe('promises', () => {
    it('records, lists by engagement, handoff and status, and edits promises', async () => {
      const sales = call(app, orgA.sales);
      const weekly = await recordPromise({
        text: ' Weekly call in month one ',
        made_by: 'Sam',
        in_contract: false,
      });
      expect(weekly).toMatchObject({
        engagement_id: engagementId,
        handoff_id: null,
        text: 'Weekly call in month one',
        made_by: 'Sam',
        in_contract: false,
        status: 'open',
        status_note: null,
      });
      clock.advance(1000);
      const sla = await recordPromise({
        text: '4-hour response SLA',
        made_by: 'Contract',
        in_contract: true,
        handoff_id: handoffId,
      });
      expect(sla).toMatchObject({ handoff_id: handoffId, in_contract: true });

      const all = await sales('GET', v1(`/engagements/${engagementId}/promises`));
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(2);
      expect(all.body.items.map((p: Json) => p.id)).toEqual([weekly.id, sla.id]);
      const carried = await sales('GET', v1(`/handoffs/${handoffId}/promises`));
      expect(carried.body).toEqual({ items: [sla], total: 1 });
      expect((await sales('GET', v1(`/handoffs/${otherHandoffId}/promises`))).body).toEqual({
        items: [],
        total: 0,
      });

      const edited = await sales('PATCH', v1(`/promises/${weekly.id}`), {
        text: 'Weekly call for six weeks',
        in_contract: true,
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        text: 'Weekly call for six weeks',
        in_contract: true,
        made_by: 'Sam',
      });

      await sales('PATCH', v1(`/promises/${sla.id}`), { status: 'kept' });
      const kept = await sales('GET', v1(`/engagements/${engagementId}/promises?status=kept`));
      expect(kept.body.items.map((p: Json) => p.id)).toEqual([sla.id]);
      const open = await sales('GET', v1(`/handoffs/${handoffId}/promises?status=open`));
      expect(open.body.total).toBe(0);
      const bad = await sales('GET', v1(`/engagements/${engagementId}/promises?status=forgotten`));
      expect(bad.status).toBe(400);
      expect(paths(bad.body)).toEqual(['/querystring/status']);

      const entries = await auditOf(weekly.id);
      expect(entries.map((e) => e.action)).toEqual(['promise.recorded', 'promise.updated']);
      expect(entries.every((e) => e.engagement_id === engagementId && e.handoff_id === null)).toBe(true);
      expect(JSON.parse(entries[1]!.before!)).toEqual({
        text: 'Weekly call in month one',
        in_contract: false,
      });
      expect(JSON.parse(entries[1]!.after!)).toEqual({
        text: 'Weekly call for six weeks',
        in_contract: true,
      });
      const slaEntries = await auditOf(sla.id);
      expect(slaEntries.every((e) => e.engagement_id === engagementId && e.handoff_id === handoffId)).toBe(
        true,
      );
    });

    it('needs a status note to become broken or renegotiated', async () => {
      const sales = call(app, orgA.sales);
      const p = await recordPromise({ text: 'Training for ten staff', made_by: 'Dana', in_contract: true });
      const patch = (body: unknown) => sales('PATCH', v1(`/promises/${p.id}`), body);

      const noNote = await patch({ status: 'broken' });
      expect(noNote.status).toBe(400);
      expect(paths(noNote.body)).toEqual(['/status_note']);
      const blankNote = await patch({ status: 'renegotiated', status_note: '   ' });
      expect(blankNote.status).toBe(400);
      expect(paths(blankNote.body)).toEqual(['/status_note']);
      // Nothing changed.
      expect(
        (await sales('GET', v1(`/engagements/${engagementId}/promises?status=open`))).body.items.map(
          (x: Json) => x.id,
        ),
      ).toContain(p.id);

      const broken = await patch({ status: 'broken', status_note: 'Only six staff were trained' });
      expect(broken.status).toBe(200);
      expect(broken.body).toMatchObject({ status: 'broken', status_note: 'Only six staff were trained' });
      // The note may be reworded but not removed while the promise is broken.
      expect((await patch({ status_note: 'Six of ten trained; four rescheduled' })).body.status_note).toBe(
        'Six of ten trained; four rescheduled',
      );
      const cleared = await patch({ status_note: null });
      expect(cleared.status).toBe(400);
      expect(paths(cleared.body)).toEqual(['/status_note']);
      // A new bad status needs its own note.
      const renegotiatedNoNote = await patch({ status: 'renegotiated' });
      expect(renegotiatedNoNote.status).toBe(400);
      const renegotiated = await patch({
        status: 'renegotiated',
        status_note: 'Four more in March, agreed with Dana',
      });
      expect(renegotiated.body).toMatchObject({
        status: 'renegotiated',
        status_note: 'Four more in March, agreed with Dana',
      });
      // Kept needs no note, and the old one no longer applies.
      const kept = await patch({ status: 'kept' });
      expect(kept.body).toMatchObject({ status: 'kept', status_note: null });
      const keptWithNote = await patch({ status: 'open', status_note: 'Reopened: two left early' });
      expect(keptWithNote.body).toMatchObject({ status: 'open', status_note: 'Reopened: two left early' });

      const invalid = await patch({ status: 'forgotten', in_contract: 'yes', text: '', colour: 1 });
      expect(invalid.status).toBe(400);
      expect(paths(invalid.body)).toEqual(['/colour', '/in_contract', '/status', '/text']);

      const entries = await auditOf(p.id);
      expect(entries.map((e) => e.action)).toEqual([
        'promise.recorded',
        'promise.updated',
        'promise.updated',
        'promise.updated',
        'promise.updated',
        'promise.updated',
      ]);
      expect(JSON.parse(entries[1]!.after!)).toEqual({
        status: 'broken',
        status_note: 'Only six staff were trained',
      });
      expect(JSON.parse(entries[4]!.before!)).toEqual({
        status: 'renegotiated',
        status_note: 'Four more in March, agreed with Dana',
      });
    });

    it('lists every problem with a new promise at once', async () => {
      const sales = call(app, orgA.sales);
      const typed = await sales('POST', v1(`/engagements/${engagementId}/promises`), {
        text: 12,
        in_contract: 'yes',
        promised: true,
      });
      expect(typed.status).toBe(400);
      expect(paths(typed.body)).toEqual(['/in_contract', '/made_by', '/promised', '/text']);

      for (const handoff of [otherHandoffId, randomUUID(), 'nope']) {
        const res = await sales('POST', v1(`/engagements/${engagementId}/promises`), {
          text: '  ',
          made_by: ' ',
          in_contract: false,
          handoff_id: handoff,
        });
        expect(res.status).toBe(400);
        expect(paths(res.body)).toEqual(['/handoff_id', '/made_by', '/text']);
      }
      const unknown = await sales('POST', v1(`/engagements/${randomUUID()}/promises`), {
        text: 'x',
        made_by: 'y',
        in_contract: false,
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe('scope items', () => {
    it('adds, lists, edits and removes scope items, auditing the removal', async () => {
      const sales = call(app, orgA.sales);
      const add = (body: unknown) => sales('POST', v1(`/engagements/${otherEngagementId}/scope-items`), body);
      const gl = await add({ kind: 'in', description: 'GL integration', handoff_id: otherHandoffId });
      expect(gl.status).toBe(201);
      expect(gl.body).toMatchObject({
        engagement_id: otherEngagementId,
        handoff_id: otherHandoffId,
        kind: 'in',
        description: 'GL integration',
      });
      clock.advance(1000);
      const payroll = await add({ kind: 'out', description: 'Payroll' });
      const bank = await add({ kind: 'in', description: 'Bank reconciliation' });
      expect([payroll.status, bank.status]).toEqual([201, 201]);

      const all = await sales('GET', v1(`/engagements/${otherEngagementId}/scope-items`));
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((s: Json) => s.description)).toEqual([
        'GL integration',
        'Bank reconciliation',
        'Payroll',
      ]);
      const out = await sales('GET', v1(`/engagements/${otherEngagementId}/scope-items?kind=out`));
      expect(out.body.items.map((s: Json) => s.id)).toEqual([payroll.body.id]);
      const carried = await sales('GET', v1(`/handoffs/${otherHandoffId}/scope-items`));
      expect(carried.body).toEqual({ items: [gl.body], total: 1 });

      // The same work cannot be listed twice, in or out.
      const twin = await add({ kind: 'out', description: '  gl   INTEGRATION ' });
      expect(twin.status).toBe(409);
      expect(twin.body.type).toBe('/problems/conflict');
      const renamedToTwin = await sales('PATCH', v1(`/scope-items/${bank.body.id}`), {
        description: 'payroll',
      });
      expect(renamedToTwin.status).toBe(409);

      const moved = await sales('PATCH', v1(`/scope-items/${payroll.body.id}`), {
        kind: 'in',
        description: 'Payroll, phase 2',
      });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ kind: 'in', description: 'Payroll, phase 2' });

      const removed = await sales('DELETE', v1(`/scope-items/${bank.body.id}`));
      expect(removed.status).toBe(204);
      expect(removed.raw.body).toBe('');
      expect((await sales('DELETE', v1(`/scope-items/${bank.body.id}`))).status).toBe(404);
      expect((await sales('PATCH', v1(`/scope-items/${bank.body.id}`), { kind: 'out' })).status).toBe(404);
      expect((await sales('GET', v1(`/engagements/${otherEngagementId}/scope-items`))).body.total).toBe(2);

      const entries = await auditOf(bank.body.id);
      expect(entries.map((e) => e.action)).toEqual(['scope_item.recorded', 'scope_item.removed']);
      expect(entries.every((e) => e.engagement_id === otherEngagementId)).toBe(true);
      expect(JSON.parse(entries[1]!.before!)).toEqual({ kind: 'in', description: 'Bank reconciliation' });
      expect(entries[1]!.after).toBeNull();
      const movedEntries = await auditOf(payroll.body.id);
      expect(JSON.parse(movedEntries[1]!.before!)).toEqual({ kind: 'out', description: 'Payroll' });
      const glEntries = await auditOf(gl.body.id);
      expect(glEntries[0]!.handoff_id).toBe(otherHandoffId);
    });

    it('lists every problem with a scope item at once', async () => {
      const sales = call(app, orgA.sales);
      const typed = await sales('POST', v1(`/engagements/${engagementId}/scope-items`), {
        kind: 'maybe',
        description: 4,
        note: 'x',
      });
      expect(typed.status).toBe(400);
      expect(paths(typed.body)).toEqual(['/description', '/kind', '/note']);
      const values = await sales('POST', v1(`/engagements/${engagementId}/scope-items`), {
        kind: 'in',
        description: '   ',
        handoff_id: otherHandoffId,
      });
      expect(values.status).toBe(400);
      expect(paths(values.body)).toEqual(['/description', '/handoff_id']);
      const badKind = await sales('GET', v1(`/handoffs/${handoffId}/scope-items?kind=sideways`));
      expect(badKind.status).toBe(400);
    });
  });

  describe('success ladder', () => {
    it('answers empty rungs, then replaces the ladder as a whole, auditing what changed', async () => {
      const sales = call(app, orgA.sales);
      const url = v1(`/engagements/${engagementId}/success-ladder`);
      const empty = await sales('GET', url);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({
        engagement_id: engagementId,
        handoff_id: null,
        goal: null,
        metric: null,
        ultimate_objective: null,
        earliest_signal: null,
        minimum_outcome: null,
        early_win: null,
        updated_at: null,
      });

      const set = await sales('PUT', url, LADDER);
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        ...LADDER,
        engagement_id: engagementId,
        updated_at: clock.now().toISOString(),
      });
      expect((await sales('GET', url)).body).toEqual(set.body);

      clock.advance(1000);
      const changed = await sales('PUT', url, {
        ...LADDER,
        early_win: 'First report by day 20',
        metric: '  ',
      });
      expect(changed.body).toMatchObject({
        early_win: 'First report by day 20',
        metric: null,
        goal: LADDER.goal,
      });
      const same = await sales('PUT', url, { ...LADDER, early_win: 'First report by day 20', metric: null });
      expect(same.body.updated_at).toBe(changed.body.updated_at);

      const id = (
        await store.db
          .selectFrom('success_ladders')
          .select('id')
          .where('engagement_id', '=', engagementId)
          .executeTakeFirstOrThrow()
      ).id;
      const entries = await auditOf(id);
      expect(entries.map((e) => e.action)).toEqual(['success_ladder.recorded', 'success_ladder.updated']);
      expect(entries.every((e) => e.engagement_id === engagementId)).toBe(true);
      expect(JSON.parse(entries[1]!.before!)).toEqual({
        metric: 'Days to close',
        early_win: LADDER.early_win,
      });
      expect(JSON.parse(entries[1]!.after!)).toEqual({ metric: null, early_win: 'First report by day 20' });
    });

    it('needs every rung, as text or null', async () => {
      const sales = call(app, orgA.sales);
      const url = v1(`/engagements/${otherEngagementId}/success-ladder`);
      const partial = await sales('PUT', url, { goal: 'Only a goal', metric: 5, mood: 'good' });
      expect(partial.status).toBe(400);
      expect(paths(partial.body)).toEqual([
        '/earliest_signal',
        '/early_win',
        '/metric',
        '/minimum_outcome',
        '/mood',
        '/ultimate_objective',
      ]);
      expect((await sales('GET', url)).body.goal).toBeNull();
      const cleared = await sales('PUT', url, {
        goal: null,
        metric: null,
        ultimate_objective: null,
        earliest_signal: null,
        minimum_outcome: null,
        early_win: null,
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body.updated_at).toBeNull();
    });
  });

  describe('access', () => {
    let promise: Json;
    let scopeItem: Json;

    beforeAll(async () => {
      promise = await recordPromise({
        text: 'Private promise',
        made_by: 'Sam',
        in_contract: false,
        handoff_id: handoffId,
      });
      scopeItem = (
        await call(app, orgA.sales)('POST', v1(`/engagements/${engagementId}/scope-items`), {
          kind: 'out',
          description: 'Private exclusion',
          handoff_id: handoffId,
        })
      ).body;
    });

    it('answers 404 to another organisation for every record and nested list', async () => {
      const other = call(app, orgB.admin);
      const attempts: [method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown][] = [
        ['GET', `/engagements/${engagementId}/promises`],
        ['POST', `/engagements/${engagementId}/promises`, { text: 'x', made_by: 'y', in_contract: false }],
        ['PATCH', `/promises/${promise.id}`, { status: 'kept' }],
        ['GET', `/handoffs/${handoffId}/promises`],
        ['GET', `/engagements/${engagementId}/scope-items`],
        ['POST', `/engagements/${engagementId}/scope-items`, { kind: 'in', description: 'x' }],
        ['PATCH', `/scope-items/${scopeItem.id}`, { kind: 'in' }],
        ['DELETE', `/scope-items/${scopeItem.id}`],
        ['GET', `/handoffs/${handoffId}/scope-items`],
        ['GET', `/engagements/${engagementId}/success-ladder`],
        ['PUT', `/engagements/${engagementId}/success-ladder`, LADDER],
        ['GET', '/engagements/not-an-id/promises'],
        ['PATCH', '/promises/not-an-id', { status: 'kept' }],
        ['DELETE', '/scope-items/not-an-id'],
      ];
      for (const [method, url, body] of attempts) {
        const res = await other(method, v1(url), body);
        expect(res.status, `${method} ${url}`).toBe(404);
        expect(res.body.type).toBe('/problems/not-found');
      }
      // Nothing of orgA changed.
      const sales = call(app, orgA.sales);
      const promises = await sales('GET', v1(`/handoffs/${handoffId}/promises`));
      expect(promises.body.items.find((p: Json) => p.id === promise.id).status).toBe('open');
      const scope = await sales('GET', v1(`/handoffs/${handoffId}/scope-items`));
      expect(scope.body.items.map((s: Json) => s.id)).toContain(scopeItem.id);
    });

    it('lets a viewer read but not write', async () => {
      const viewer = call(app, orgA.viewer);
      for (const url of [
        `/engagements/${engagementId}/promises`,
        `/handoffs/${handoffId}/promises`,
        `/engagements/${engagementId}/scope-items`,
        `/handoffs/${handoffId}/scope-items`,
        `/engagements/${engagementId}/success-ladder`,
      ]) {
        expect((await viewer('GET', v1(url))).status, url).toBe(200);
      }
      const writes: [method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown][] = [
        ['POST', `/engagements/${engagementId}/promises`, { text: 'x', made_by: 'y', in_contract: false }],
        ['PATCH', `/promises/${promise.id}`, { status: 'kept' }],
        ['POST', `/engagements/${engagementId}/scope-items`, { kind: 'in', description: 'x' }],
        ['PATCH', `/scope-items/${scopeItem.id}`, { kind: 'in' }],
        ['DELETE', `/scope-items/${scopeItem.id}`],
        ['PUT', `/engagements/${engagementId}/success-ladder`, LADDER],
      ];
      for (const [method, url, body] of writes) {
        const res = await viewer(method, v1(url), body);
        expect(res.status, `${method} ${url}`).toBe(403);
        expect(res.body.type).toBe('/problems/forbidden');
      }
    });

    it('answers 401 without a token', async () => {
      const anon = call(app, null);
      expect((await anon('GET', v1(`/engagements/${engagementId}/promises`))).status).toBe(401);
      expect((await anon('DELETE', v1(`/scope-items/${scopeItem.id}`))).status).toBe(401);
      expect((await anon('PUT', v1(`/engagements/${engagementId}/success-ladder`), LADDER)).status).toBe(401);
    });
  });
});
