import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('the engagement timeline and the summary PDF on %s', (dialect) => {
  let app: Api;
  let close: () => Promise<void>;
  let a: TestOrg;
  let b: TestOrg;
  let engagementId: string;
  let handoffId: string;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    const made = await testApp(store);
    app = made.app;
    close = async () => {
      await app.close();
      await store.close();
    };
    a = await seedOrg(made.deps, 'Acme Integrations');
    b = await seedOrg(made.deps, 'Other Co');
    const sales = call(app, a.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    const engagement = await sales('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Close automation',
    });
    engagementId = engagement.body.id;
    const handoff = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet: { goal: { client_goal: 'Close the books in five days — “fast” ☑' } },
    });
    handoffId = handoff.body.id;
  });
  afterAll(async () => close());

  it('answers every handoff of the engagement and its audit events, oldest first', async () => {
    const res = await call(app, a.viewer)('GET', `/api/v1/engagements/${engagementId}/timeline`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.engagement.account.name).toBe('Harbor Logistics');
    expect(res.body.handoffs.map((h: { id: string }) => h.id)).toEqual([handoffId]);
    const actions = res.body.events.map((e: { action: string }) => e.action);
    expect(actions).toContain('engagement.created');
    expect(actions.some((x: string) => x.startsWith('handoff.'))).toBe(true);
    const seqs = res.body.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect((await call(app, b.admin)('GET', `/api/v1/engagements/${engagementId}/timeline`)).status).toBe(
      404,
    );
  });

  it('renders the summary sheet as a real PDF', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/handoffs/${handoffId}/summary?format=pdf`,
      headers: { authorization: `Bearer ${a.operations}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+-summary\.pdf"$/);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.rawPayload.subarray(-6).toString()).toContain('%%EOF');
    expect(res.rawPayload.length).toBeGreaterThan(1500);
    const other = await app.inject({
      method: 'GET',
      url: `/api/v1/handoffs/${handoffId}/summary?format=pdf`,
      headers: { authorization: `Bearer ${b.admin}` },
    });
    expect(other.statusCode).toBe(404);
  });
});
