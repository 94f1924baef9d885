import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, type Json, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { STAFFING_PLAYBOOK } from './support/staffing-playbook.js';
import { DIALECTS, openTestStore } from './support/stores.js';

describe.each(DIALECTS)('user fields on %s', (dialect) => {
  let app: Api;
  let close: () => Promise<void>;
  let org: TestOrg;
  let accountId: string;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    const made = await testApp(store);
    app = made.app;
    close = async () => {
      await app.close();
      await store.close();
    };
    org = await seedOrg(made.deps, 'Lender Co');
    const sales = call(app, org.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'The Lees' });
    accountId = account.body.id;
    const uploaded = await call(app, org.admin)('POST', '/api/v1/playbooks', { source: STAFFING_PLAYBOOK });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  });
  afterAll(async () => close());

  const draft = async (playbook: string, transition: string, packet: Json) => {
    // An engagement each: an engagement has one open handoff per transition.
    const engagement = await call(app, org.sales)('POST', '/api/v1/engagements', {
      account_id: accountId,
      name: 'Close automation',
    });
    const res = await call(app, org.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook,
      transition,
      packet,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const mortgage = (concierge: string) => {
    const packet = structuredClone(EXAMPLE_PACKETS['mortgage-concierge']!['loan-officer-to-concierge']!);
    packet.introduction!.concierge = concierge;
    return draft('mortgage-concierge', 'loan-officer-to-concierge', packet);
  };

  it('refuses to submit a packet naming someone who is not a user of the organisation, and says who', async () => {
    const id = await mortgage('nobody@nowhere.example');
    const expected = {
      path: '/packet/introduction/concierge',
      code: 'unknown_user',
      message: 'Loan concierge names nobody@nowhere.example, who is not an active user of this organisation',
    };
    const readiness = await call(app, org.sales)('GET', `/api/v1/handoffs/${id}/readiness`);
    expect(readiness.body).toMatchObject({ ready: false, issues: [expected] });
    const submit = await call(app, org.sales)('POST', `/api/v1/handoffs/${id}/submit`);
    expect(submit.status).toBe(422);
    expect(submit.body.errors).toEqual([expected]);
    expect((await call(app, org.sales)('GET', `/api/v1/handoffs/${id}`)).body.state).toBe('draft');

    const real = await mortgage('Jordan.Miles@lender.example');
    expect((await call(app, org.sales)('POST', `/api/v1/handoffs/${real}/submit`)).status).toBe(200);
  });

  it('refuses a user who has been disabled', async () => {
    const users = await call(app, org.admin)('GET', '/api/v1/users');
    const grace = users.body.items.find((u: Json) => u.email === 'grace.hopper@vendor.example');
    const disabled = await call(app, org.admin)('PATCH', `/api/v1/users/${grace.id}`, { disabled: true });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    const id = await mortgage('grace.hopper@vendor.example');
    const submit = await call(app, org.sales)('POST', `/api/v1/handoffs/${id}/submit`);
    expect(submit.status).toBe(422);
    expect(submit.body.errors).toEqual([
      expect.objectContaining({ path: '/packet/introduction/concierge', code: 'unknown_user' }),
    ]);
  });

  it('refuses a user outside the team the field names, and says which team', async () => {
    const wrong = await draft('staffing', 'won-to-staffed', { team: { lead: `sam@${org.slug}.test` } });
    const submit = await call(app, org.sales)('POST', `/api/v1/handoffs/${wrong}/submit`);
    expect(submit.status).toBe(422);
    expect(submit.body.errors).toEqual([
      {
        path: '/packet/team/lead',
        code: 'not_in_team',
        message: `Delivery lead names sam@${org.slug}.test, who is not a member of team operations`,
      },
    ]);
    const right = await draft('staffing', 'won-to-staffed', { team: { lead: `olive@${org.slug}.test` } });
    expect((await call(app, org.sales)('POST', `/api/v1/handoffs/${right}/submit`)).status).toBe(200);
  });
});
