import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { DIALECTS, openTestStore } from './support/stores.js';

const PLAYBOOK = 'security-integrator';
const TRANSITION = 'sales-to-operations';

/** The request that takes each action, and the status each refusal code answers with. */
const REQUEST: Record<string, (id: string) => ['POST' | 'PATCH', string, unknown?]> = {
  edit: (id) => ['PATCH', `/api/v1/handoffs/${id}`, { packet: {} }],
  submit: (id) => ['POST', `/api/v1/handoffs/${id}/submit`],
  withdraw: (id) => ['POST', `/api/v1/handoffs/${id}/withdraw`],
  ask: (id) => ['POST', `/api/v1/handoffs/${id}/questions`, { body: 'Which doors?' }],
  accept: (id) => ['POST', `/api/v1/handoffs/${id}/accept`],
  reject: (id) => [
    'POST',
    `/api/v1/handoffs/${id}/reject`,
    { reason_code: 'undocumented_promises', explanation: 'The door count is not written down.' },
  ],
  start_delivery: (id) => ['POST', `/api/v1/handoffs/${id}/start-delivery`],
  close: (id) => ['POST', `/api/v1/handoffs/${id}/close`],
};
const STATUS: Record<string, number> = { forbidden: 403, illegal_transition: 409, conflict: 409 };

const allowed = (h: Json) =>
  Object.entries(h.actions as Record<string, { allowed: boolean }>)
    .filter(([, a]) => a.allowed)
    .map(([name]) => name);

describe.each(DIALECTS)("the actions a handoff's caller may take, over HTTP on %s", (dialect) => {
  let app: Api;
  let deps: Deps;
  let close: () => Promise<void>;
  let org: TestOrg;
  let engagementId: string;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store));
    close = async () => {
      await app.close();
      await store.close();
    };
    org = await seedOrg(deps, 'Riverside Integrators');
    const account = await call(app, org.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Riverside cameras',
    });
    engagementId = engagement.body.id;
  });
  afterAll(async () => close());

  const as = (token: string) => call(app, token);
  const get = async (token: string, id: string): Promise<Json> =>
    (await as(token)('GET', `/api/v1/handoffs/${id}`)).body;

  /**
   * Every action the caller is refused, tried: each request is refused as the view said, with its
   * status, its problem type and its words. (The allowed ones are taken along the journey.)
   */
  const refusedAsListed = async (token: string, id: string) => {
    const h = await get(token, id);
    for (const [action, answer] of Object.entries(h.actions as Record<string, Json>)) {
      // Answering (and amending in an answer) goes through a question, tried along the journey.
      if (answer.allowed || action === 'answer' || action === 'amend') continue;
      const [method, url, body] = REQUEST[action]!(id);
      const res = await as(token)(method, url, body);
      expect(res.status, `${action} on ${h.state}: ${JSON.stringify(res.body)}`).toBe(STATUS[answer.code]);
      expect(res.body.type).toBe(`/problems/${answer.code.replace('_', '-')}`);
      expect(res.body.detail).toBe(answer.reason);
    }
    expect((await get(token, id)).version, 'no refused request changed the handoff').toBe(h.version);
  };

  it('shows the sender and the receiver of one handoff different actions, each as the API then does', async () => {
    const created = await as(org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: PLAYBOOK,
      transition: TRANSITION,
      packet: EXAMPLE_PACKETS[PLAYBOOK]![TRANSITION],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // The answer to the creating request is seen by its caller, the sender.
    expect(allowed(created.body)).toEqual(['edit', 'submit', 'withdraw']);

    // A draft: the sender completes it; the receiver has nothing to do yet.
    expect(allowed(await get(org.sales, id))).toEqual(['edit', 'submit', 'withdraw']);
    expect(allowed(await get(org.operations, id))).toEqual([]);
    expect((await get(org.operations, id)).actions.accept).toEqual({
      allowed: false,
      code: 'illegal_transition',
      reason: 'A draft handoff cannot be accepted.',
    });
    expect((await get(org.operations, id)).actions.submit).toEqual({
      allowed: false,
      code: 'forbidden',
      reason: 'Only the sending team may submit a handoff.',
    });
    // A viewer may do nothing; an admin in neither team acts on neither side.
    expect((await get(org.viewer, id)).actions.edit).toEqual({
      allowed: false,
      code: 'forbidden',
      reason: 'The viewer role may not edit the packet of a handoff.',
    });
    expect(allowed(await get(org.admin, id))).toEqual([]);
    for (const token of [org.sales, org.operations, org.viewer, org.admin]) await refusedAsListed(token, id);

    // Submitted, with a question open: the receiver may ask and reject, not yet accept.
    expect((await as(org.sales)('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    const asked = await as(org.operations)('POST', `/api/v1/handoffs/${id}/questions`, {
      body: 'Which doors?',
    });
    expect(asked.status).toBe(201);
    const receiving = await get(org.operations, id);
    expect(allowed(receiving)).toEqual(['ask', 'reject']);
    expect(receiving.actions.accept).toEqual({
      allowed: false,
      code: 'conflict',
      reason: '1 open question must be answered before acceptance.',
    });
    expect(allowed(await get(org.sales, id))).toEqual(['withdraw', 'answer', 'amend']);
    for (const token of [org.sales, org.operations]) await refusedAsListed(token, id);

    // Answered: the receiver accepts, and the answer to the accept shows what comes next.
    const answered = await as(org.sales)('POST', `/api/v1/questions/${asked.body.id}/answer`, {
      answer: 'All 12.',
    });
    expect(answered.status).toBe(200);
    expect(allowed(await get(org.operations, id))).toEqual(['ask', 'accept', 'reject']);
    const accepted = await as(org.operations)('POST', `/api/v1/handoffs/${id}/accept`);
    expect(accepted.status).toBe(200);
    expect(allowed(accepted.body)).toEqual(['start_delivery']);
    expect(allowed(await get(org.sales, id))).toEqual(['answer']);

    // In delivery: the close waits for the checkpoints the playbook requires, named one by one,
    // and the close request is refused with the same words and the same checkpoints.
    const delivering = await as(org.operations)('POST', `/api/v1/handoffs/${id}/start-delivery`);
    expect(delivering.status).toBe(200);
    const blocked = delivering.body.actions.close;
    expect(blocked).toMatchObject({ allowed: false, code: 'conflict' });
    expect(blocked.issues.length).toBeGreaterThan(0);
    for (const issue of blocked.issues) expect(issue).toMatchObject({ code: 'checkpoint_open' });
    const refused = await as(org.operations)('POST', `/api/v1/handoffs/${id}/close`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(blocked.reason);
    expect(refused.body.errors).toEqual(blocked.issues);
    // The sender sees the close as the receiving team's, not as blocked by checkpoints.
    expect((await get(org.sales, id)).actions.close).toMatchObject({ allowed: false, code: 'forbidden' });
    for (const token of [org.sales, org.operations]) await refusedAsListed(token, id);

    // Each lists the same actions for every handoff in the list as in the handoff itself.
    for (const token of [org.sales, org.operations]) {
      const list = await as(token)('GET', `/api/v1/handoffs?engagement_id=${engagementId}`);
      const listed = list.body.items.find((h: Json) => h.id === id);
      expect(listed.actions).toEqual((await get(token, id)).actions);
    }
  });
});
