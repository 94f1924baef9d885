import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/audit/use-cases/verify-audit-chain.js';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

/** A complete professional-services packet. */
function completePacket() {
  return {
    goal: { client_goal: 'Close the books in five days.', success_metric: '5-day close by Q3' },
    scope: { in_scope: ['GL integration', 'Bank reconciliation'], out_of_scope: ['Payroll'] },
    people: {
      buyer: { name: 'Dana Whitfield', role: 'COO', email: 'dana@client.example' },
      champion: { name: 'Luis Ortega', role: 'Finance systems lead' },
    },
    promises: {
      promises: [{ text: 'Weekly call in month one', made_by: 'Sam', in_contract: false }],
      surprises: 'Previous vendor walked away mid-project.',
    },
    success: {
      ultimate_objective: 'A 5-day close',
      earliest_signal: 'Unattended reconciliation in week 3',
      minimum_outcome: 'A 7-day close',
      early_win: 'First automated report by day 30',
    },
  };
}

describe.each(DIALECTS)('the handoff contract end to end on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let close: () => Promise<void>;
  let a: TestOrg;
  let b: TestOrg;
  let engagementId: string;
  let accountId: string;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store));
    close = async () => {
      await app.close();
      await store.close();
    };
    a = await seedOrg(deps, 'Acme Integrations');
    b = await seedOrg(deps, 'Other Co');
    const account = await call(app, a.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    expect(account.status).toBe(201);
    const engagement = await call(app, a.sales)('POST', '/api/v1/engagements', {
      account_id: account.body.id,
      name: 'Close automation',
    });
    expect(engagement.status).toBe(201);
    engagementId = engagement.body.id;
    accountId = account.body.id;
  });
  afterAll(async () => close());

  const open = async (packet: unknown = {}) => {
    // An engagement each: an engagement has one open handoff per transition.
    const engagement = await call(app, a.sales)('POST', '/api/v1/engagements', {
      account_id: accountId,
      name: 'Close automation',
    });
    const res = await call(app, a.sales)('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  it('refuses submit naming every missing field, then accepts a complete packet', async () => {
    const sales = call(app, a.sales);
    const id = await open({ goal: { client_goal: 'Close faster' } });
    const refused = await sales('POST', `/api/v1/handoffs/${id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.raw.headers['content-type']).toContain('application/problem+json');
    expect(refused.body.type).toBe('/problems/packet-not-ready');
    const paths = refused.body.errors.map((e: { path: string }) => e.path);
    for (const p of [
      '/packet/goal/success_metric',
      '/packet/scope/in_scope',
      '/packet/scope/out_of_scope',
      '/packet/people/buyer',
      '/packet/people/champion',
      '/packet/promises/surprises',
      '/packet/success/early_win',
    ]) {
      expect(paths).toContain(p);
    }
    const readiness = await sales('GET', `/api/v1/handoffs/${id}/readiness`);
    expect(readiness.body.ready).toBe(false);
    expect(readiness.body.issues.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());

    const patched = await sales('PATCH', `/api/v1/handoffs/${id}`, { packet: completePacket() });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const submitted = await sales('POST', `/api/v1/handoffs/${id}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(submitted.body.state).toBe('submitted');
    expect(submitted.body.revision).toBe(1);
  });

  it('runs the whole contract: question blocks acceptance, reject with reason, revise, resubmit, accept, diff', async () => {
    const sales = call(app, a.sales);
    const ops = call(app, a.operations);
    const id = await open(completePacket());
    expect((await sales('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);

    // Only the receiving team may accept; the sender may not.
    expect((await sales('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(403);

    const q = await ops('POST', `/api/v1/handoffs/${id}/questions`, {
      body: 'Which bank accounts?',
      path: '/packet/scope/in_scope',
    });
    expect(q.status, JSON.stringify(q.body)).toBe(201);
    const blocked = await ops('POST', `/api/v1/handoffs/${id}/accept`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/open question/);
    expect((await ops('POST', `/api/v1/questions/${q.body.id}/answer`, { answer: 'x' })).status).toBe(403);
    const answered = await sales('POST', `/api/v1/questions/${q.body.id}/answer`, {
      answer: 'The two operating accounts.',
    });
    expect(answered.status).toBe(200);
    expect(answered.body.state).toBe('answered');
    expect((await sales('POST', `/api/v1/questions/${q.body.id}/answer`, { answer: 'again' })).status).toBe(
      409,
    );

    const noReason = await ops('POST', `/api/v1/handoffs/${id}/reject`, {
      reason_code: 'not-in-catalogue',
      explanation: 'Vague.',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('/reason_code');
    const missing = await ops('POST', `/api/v1/handoffs/${id}/reject`, { explanation: 'Vague.' });
    expect(missing.status).toBe(400);

    const playbook = await ops('GET', '/api/v1/playbooks/professional-services');
    const reason = playbook.body.definition.transitions[0].rejection_reasons[0].code;
    const rejected = await ops('POST', `/api/v1/handoffs/${id}/reject`, {
      reason_code: reason,
      explanation: 'The success metric has no baseline.',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.state).toBe('rejected');
    expect(rejected.body.decision.reason_code).toBe(reason);

    // Delivery cannot start before acceptance.
    expect((await ops('POST', `/api/v1/handoffs/${id}/start-delivery`)).status).toBe(409);

    const revised = await sales('PATCH', `/api/v1/handoffs/${id}`, {
      packet: { goal: { success_metric: 'Close in 5 days, from 11 today, by 30 September' } },
    });
    expect(revised.status).toBe(200);
    expect((await sales('POST', `/api/v1/handoffs/${id}/submit`)).body.revision).toBe(2);
    const accepted = await ops('POST', `/api/v1/handoffs/${id}/accept`, { note: 'Clear now.' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.state).toBe('accepted');
    expect(
      (await sales('PATCH', `/api/v1/handoffs/${id}`, { packet: { goal: { success_metric: 'x' } } })).status,
    ).toBe(409);

    const revisions = await ops('GET', `/api/v1/handoffs/${id}/revisions`);
    expect(revisions.body.items.map((r: { number: number }) => r.number)).toEqual([1, 2]);
    const diff = await ops('GET', `/api/v1/handoffs/${id}/revisions/1/diff/2`);
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([
      expect.objectContaining({
        path: '/packet/goal/success_metric',
        change: 'changed',
        before: '5-day close by Q3',
        after: 'Close in 5 days, from 11 today, by 30 September',
      }),
    ]);
    expect((await ops('GET', `/api/v1/handoffs/${id}/revisions/1/diff/3`)).status).toBe(404);

    expect((await ops('POST', `/api/v1/handoffs/${id}/start-delivery`)).body.state).toBe('in_delivery');
    // Closing waits for the checkpoints the playbook requires, naming each; waived, it closes.
    const refused = await ops('POST', `/api/v1/handoffs/${id}/close`);
    expect(refused.status).toBe(409);
    expect(refused.body.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining('(joint_kickoff, owned by Operations)'),
    ]);
    for (const { path } of refused.body.errors as { path: string }[]) {
      const waived = await ops('POST', `/api/v1${path}/waive`, { reason: 'Kickoff held before Baton' });
      expect(waived.status).toBe(200);
    }
    expect((await ops('POST', `/api/v1/handoffs/${id}/close`)).body.state).toBe('closed');

    const audit = await ops('GET', `/api/v1/handoffs/${id}/audit`);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    for (const act of [
      'handoff.created',
      'handoff.submitted',
      'question.asked',
      'question.answered',
      'handoff.rejected',
      'handoff.accepted',
      'handoff.closed',
    ]) {
      expect(actions).toContain(act);
    }

    // The packet's substance became records.
    const promises = await ops('GET', `/api/v1/handoffs/${id}/promises`);
    expect(promises.body.items.map((p: { text: string }) => p.text)).toEqual(['Weekly call in month one']);
    const scope = await ops('GET', `/api/v1/handoffs/${id}/scope-items`);
    expect(scope.body.items.length).toBe(3);

    const md = await ops('GET', `/api/v1/handoffs/${id}/summary?format=md`);
    expect(md.status).toBe(200);
    expect(md.raw.body).toContain('Weekly call in month one');
    const html = await ops('GET', `/api/v1/handoffs/${id}/summary`);
    expect(html.raw.headers['content-type']).toContain('text/html');
    expect(html.raw.body).toContain('Dana Whitfield');

    // Another organisation sees none of it.
    const other = call(app, b.admin);
    const otherOps = call(app, b.operations);
    for (const url of [
      `/api/v1/handoffs/${id}`,
      `/api/v1/handoffs/${id}/readiness`,
      `/api/v1/handoffs/${id}/revisions`,
      `/api/v1/handoffs/${id}/revisions/1/diff/2`,
      `/api/v1/handoffs/${id}/questions`,
      `/api/v1/handoffs/${id}/audit`,
      `/api/v1/handoffs/${id}/summary`,
      `/api/v1/handoffs/${id}/promises`,
      `/api/v1/engagements/${engagementId}`,
    ]) {
      expect((await other('GET', url)).status, url).toBe(404);
    }
    expect((await otherOps('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(404);
    expect((await otherOps('POST', `/api/v1/questions/${q.body.id}/answer`, { answer: 'x' })).status).toBe(
      404,
    );
    expect((await other('PATCH', `/api/v1/handoffs/${id}`, { title: 'mine' })).status).toBe(404);
    const list = await other('GET', '/api/v1/handoffs');
    expect(list.body.items.find((h: { id: string }) => h.id === id)).toBeUndefined();

    await sealAll(deps.store);

    const [report] = await verifyAuditChain(deps, { orgSlug: a.slug });
    expect(report!.ok).toBe(true);
  });

  it('answers bad input with problem+json naming every problem, never 500', async () => {
    const sales = call(app, a.sales);
    const id = await open();
    const bad = await sales('PATCH', `/api/v1/handoffs/${id}`, {
      packet: { goal: { client_goal: 42, invented: 'x' }, nonsense: {} },
      extra: true,
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('/extra');
    const typed = await sales('PATCH', `/api/v1/handoffs/${id}`, {
      packet: { goal: { client_goal: 42, invented: 'x' }, nonsense: {} },
    });
    expect(typed.status).toBe(400);
    const typedPaths = typed.body.errors.map((e: { path: string }) => e.path);
    expect(typedPaths).toEqual(
      expect.arrayContaining(['/packet/goal/client_goal', '/packet/goal/invented', '/packet/nonsense']),
    );
    // Nothing was half-written.
    const after = await sales('GET', `/api/v1/handoffs/${id}`);
    expect(after.body.packet).toEqual({});

    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/handoffs',
      headers: { authorization: `Bearer ${a.sales}`, 'content-type': 'application/json' },
      payload: '{"engagement_id": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');

    const tokens = await sales('GET', '/api/v1/tokens');
    const used = tokens.body.items.find((t: { prefix: string }) => a.sales.startsWith(t.prefix));
    expect(used.last_used_at, 'a token in use records when it was last used').not.toBeNull();
    expect((await call(app, null)('GET', '/api/v1/handoffs')).status).toBe(401);
    expect((await call(app, 'bat_nope')('GET', '/api/v1/handoffs')).status).toBe(401);
    expect((await sales('GET', '/api/v1/handoffs/not-an-id')).status).toBe(404);
    expect((await sales('GET', '/api/v1/handoffs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await sales('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(403);
    expect((await call(app, a.operations)('POST', `/api/v1/handoffs/${id}/accept`)).status).toBe(409);
    expect((await call(app, a.viewer)('PATCH', `/api/v1/handoffs/${id}`, { packet: {} })).status).toBe(403);
    const wrongType = await sales('POST', '/api/v1/handoffs', {
      engagement_id: 5,
      playbook: [],
      transition: null,
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/engagement_id',
      '/playbook',
      '/transition',
    ]);
    const unknownRefs = await sales('POST', '/api/v1/handoffs', {
      engagement_id: '00000000-0000-4000-8000-000000000000',
      playbook: 'professional-services',
      transition: 'nope',
    });
    expect(unknownRefs.status).toBe(400);
    expect(unknownRefs.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      '/engagement_id',
      '/transition',
    ]);
  });

  it('pins the playbook version: an upload does not change a handoff under way', async () => {
    const id = await open({ goal: { client_goal: 'x' } });
    const source = await call(app, a.admin)('GET', '/api/v1/playbooks/professional-services/source');
    const edited = source.raw.body
      .replace('label: Success metric', 'label: Agreed success metric')
      .replace('version: 1', 'version: 2');
    const uploaded = await call(app, a.admin)('POST', '/api/v1/playbooks', { source: edited });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body.version).toBe(2);
    const handoff = await call(app, a.sales)('GET', `/api/v1/handoffs/${id}`);
    expect(handoff.body.playbook.version).toBe(1);
    const fresh = await open();
    expect((await call(app, a.sales)('GET', `/api/v1/handoffs/${fresh}`)).body.playbook.version).toBe(2);
    const broken = await call(app, a.admin)('POST', '/api/v1/playbooks', {
      source: 'key: x\nversion: one\n',
      file: 'x.yaml',
    });
    expect(broken.status).toBe(422);
    expect(broken.body.errors[0]).toEqual(
      expect.objectContaining({ file: 'x.yaml', line: expect.any(Number) }),
    );
    expect((await call(app, a.sales)('POST', '/api/v1/playbooks', { source: edited })).status).toBe(403);
  });
});
