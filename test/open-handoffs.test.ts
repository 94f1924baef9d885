import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const PLAYBOOK = 'security-integrator';
const TRANSITION = 'sales-to-operations';

/**
 * One open handoff per engagement and transition (a second is refused with 409 naming the open
 * one, also when two arrive at once), and `waiting_on=me` listing what waits on the caller.
 */
describe.each(DIALECTS)('open handoffs of an engagement, over HTTP on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let close: () => Promise<void>;
  let org: TestOrg;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store));
    close = async () => {
      await app.close();
      await store.close();
    };
    org = await seedOrg(deps, 'Harbor Integrators');
  });
  afterAll(async () => close());

  const as = (token: string) => call(app, token);
  const newEngagement = async (name: string): Promise<string> => {
    const account = await as(org.sales)('POST', '/api/v1/accounts', { name: `${name} account` });
    const engagement = await as(org.sales)('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name,
    });
    expect(engagement.status).toBe(201);
    return engagement.body.id as string;
  };
  const open = (engagementId: string, transition = TRANSITION, title?: string) =>
    as(org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: PLAYBOOK,
      transition,
      ...(title ? { title } : {}),
      packet: EXAMPLE_PACKETS[PLAYBOOK]![transition],
    });

  it('refuses a second open handoff for the same engagement and transition, naming the open one', async () => {
    const engagementId = await newEngagement('Dock doors');
    const first = await open(engagementId, TRANSITION, 'Dock doors: sales to operations');
    expect(first.status).toBe(201);

    const second = await open(engagementId);
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('/problems/conflict');
    expect(second.body.detail).toContain('“Dock doors: sales to operations”');
    expect(second.body.errors).toEqual([
      {
        path: '/engagement_id',
        code: 'open_handoff',
        message: `“Dock doors: sales to operations” (${first.body.id}, draft) is open for this engagement and transition`,
      },
    ]);
    expect(second.body.open_handoff).toEqual({
      id: first.body.id,
      title: 'Dock doors: sales to operations',
      state: 'draft',
    });

    // Still refused once submitted and accepted: the handoff is open until withdrawn or closed.
    const id = first.body.id as string;
    expect((await as(org.sales)('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    expect((await open(engagementId)).status).toBe(409);
    expect((await as(org.operations)('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(200);
    const whileAccepted = await open(engagementId);
    expect(whileAccepted.status).toBe(409);
    expect(whileAccepted.body.open_handoff.state).toBe('accepted');

    // Another transition of the same engagement is its own handoff.
    expect((await open(engagementId, 'operations-to-service')).status).not.toBe(409);

    const listed = await as(org.sales)('GET', `/api/v1/handoffs?engagement_id=${engagementId}`);
    expect(listed.body.items.filter((h: Json) => h.transition === TRANSITION)).toHaveLength(1);
  });

  it('opens a new one once the open one is withdrawn', async () => {
    const engagementId = await newEngagement('Camera refresh');
    const first = await open(engagementId);
    expect(first.status).toBe(201);
    expect((await as(org.sales)('POST', `/api/v1/handoffs/${first.body.id}/withdraw`)).status).toBe(200);
    const again = await open(engagementId);
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('lets one of two concurrent opens through and refuses the other', async () => {
    for (let round = 0; round < 5; round += 1) {
      const engagementId = await newEngagement(`Gate upgrade ${round}`);
      const answers = await Promise.all([open(engagementId), open(engagementId), open(engagementId)]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
      const created = answers.find((a) => a.status === 201)!;
      for (const refused of answers.filter((a) => a.status === 409))
        expect(refused.body.open_handoff.id).toBe(created.body.id);
      const listed = await as(org.sales)('GET', `/api/v1/handoffs?engagement_id=${engagementId}`);
      expect(listed.body.total).toBe(1);
    }
  });

  it("lists under waiting_on=me what waits on the caller's side, accepted handoffs for the receiver included", async () => {
    const engagementId = await newEngagement('Badge readers');
    const created = await open(engagementId, TRANSITION, 'Badge readers: sales to operations');
    const id = created.body.id as string;
    const waiting = async (token: string) => {
      const res = await as(token)('GET', '/api/v1/handoffs?waiting_on=me&limit=200');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(res.body.items.length);
      return (res.body.items as Json[]).map((h) => h.id as string);
    };

    // A draft waits on the sender.
    expect(await waiting(org.sales)).toContain(id);
    expect(await waiting(org.operations)).not.toContain(id);
    // Submitted: on the receiver.
    expect((await as(org.sales)('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    expect(await waiting(org.sales)).not.toContain(id);
    expect(await waiting(org.operations)).toContain(id);
    // Accepted: still on the receiver, who starts delivery.
    expect((await as(org.operations)('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(200);
    expect(await waiting(org.operations)).toContain(id);
    expect(await waiting(org.sales)).not.toContain(id);
    // In delivery: on the receiver, who closes it (once its checkpoints are settled).
    expect((await as(org.operations)('POST', `/api/v1/handoffs/${id}/start-delivery`)).status).toBe(200);
    expect(await waiting(org.operations)).toContain(id);
    // A viewer and an admin in neither team have nothing waiting on them.
    expect(await waiting(org.viewer)).toEqual([]);
    expect(await waiting(org.admin)).not.toContain(id);

    // Rejected: back on the sender.
    const other = await open(await newEngagement('Turnstiles'));
    const otherId = other.body.id as string;
    expect((await as(org.sales)('POST', `/api/v1/handoffs/${otherId}/submit`)).status).toBe(200);
    const rejected = await as(org.operations)('POST', `/api/v1/handoffs/${otherId}/reject`, {
      reason_code: 'undocumented_promises',
      explanation: 'The door count is not written down.',
    });
    expect(rejected.status).toBe(200);
    expect(await waiting(org.sales)).toContain(otherId);
    expect(await waiting(org.operations)).not.toContain(otherId);
  });

  it('pages waiting_on=me with limit and offset, counting every one waiting', async () => {
    const all = await as(org.operations)('GET', '/api/v1/handoffs?waiting_on=me&limit=200');
    expect(all.body.total).toBeGreaterThan(1);
    const page = await as(org.operations)('GET', '/api/v1/handoffs?waiting_on=me&limit=1&offset=1');
    expect(page.body.total).toBe(all.body.total);
    expect(page.body.items.map((h: Json) => h.id)).toEqual([all.body.items[1].id]);
  });
});
