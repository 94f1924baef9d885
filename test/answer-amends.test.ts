import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/kernel/context.js';
import type { Api } from '../src/kernel/http/build-app.js';
import { call, seedOrg, type TestOrg, testApp } from './support/app.js';
import { EXAMPLE_PACKETS } from './support/example-packets.js';
import { DIALECTS, openTestStore, sealAll } from './support/stores.js';

const TYPO = ['Map the current close process', 'Automate bank reconcilations', 'Train the finance team'];
const FIXED = ['Map the current close process', 'Automate bank reconciliations', 'Train the finance team'];

/** The built-in example packet, with a typo in the in-scope work. */
function packetWithTypo() {
  const packet = EXAMPLE_PACKETS['professional-services']!['sales-to-delivery']!;
  return { ...packet, scope: { ...packet.scope, in_scope: TYPO } };
}

// Issue 12, item 4: a typo in a submitted packet is fixed in the answer to the question that
// points at it, without a rejection: a new revision, diffed and audited.
describe.each(DIALECTS)('answering a question may amend the field it concerns, on %s', (dialect) => {
  let app: Api;
  let deps: Deps;
  let close: () => Promise<void>;
  let a: TestOrg;
  let accountId: string;

  beforeAll(async () => {
    const store = await openTestStore(dialect);
    ({ app, deps } = await testApp(store));
    close = async () => {
      await app.close();
      await store.close();
    };
    a = await seedOrg(deps, 'Acme Integrations');
    const account = await call(app, a.sales)('POST', '/api/v1/accounts', { name: 'Harbor Logistics' });
    accountId = account.body.id;
  });
  afterAll(async () => close());

  /** A submitted handoff with a question from operations on `path`. */
  const submittedWithQuestion = async (path: string | null) => {
    const sales = call(app, a.sales);
    const engagement = await sales('POST', '/api/v1/engagements', { account_id: accountId, name: 'Close' });
    const created = await sales('POST', '/api/v1/handoffs', {
      engagement_id: engagement.body.id,
      playbook: 'professional-services',
      transition: 'sales-to-delivery',
      packet: packetWithTypo(),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect((await sales('POST', `/api/v1/handoffs/${id}/submit`)).status).toBe(200);
    const asked = await call(app, a.operations)('POST', `/api/v1/handoffs/${id}/questions`, {
      body: '"reconcilations": which reconciliations?',
      path,
    });
    expect(asked.status).toBe(201);
    return { id, questionId: asked.body.id as string };
  };

  it('corrects the field as a new revision, still submitted, diffed, audited, and reconciled', async () => {
    const sales = call(app, a.sales);
    const ops = call(app, a.operations);
    const { id, questionId } = await submittedWithQuestion('/packet/scope/in_scope');
    const before = await ops('GET', `/api/v1/handoffs/${id}`);
    expect(before.body.actions.amend.allowed).toBe(false);
    expect((await sales('GET', `/api/v1/handoffs/${id}`)).body.actions.amend.allowed).toBe(true);

    const answered = await sales('POST', `/api/v1/questions/${questionId}/answer`, {
      answer: 'A typo: the general-ledger integration. Corrected.',
      amend: { value: FIXED },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ state: 'answered', amended_revision: 2 });

    const after = await ops('GET', `/api/v1/handoffs/${id}`);
    expect(after.body).toMatchObject({ state: 'submitted', revision: 2, open_questions: 0 });
    expect(after.body.packet.scope.in_scope).toEqual(FIXED);
    // The reviewer saw revision 1: the packet marks what changed since.
    expect(after.body.since_seen).toEqual({ revision: 1, paths: ['/scope/in_scope'] });

    const revisions = await ops('GET', `/api/v1/handoffs/${id}/revisions`);
    expect(revisions.body.items.map((r: { number: number }) => r.number)).toEqual([1, 2]);
    expect(revisions.body.items[0].answering_question_id).toBeNull();
    expect(revisions.body.items[1]).toMatchObject({
      answering_question_id: questionId,
      submitted_by: a.userIds.sales,
    });
    const diff = await ops('GET', `/api/v1/handoffs/${id}/revisions/1/diff/2`);
    expect(diff.body.changes).toEqual([
      expect.objectContaining({
        path: '/packet/scope/in_scope',
        change: 'changed',
        before: TYPO,
        after: FIXED,
      }),
    ]);

    await sealAll(deps.store);
    const audit = await ops('GET', `/api/v1/handoffs/${id}/audit`);
    const amended = audit.body.items.find((e: { action: string }) => e.action === 'handoff.amended');
    expect(amended).toMatchObject({
      before: { revision: 1, fields: { 'scope.in_scope': TYPO } },
      after: {
        revision: 2,
        fields: { 'scope.in_scope': FIXED },
        question_id: questionId,
      },
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('question.answered');

    // The asker is told of the answer and of the correction.
    const told = await ops('GET', '/api/v1/notifications');
    expect(told.body.items.map((n: { text: string }) => n.text).join('\n')).toContain(
      'The field is corrected in the packet: revision 2.',
    );

    // The scope items follow the packet, as at a resubmit.
    const scope = await ops('GET', `/api/v1/handoffs/${id}/scope-items`);
    expect(scope.body.items.map((s: { description: string }) => s.description)).toContain(
      'Automate bank reconciliations',
    );
    expect(scope.body.items.map((s: { description: string }) => s.description)).not.toContain(
      'Automate bank reconcilations',
    );

    // Accepted as amended.
    expect((await ops('POST', `/api/v1/handoffs/${id}/accept`, {})).body).toMatchObject({
      state: 'accepted',
      revision: 2,
    });
  });

  it('refuses, naming every problem and changing nothing, a correction that is not one', async () => {
    const sales = call(app, a.sales);
    const { id, questionId } = await submittedWithQuestion('/packet/scope/in_scope');
    const attempts = [
      // Wrong type for the field.
      [{ value: 'GL integration' }, 400, '/amend/value'],
      // Leaves a required field empty: the packet would not be ready.
      [{ value: null }, 422, '/amend/value'],
      // The value the field already has.
      [{ value: TYPO }, 400, '/amend/value'],
    ] as const;
    for (const [amend, status, path] of attempts) {
      const res = await sales('POST', `/api/v1/questions/${questionId}/answer`, { answer: 'Fixed.', amend });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.type).toMatch(/^\/problems\//);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const still = await sales('GET', `/api/v1/handoffs/${id}`);
    expect(still.body).toMatchObject({ revision: 1, open_questions: 1 });
    expect((await sales('GET', `/api/v1/handoffs/${id}/revisions`)).body.items).toHaveLength(1);
    // Operations may not amend the sender's packet.
    const ops = await call(app, a.operations)('POST', `/api/v1/questions/${questionId}/answer`, {
      answer: 'Fixed.',
      amend: { value: ['x'] },
    });
    expect(ops.status).toBe(403);
  });

  it('refuses to amend from a question about the whole packet, or after a rejection', async () => {
    const sales = call(app, a.sales);
    const whole = await submittedWithQuestion(null);
    const res = await sales('POST', `/api/v1/questions/${whole.questionId}/answer`, {
      answer: 'Fixed.',
      amend: { value: ['x'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/amend' })]);

    const { id, questionId } = await submittedWithQuestion('/packet/scope/in_scope');
    const rejected = await call(app, a.operations)('POST', `/api/v1/handoffs/${id}/reject`, {
      reason_code: 'scope_ambiguous',
      explanation: 'The scope has a typo.',
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect((await sales('GET', `/api/v1/handoffs/${id}`)).body.actions.amend.allowed).toBe(false);
    const late = await sales('POST', `/api/v1/questions/${questionId}/answer`, {
      answer: 'Fixed.',
      amend: { value: ['GL integration'] },
    });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/rejected handoff cannot be amended/);
    // A plain answer still works after the rejection.
    const plain = await sales('POST', `/api/v1/questions/${questionId}/answer`, {
      answer: 'See revision 2.',
    });
    expect(plain.body).toMatchObject({ state: 'answered', amended_revision: null });
  });
});
