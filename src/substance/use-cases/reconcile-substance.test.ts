import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Json, seedOrg, type TestOrg, testApp } from '../../../test/support/app.js';
import { EXAMPLE_PACKETS } from '../../../test/support/example-packets.js';
import { DIALECTS, openTestStore } from '../../../test/support/stores.js';
import type { ManualClock } from '../../kernel/clock.js';
import type { Api } from '../../kernel/http/build-app.js';

/*
 * Submitting reconciles the packet's mapped fields into the engagement's records. Records the
 * packet did not make are not the packet's to change: a promise or scope item recorded by hand
 * and tied to the handoff survives every resubmission, whatever the packet says.
 */
describe.each(DIALECTS)('reconciling a submitted packet on %s', (dialect) => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let app: Api;
  let clock: ManualClock;
  let org: TestOrg;
  let engagementId: string;

  beforeAll(async () => {
    store = await openTestStore(dialect);
    let deps: Awaited<ReturnType<typeof testApp>>['deps'];
    ({ app, deps, clock } = await testApp(store));
    org = await seedOrg(deps, 'Acme');
    const sales = call(app, org.sales);
    const account = await sales('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    engagementId = (
      await sales('POST', '/api/v1/engagements', { account_id: account.body.id, name: 'Close automation' })
    ).body.id;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  const texts = (body: Json, field: string): string[] =>
    body.items.map((item: Record<string, string>) => item[field]).sort();

  it('leaves the promises and scope items recorded by hand on a handoff alone when it is resubmitted', async () => {
    const sales = call(app, org.sales);
    const ops = call(app, org.operations);
    const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
    const created = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagementId,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await sales('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    const fromPacket = texts((await ops('GET', `/api/v1/handoffs/${id}/promises`)).body, 'text');
    expect(fromPacket.length).toBeGreaterThan(0);

    // The receiving team records what it heard on the call, tied to this handoff.
    const promise = await ops('POST', `/api/v1/engagements/${engagementId}/promises`, {
      text: 'A named contact for the first month',
      made_by: 'Sam (sales), on the call',
      in_contract: false,
      handoff_id: id,
    });
    expect(promise.status, JSON.stringify(promise.body)).toBe(201);
    const item = await ops('POST', `/api/v1/engagements/${engagementId}/scope-items`, {
      kind: 'out',
      description: 'Weekend cut-over',
      handoff_id: id,
    });
    expect(item.status, JSON.stringify(item.body)).toBe(201);

    // Rejected, revised without its promises, resubmitted.
    clock.advance(3_600_000);
    const playbook = await ops('GET', '/api/v1/playbooks/professional-services');
    const reason = playbook.body.definition.transitions[0].rejection_reasons[0].code;
    expect(
      (await ops('POST', `/api/v1/handoffs/${id}/reject`, { reason_code: reason, explanation: 'Say more.' }))
        .status,
    ).toBe(200);
    const revised = await sales('PATCH', `/api/v1/handoffs/${id}`, {
      packet: { promises: { promises: [] } },
    });
    expect(revised.status, JSON.stringify(revised.body)).toBe(200);
    clock.advance(3_600_000);
    expect((await sales('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);

    // The packet's promises went with it; what was recorded by hand stays.
    expect(texts((await ops('GET', `/api/v1/handoffs/${id}/promises`)).body, 'text')).toEqual([
      'A named contact for the first month',
    ]);
    const scope = texts((await ops('GET', `/api/v1/handoffs/${id}/scope-items`)).body, 'description');
    expect(scope).toContain('Weekend cut-over');
  });
});
